// A piece of work run every `everyMs` on a Clock (the system clock, or a test's manual one): the
// next run is scheduled when this one has finished, a failure is logged and the ticking goes on;
// stop() ends it (tests, shutdown). The reminder and process tickers run on it.
import type { Clock } from '../../lib/clock.ts';

export function everyTick(clock: Clock, everyMs: number, work: () => Promise<unknown>, onError: (e: unknown) => void): { stop(): void } {
  let handle: unknown = null;
  let stopped = false;
  const tick = async () => {
    try {
      await work();
    } catch (e) {
      onError(e);
    }
    if (!stopped) handle = clock.setTimeout(() => void tick(), everyMs);
  };
  handle = clock.setTimeout(() => void tick(), everyMs);
  return {
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
