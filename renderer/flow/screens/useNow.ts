import { useEffect, useState } from 'react';
import type { Clock } from '../store.ts';

/** The clock's time, looked at every `everyMs` while mounted (for countdowns on screen). */
export function useNow(clock: Clock, everyMs: number): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let h: unknown;
    const loop = () => {
      setNow(clock.now());
      h = clock.setTimeout(loop, everyMs);
    };
    h = clock.setTimeout(loop, everyMs);
    return () => clock.clearTimeout(h);
  }, [clock, everyMs]);
  return now;
}
