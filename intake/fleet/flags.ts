// When a booth needs a technician's attention, decided from its latest heartbeat. Pure: the fleet
// page and the fleet API call it with the stored heartbeat and the current time.
// A booth we have no data for is "never heard", not "down" (boardsesh's lesson, REFERENCES 2.7).

export interface FleetLimits {
  /** Not heard from for this long → flagged. The issue fixes it at 10 minutes. */
  silentAfterMs: number;
  /** Oldest unsent submission older than this → flagged (configured by the admin). */
  oldestUnsentMaxMs: number;
  /** Free disk below this → flagged, for a booth that does not say what it needs (older versions). */
  diskFreeMinBytes: number;
  /** The booth's clock this far from the intake's (either way) → flagged; the same limit as booth doctor's. */
  clockSkewMaxMs: number;
}

export const DEFAULT_FLEET_LIMITS: FleetLimits = {
  silentAfterMs: 10 * 60_000,
  oldestUnsentMaxMs: 6 * 3600_000,
  diskFreeMinBytes: 2 * 1024 ** 3,
  clockSkewMaxMs: 2 * 60_000,
};

export interface BoothHealthInput {
  revoked: boolean;
  /** Receive time of the latest heartbeat (intake clock, not the booth's), or null. */
  lastHeartbeatAt: number | null;
  /** As reported in that heartbeat. null = the queue was empty. */
  oldestUnsentAgeMs: number | null;
  diskFreeBytes: number | null;
  /** What the booth needs free to take one more full recording (its refusal limit + the largest item); null = not said. */
  diskNeedBytes: number | null;
  /** The booth's clock minus the intake's, from that heartbeat; null = no heartbeat. */
  clockSkewMs: number | null;
  /** Device names whose status is not ok, e.g. ['reader'] (from the heartbeat's device status). */
  faultyDevices: readonly string[];
  lastError: string | null;
  /** The booth's own technician alerts from that heartbeat (e.g. disk below what recording needs). */
  alerts: readonly string[];
  /** The intake's alerts about this booth (intake_alerts, e.g. a case filed under another number
   *  than the booth's receipt: a restored or re-imaged booth), of the last INTAKE_ALERT_DAYS. */
  intakeAlerts?: readonly string[];
}

/** How long the intake's alerts about a booth (a renumbered case) stay on the fleet page. */
export const INTAKE_ALERT_DAYS = 7;

export type FleetFlag =
  | { kind: 'never-heard' }
  | { kind: 'silent'; sinceMs: number }
  | { kind: 'queue-stuck'; oldestUnsentAgeMs: number }
  | { kind: 'disk-low'; freeBytes: number; needBytes: number }
  | { kind: 'clock-skew'; skewMs: number }
  | { kind: 'device-fault'; devices: string[] }
  | { kind: 'booth-alert'; alerts: string[] }
  | { kind: 'intake-alert'; alerts: string[] };

export function fleetFlags(b: BoothHealthInput, now: number, limits: FleetLimits = DEFAULT_FLEET_LIMITS): FleetFlag[] {
  // A revoked booth is retired on purpose: nobody should drive out to it.
  if (b.revoked) return [];
  // A renumbered case is news even from a booth not heard from since.
  if (b.lastHeartbeatAt === null)
    return [{ kind: 'never-heard' }, ...(b.intakeAlerts?.length ? [{ kind: 'intake-alert' as const, alerts: [...b.intakeAlerts] }] : [])];
  const flags: FleetFlag[] = [];
  const silentFor = now - b.lastHeartbeatAt;
  if (silentFor >= limits.silentAfterMs) flags.push({ kind: 'silent', sinceMs: silentFor });
  // The age was measured when the heartbeat was sent; if the booth has been silent since, the
  // item is at least that much older (it cannot have been sent without a later heartbeat saying so).
  if (b.oldestUnsentAgeMs !== null) {
    const age = b.oldestUnsentAgeMs + Math.max(0, silentFor);
    if (age > limits.oldestUnsentMaxMs) flags.push({ kind: 'queue-stuck', oldestUnsentAgeMs: age });
  }
  // Relative to what recording needs: a small disk that is nearly empty is fine, a large one about to
  // refuse the next recording is not. Older booths do not say; for them the fixed limit stands.
  const need = b.diskNeedBytes ?? limits.diskFreeMinBytes;
  if (b.diskFreeBytes !== null && b.diskFreeBytes < need) flags.push({ kind: 'disk-low', freeBytes: b.diskFreeBytes, needBytes: need });
  // Receipts, deadlines and case numbers use the booth's clock (doctor's clock check, same limit).
  if (b.clockSkewMs !== null && Math.abs(b.clockSkewMs) > limits.clockSkewMaxMs) flags.push({ kind: 'clock-skew', skewMs: b.clockSkewMs });
  if (b.faultyDevices.length > 0) flags.push({ kind: 'device-fault', devices: [...b.faultyDevices] });
  // The booth knows its own thresholds (its refusal limit for recordings may be above ours).
  if (b.alerts.length > 0) flags.push({ kind: 'booth-alert', alerts: [...b.alerts] });
  if (b.intakeAlerts?.length) flags.push({ kind: 'intake-alert', alerts: [...b.intakeAlerts] });
  return flags;
}

/** Sort order of the fleet page: flagged booths first (most flags, longest silent), then by code. */
export function fleetOrder<T extends { code: string; flags: FleetFlag[]; lastHeartbeatAt: number | null }>(rows: T[]): T[] {
  return [...rows].sort(
    (a, b) =>
      b.flags.length - a.flags.length ||
      (a.lastHeartbeatAt ?? -Infinity) - (b.lastHeartbeatAt ?? -Infinity) ||
      a.code.localeCompare(b.code),
  );
}

/** Heartbeat history is kept for a week. */
export const HEARTBEAT_HISTORY_MS = 7 * 24 * 3600_000;
/** Stored heartbeats older than this are pruned (a day more than the fleet view shows, so its
 *  week is always whole); each booth's latest one stays, however old, for "last heard". */
export const HEARTBEAT_KEEP_MS = HEARTBEAT_HISTORY_MS + 24 * 3600_000;
