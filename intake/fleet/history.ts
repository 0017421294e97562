// A week of heartbeats is ~3,400 rows at one every 3 minutes: the fleet page shows one row per hour
// (the hour's last heartbeat, with how many arrived and the hour's worst queue), and hours with
// none are gaps a technician can see. Pure.
export interface HeartbeatPoint {
  receivedAt: number;
  queueDepth: number;
  oldestUnsentSec: number | null;
}

export interface HourSummary<T extends HeartbeatPoint> {
  hourStart: number;
  count: number;
  maxQueueDepth: number;
  last: T;
}

const HOUR = 3600_000;

export function hourly<T extends HeartbeatPoint>(rows: readonly T[]): HourSummary<T>[] {
  const byHour = new Map<number, HourSummary<T>>();
  for (const r of rows) {
    const h = r.receivedAt - (r.receivedAt % HOUR);
    const s = byHour.get(h);
    if (!s) byHour.set(h, { hourStart: h, count: 1, maxQueueDepth: r.queueDepth, last: r });
    else {
      s.count += 1;
      s.maxQueueDepth = Math.max(s.maxQueueDepth, r.queueDepth);
      if (r.receivedAt >= s.last.receivedAt) s.last = r;
    }
  }
  return [...byHour.values()].sort((a, b) => a.hourStart - b.hourStart);
}

/** Hours in [from, to) with no heartbeat at all (the booth was off or offline). */
export function silentHours(summaries: readonly { hourStart: number }[], from: number, to: number): number[] {
  const heard = new Set(summaries.map((s) => s.hourStart));
  const out: number[] = [];
  for (let h = from - (from % HOUR) + (from % HOUR ? HOUR : 0); h + HOUR <= to; h += HOUR) if (!heard.has(h)) out.push(h);
  return out;
}
