// The nightly restart's loop on an injected clock, shared by the Electron shell (relaunches itself)
// and the booth core under the Chromium unit (exits; systemd starts the session again). Asks
// decideNightlyRestart at most a minute apart, so a policy pushed by the back office is picked up.
import type { Clock } from '../../lib/clock.ts';
import { decideNightlyRestart, type NightlyRestartPolicy } from './nightlyRestart.ts';

export const NIGHTLY_POLL_MS = 60_000;

/** Calls restart() once, when the decision says so; returns a stop function. */
export function startNightlyRestart(
  policy: () => NightlyRestartPolicy,
  sessionActive: () => boolean,
  clock: Clock,
  restart: () => void,
): () => void {
  const startedAt = clock.now();
  let timer: unknown = null;
  let stopped = false;
  const tick = () => {
    if (stopped) return;
    const d = decideNightlyRestart(policy(), { now: clock.now(), startedAt, sessionActive: sessionActive() });
    if (d.restart) {
      restart();
      return;
    }
    const wait = d.checkAgainAt === null ? NIGHTLY_POLL_MS : Math.max(1000, Math.min(NIGHTLY_POLL_MS, d.checkAgainAt - clock.now()));
    timer = clock.setTimeout(tick, wait);
  };
  timer = clock.setTimeout(tick, NIGHTLY_POLL_MS);
  return () => {
    stopped = true;
    clock.clearTimeout(timer);
  };
}
