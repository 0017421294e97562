// What the booth core does about the kiosk window process it launched (npm start, and the
// Chromium-fallback unit, where the window is a child of the core). Electron reloads its own
// crashed page (main/electron/recovery.ts); a Chromium --app window cannot be told to, and when
// the browser process itself dies nothing would notice: the core would keep serving an empty X
// screen while systemd sees a healthy unit. So the core watches the child's exit and the page's
// "alive" pings (renderer/kioskAlive.ts), and spends the same budget as the Electron shell
// (./rendererRecovery.ts: 3 relaunches in 5 minutes) before it exits non-zero for systemd.
// Pure: the caller (main/kiosk/supervisor.ts) owns the process, the clock and the timers.
import { KIOSK_ALIVE_EVERY_MS } from '../../contract/kiosk.ts';
import { initialRecovery, onRendererTrouble, RECOVERY_BUDGET, type RecoveryState } from './rendererRecovery.ts';

export const WINDOW_WATCH = {
  /** A loaded page pings every KIOSK_ALIVE_EVERY_MS; three missed pings = no sign of life. */
  staleAfterMs: 3 * KIOSK_ALIVE_EVERY_MS,
  /** From launch to the first ping: a browser start and first paint on a slow booth. */
  firstPingWithinMs: 60_000,
  /** How often the caller sends 'check'. */
  checkEveryMs: KIOSK_ALIVE_EVERY_MS,
} as const;

/** Delay before the n-th relaunch inside the budget window (1st at once: a resident may be waiting). */
export const RELAUNCH_BACKOFF_MS = [0, 2_000, 10_000] as const;

export interface WindowWatchState {
  recovery: RecoveryState;
  launchedAt: number;
  lastPingAt: number | null;
  /** The core killed a hung window: its exit is expected and already paid for. */
  killing: boolean;
}

export type WindowEvent =
  | { type: 'launched' }
  | { type: 'ping' }
  /** Periodic: is the page still alive? Only sent when hang detection is on. */
  | { type: 'check' }
  | { type: 'exited'; code: number | null; signal: string | null };

export type WindowAction =
  | { type: 'none' }
  | { type: 'relaunch'; afterMs: number }
  /** The page stopped pinging: kill the window process; its exit leads to a relaunch. */
  | { type: 'kill' }
  /** Relaunched too often: exit non-zero so the system service restarts everything. */
  | { type: 'give-up' };

export const initialWindowWatch = (now: number): WindowWatchState => ({
  recovery: initialRecovery(),
  launchedAt: now,
  lastPingAt: null,
  killing: false,
});

export function isStale(s: WindowWatchState, now: number): boolean {
  return s.lastPingAt === null ? now - s.launchedAt > WINDOW_WATCH.firstPingWithinMs : now - s.lastPingAt > WINDOW_WATCH.staleAfterMs;
}

/** The relaunch delay once `reloads` (this one included) were spent inside the budget window. */
export function relaunchDelayMs(reloads: number): number {
  const i = Math.min(Math.max(reloads, 1), RELAUNCH_BACKOFF_MS.length) - 1;
  return RELAUNCH_BACKOFF_MS[i]!;
}

function recentReloads(r: RecoveryState, now: number): number {
  return r.reloads.filter((at) => now - at < RECOVERY_BUDGET.perMs).length;
}

export function onWindowEvent(s: WindowWatchState, e: WindowEvent, now: number): { state: WindowWatchState; action: WindowAction } {
  const none = (state: WindowWatchState) => ({ state, action: { type: 'none' } as WindowAction });
  switch (e.type) {
    case 'launched':
      return none({ recovery: { ...s.recovery, hungSince: null }, launchedAt: now, lastPingAt: null, killing: false });
    case 'ping': {
      const r = onRendererTrouble(s.recovery, { type: 'responsive' }, now);
      return none({ ...s, recovery: r.state, lastPingAt: now });
    }
    case 'check': {
      if (s.killing) return none(s);
      const r = onRendererTrouble(s.recovery, { type: isStale(s, now) ? 'unresponsive' : 'responsive' }, now);
      const next = { ...s, recovery: r.state };
      switch (r.action.type) {
        case 'reload-start-screen':
          return { state: { ...next, killing: true }, action: { type: 'kill' } };
        case 'exit-for-service-restart':
          return { state: next, action: { type: 'give-up' } };
        default:
          // wait-for-hang (grace period running) or none: check again at the next tick.
          return none(next);
      }
    }
    case 'exited': {
      if (s.killing)
        return { state: { ...s, killing: false }, action: { type: 'relaunch', afterMs: relaunchDelayMs(recentReloads(s.recovery, now)) } };
      // A window the booth did not close is a crash, whatever its exit code: nobody at a kiosk
      // closes it on purpose, and a shell that gives up itself (Electron past its budget) exits too.
      const reason = e.signal ? `signal ${e.signal}` : `exit code ${String(e.code)}`;
      const r = onRendererTrouble(s.recovery, { type: 'gone', reason }, now);
      const next = { ...s, recovery: r.state };
      if (r.action.type === 'exit-for-service-restart') return { state: next, action: { type: 'give-up' } };
      return { state: next, action: { type: 'relaunch', afterMs: relaunchDelayMs(recentReloads(r.state, now)) } };
    }
    default: {
      const never: never = e;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}
