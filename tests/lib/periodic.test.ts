import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../lib/clock.ts';
import { Periodic } from '../../lib/periodic.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('Periodic', () => {
  it('runs at once, then every interval after the previous run settled; stop() ends it', async () => {
    const runs: number[] = [];
    const p = new Periodic(
      systemClock,
      () => 1000,
      async () => {
        runs.push(Date.now());
        await new Promise((r) => setTimeout(r, 300)); // a slow run
      },
    );
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
    const p = new Periodic(
      systemClock,
      () => 500,
      async () => {
        n++;
        throw new Error('boom');
      },
    );
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

  it('stop() resolves only once the run in progress has settled, and nothing runs after it', async () => {
    const events: string[] = [];
    const p = new Periodic(
      systemClock,
      () => 1000,
      async () => {
        events.push('run');
        await new Promise((r) => setTimeout(r, 500));
        events.push('settled');
      },
    );
    p.start();
    await vi.advanceTimersByTimeAsync(100); // the first run is half-way
    const stopped = p.stop().then(() => events.push('stopped'));
    await vi.advanceTimersByTimeAsync(1000);
    await stopped;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(events).toEqual(['run', 'settled', 'stopped']);
  });

  it('stop() then start() while a run is settling keeps one schedule, not two', async () => {
    let n = 0;
    const p = new Periodic(
      systemClock,
      () => 1000,
      async () => {
        n++;
        await new Promise((r) => setTimeout(r, 500));
      },
    );
    p.start();
    await vi.advanceTimersByTimeAsync(100);
    void p.stop();
    p.start();
    p.start(); // a second start() of a running schedule is a no-op
    await vi.advanceTimersByTimeAsync(401); // the old run settles at 500; the new chain runs then
    expect(n).toBe(2);
    await vi.advanceTimersByTimeAsync(3000); // 500 ms runs + 1000 ms interval: new runs at 500, 2000, 3500
    expect(n).toBe(4);
    const stopped = p.stop(); // the run from 3500 is still going
    await vi.advanceTimersByTimeAsync(500);
    await stopped;
  });
});
