import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../lib/clock.ts';
import { Periodic } from '../../lib/periodic.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Periodic', () => {
  it('runs at once, then every interval after the previous run settled; stop() ends it', async () => {
    const runs: number[] = [];
    const p = new Periodic(systemClock, () => 1000, async () => {
      runs.push(Date.now());
      await new Promise((r) => setTimeout(r, 300)); // a slow run
    });
    const t0 = Date.now();
    p.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([t0]);
    await vi.advanceTimersByTimeAsync(1300);
    expect(runs).toEqual([t0, t0 + 1300]); // 300 ms run + 1000 ms interval
    p.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toHaveLength(2);
  });

  it('keeps its schedule when a run throws', async () => {
    let n = 0;
    const p = new Periodic(systemClock, () => 500, async () => {
      n++;
      throw new Error('boom');
    });
    p.start();
    await vi.advanceTimersByTimeAsync(1100);
    expect(n).toBe(3);
    p.stop();
  });

  it('a stop() before the first run means no run at all', async () => {
    const task = vi.fn(async () => undefined);
    const p = new Periodic(systemClock, () => 500, task);
    p.start(100);
    p.stop();
    await vi.advanceTimersByTimeAsync(5000);
    expect(task).not.toHaveBeenCalled();
  });
});
