// What the booth does about software updates, as one pure decision (tested as a table).
// Downloading may happen at any time in the background; installing restarts the kiosk, so it
// happens only in quiet hours, never during a resident's session, and never for a version that
// already failed its self-test on this booth (it would loop: install, fail, roll back, install...).
import { isWithinWindow, nextWindowOpen, type DailyWindow } from '../../lib/timeWindow.ts';
import { compareVersions, parseVersion } from '../version.ts';

export interface OfferedRelease {
  version: string;
  /** The release manifest's signature verified against the booth's release key (signature.ts). */
  signatureValid: boolean;
}

export interface UpdateInputs {
  now: number;
  currentVersion: string;
  offered: OfferedRelease | null;
  /** Versions that failed their start-up self-test here and were rolled back. */
  rejectedVersions: readonly string[];
  /** The offered version is downloaded and its sha512 checked by electron-updater. */
  downloadedVersion: string | null;
  quietHours: DailyWindow;
  timeZone: string;
  sessionActive: boolean;
  /** Updates can be switched off per booth by the back office (e.g. during a pilot). */
  enabled: boolean;
}

export type UpdateDecision =
  | { action: 'none'; reason: 'disabled' | 'no-offer' | 'not-newer' | 'rejected-before' | 'unsigned' | 'bad-version' }
  | { action: 'download'; version: string }
  | { action: 'wait'; version: string; reason: 'outside-quiet-hours' | 'session-active'; checkAgainAt: number }
  | { action: 'install'; version: string };

/** How long to wait before asking again while a resident is using the booth. */
export const SESSION_RECHECK_MS = 60_000;

export function decideUpdate(i: UpdateInputs): UpdateDecision {
  if (!i.enabled) return { action: 'none', reason: 'disabled' };
  if (!i.offered) return { action: 'none', reason: 'no-offer' };
  const { version } = i.offered;
  if (!parseVersion(version) || !parseVersion(i.currentVersion)) return { action: 'none', reason: 'bad-version' };
  if (!i.offered.signatureValid) return { action: 'none', reason: 'unsigned' };
  if (compareVersions(version, i.currentVersion) <= 0) return { action: 'none', reason: 'not-newer' };
  if (i.rejectedVersions.includes(version)) return { action: 'none', reason: 'rejected-before' };
  if (i.downloadedVersion !== version) return { action: 'download', version };
  if (!isWithinWindow(i.now, i.quietHours, i.timeZone)) {
    return { action: 'wait', version, reason: 'outside-quiet-hours', checkAgainAt: nextWindowOpen(i.now, i.quietHours, i.timeZone) };
  }
  if (i.sessionActive) return { action: 'wait', version, reason: 'session-active', checkAgainAt: i.now + SESSION_RECHECK_MS };
  return { action: 'install', version };
}
