// The nightly restart's loop on vitest's fake timers (the system clock they drive).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { DEFAULT_NIGHTLY_RESTART } from '../../../main/kiosk/nightlyRestart.ts';
import { startNightlyRestart } from '../../../main/kiosk/nightlyTimer.ts';

const local = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, 16, 0) + (hh * 60 + mm) * 60_000; // Asia/Shanghai
const H = 3600_000;

describe('nightly restart loop', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts once, in the first quiet minute nobody uses the booth', async () => {
    vi.setSystemTime(local(14)); // started in the afternoon: old enough by 03:00
    let active = true;
    const restarts: number[] = [];
    startNightlyRestart(
      () => DEFAULT_NIGHTLY_RESTART,
      () => active,
      systemClock,
      () => restarts.push(Date.now()),
    );
    await vi.advanceTimersByTimeAsync(local(27, 10) - local(14)); // 03:10 next day, a resident is there
    expect(restarts).toEqual([]);
    active = false;
    await vi.advanceTimersByTimeAsync(60_000);
    expect(restarts).toEqual([local(27, 11)]);
    await vi.advanceTimersByTimeAsync(24 * H);
    expect(restarts).toHaveLength(1);
  });

  it('a policy switched off while waiting is honoured, and stop() ends the loop', async () => {
    vi.setSystemTime(local(14));
    let enabled = true;
    const restarts: number[] = [];
    const stop = startNightlyRestart(
      () => ({ ...DEFAULT_NIGHTLY_RESTART, enabled }),
      () => false,
      systemClock,
      () => restarts.push(Date.now()),
    );
    enabled = false;
    await vi.advanceTimersByTimeAsync(local(27, 30) - local(14));
    expect(restarts).toEqual([]);
    stop();
    enabled = true;
    await vi.advanceTimersByTimeAsync(24 * H);
    expect(restarts).toEqual([]);
  });
});
