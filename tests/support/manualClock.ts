// A Clock moved by hand (STYLE.md habit 7): timers fire only when the test advances time, so a
// test says "one heartbeat interval passes" without waiting for it or asserting on wall-clock time.
import type { Clock } from '../../lib/clock.ts';

export interface ManualClock {
  clock: Clock;
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** How far in the future each pending timer is due, ms (e.g. to see that a loop rescheduled). */
  pending(): number[];
}

export function manualClock(start = 0): ManualClock {
  let now = start;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = now + ms;
    for (;;) {
      const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      timers = timers.filter((t) => t !== due);
      now = due.at;
      due.fn();
    }
    now = end;
  };
  return { clock, advance, pending: () => timers.map((t) => t.at - now) };
}
