import { describe, expect, it } from 'vitest';
import { parseHhMm, rateAt, take, type BucketState, type ThrottleConfig } from '../../uploader/throttle.ts';

// 2026-11-25 00:00 in China (UTC+8) = 2026-11-24 16:00 UTC.
const MIDNIGHT_CN = Date.UTC(2026, 10, 24, 16, 0, 0);
const at = (hh: number, mm = 0) => MIDNIGHT_CN + (hh * 60 + mm) * 60_000;

const config: ThrottleConfig = {
  bytesPerSecond: 100_000,
  utcOffsetMinutes: 480,
  windows: [
    { from: '08:00', to: '12:00', bytesPerSecond: 0 },
    { from: '22:00', to: '06:00', bytesPerSecond: null },
  ],
};

describe('throttle: windows', () => {
  it.each([
    ['07:59', at(7, 59), 100_000],
    ['08:00', at(8, 0), 0],
    ['11:59', at(11, 59), 0],
    ['12:00', at(12, 0), 100_000],
    ['21:59', at(21, 59), 100_000],
    ['22:00', at(22, 0), null],
    ['03:00 (window crosses midnight)', at(3, 0), null],
    ['06:00', at(6, 0), 100_000],
  ])('%s → %s', (_label, now, rate) => {
    expect(rateAt(config, now)).toBe(rate);
  });

  it('rejects malformed times', () => {
    expect(() => parseHhMm('24:00')).toThrow();
    expect(() => parseHhMm('7:00')).toThrow();
    expect(parseHhMm('23:59')).toBe(23 * 60 + 59);
  });
});

describe('throttle: token bucket', () => {
  it('unlimited always sends', () => {
    expect(take(config, { tokens: 0, at: 0 }, 10_000_000, at(23)).kind).toBe('send');
  });

  it('paused waits until the next minute boundary', () => {
    const r = take(config, { tokens: 0, at: 0 }, 1, at(9, 0) + 15_000);
    expect(r).toMatchObject({ kind: 'wait', ms: 45_000 });
  });

  it('holds the configured average rate over a simulated minute', () => {
    let state: BucketState = { tokens: 0, at: at(14) };
    let now = at(14);
    let sent = 0;
    const chunk = 64 * 1024;
    while (now < at(14, 1)) {
      const r = take(config, state, chunk, now);
      state = r.state;
      if (r.kind === 'send') sent += chunk;
      else now += r.ms;
    }
    const rate = sent / 60;
    expect(rate).toBeGreaterThan(0.95 * 100_000);
    expect(rate).toBeLessThan(1.05 * 100_000);
  });
});
