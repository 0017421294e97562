// What the booth may delete, decided purely from outbox rows and the clock:
//  - identity data of a delivered submission: at once (the sweep runs every ≤ 30 s, so "within a
//    minute" holds);
//  - media of a delivered submission: after `mediaDays` days from delivery (the back office's
//    mediaRetentionDays setting, default 0: at once);
//  - anything not delivered: never (a submission the booth said it saved is never lost).
// And when the disk is fuller than `diskAlertFraction`, a technician alert (the booth never frees
// space by deleting unsent media).

export interface RetentionConfig {
  mediaDays: number;
  diskAlertFraction: number;
}

export const DEFAULT_RETENTION: RetentionConfig = { mediaDays: 0, diskAlertFraction: 0.9 };

export interface RetentionRow {
  submissionId: string;
  delivered: boolean;
  deliveredAt: number | null;
  hasIdentity: boolean;
  hasMedia: boolean;
}

export interface RetentionPlan {
  wipeIdentity: string[];
  deleteMedia: string[];
}

export function planRetention(rows: readonly RetentionRow[], now: number, config: RetentionConfig = DEFAULT_RETENTION): RetentionPlan {
  const plan: RetentionPlan = { wipeIdentity: [], deleteMedia: [] };
  for (const row of rows) {
    if (!row.delivered || row.deliveredAt === null) continue;
    if (row.hasIdentity) plan.wipeIdentity.push(row.submissionId);
    if (row.hasMedia && now - row.deliveredAt >= config.mediaDays * 86_400_000) plan.deleteMedia.push(row.submissionId);
  }
  return plan;
}

export interface DiskUsage {
  totalBytes: number;
  freeBytes: number;
}

/**
 * The technician alert for a filling disk, or null. Two thresholds, so the back office hears about
 * it before the kiosk turns residents away: the configured share of the disk in use, and the free
 * space below which the booth core refuses new recordings (`minFreeBytes`, main/disk.ts); on a
 * small disk the second comes first.
 */
export function diskAlert(
  usage: DiskUsage,
  config: Pick<RetentionConfig, 'diskAlertFraction'> = DEFAULT_RETENTION,
  minFreeBytes = 0,
): string | null {
  if (usage.totalBytes <= 0) return null;
  const used = 1 - usage.freeBytes / usage.totalBytes;
  if (minFreeBytes > 0 && usage.freeBytes < minFreeBytes) {
    return `disk nearly full: ${mib(usage.freeBytes)} MiB free, below the ${mib(minFreeBytes)} MiB the booth needs to take new recordings; unsent media is kept; free space or check the network`;
  }
  if (used < config.diskAlertFraction) return null;
  return `disk ${Math.round(used * 100)} % full (alert at ${Math.round(config.diskAlertFraction * 100)} %): unsent media is kept; free space or check the network`;
}

const mib = (bytes: number) => Math.floor(bytes / 1_048_576);
