import { describe, expect, it } from 'vitest';
import { hourly, silentHours } from '../../../intake/fleet/history.ts';

const H = 3600_000;
const T0 = Date.UTC(2026, 10, 25, 0);
const hb = (at: number, q = 0) => ({ receivedAt: at, queueDepth: q, oldestUnsentSec: null });

describe('a week of heartbeats, by the hour', () => {
  it('keeps the last heartbeat of each hour, how many came, and the worst queue', () => {
    const rows = [hb(T0 + 60_000, 2), hb(T0 + 25 * 60_000, 5), hb(T0 + 59 * 60_000, 1), hb(T0 + 2 * H + 1000, 0)];
    expect(hourly(rows)).toEqual([
      { hourStart: T0, count: 3, maxQueueDepth: 5, last: rows[2] },
      { hourStart: T0 + 2 * H, count: 1, maxQueueDepth: 0, last: rows[3] },
    ]);
  });

  it('names the hours nobody heard from the booth', () => {
    const s = hourly([hb(T0 + 1000), hb(T0 + 3 * H + 1000)]);
    expect(silentHours(s, T0, T0 + 4 * H)).toEqual([T0 + H, T0 + 2 * H]);
  });

  it('3,360 heartbeats of a week become at most 168 rows', () => {
    const rows = Array.from({ length: 3360 }, (_, i) => hb(T0 + i * 180_000));
    expect(hourly(rows)).toHaveLength(168);
  });
});
