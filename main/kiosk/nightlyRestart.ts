// Nightly restart in quiet hours (Chrome Kiosk's "daily restart", Antamedia's watchdog): a kiosk that
// runs for weeks leaks memory and GPU state; one quiet restart a night is cheaper than a white screen.
// Pure decision; nightlyTimer.ts asks it once a minute for the Electron shell (app.relaunch()) and
// for the core under the Chromium unit (exit, systemd restarts the session).
import { isWithinWindow, nextWindowOpen, type DailyWindow } from '../../lib/timeWindow.ts';

export interface NightlyRestartPolicy {
  enabled: boolean;
  window: DailyWindow;
  timeZone: string;
  /**
   * Do not restart a process younger than this. It is what stops a second restart inside the same
   * window (the restarted app is young), and it spares a booth that was just switched on.
   */
  minUptimeMs: number;
}

export const DEFAULT_NIGHTLY_RESTART: NightlyRestartPolicy = {
  enabled: true,
  window: { start: '03:00', end: '04:00' },
  timeZone: 'Asia/Shanghai',
  minUptimeMs: 6 * 3600_000,
};

export type RestartDecision =
  | { restart: true }
  | { restart: false; reason: 'disabled' | 'outside-window' | 'too-young' | 'session-active'; checkAgainAt: number | null };

export function decideNightlyRestart(
  p: NightlyRestartPolicy,
  s: { now: number; startedAt: number; sessionActive: boolean },
): RestartDecision {
  if (!p.enabled) return { restart: false, reason: 'disabled', checkAgainAt: null };
  if (!isWithinWindow(s.now, p.window, p.timeZone)) {
    return { restart: false, reason: 'outside-window', checkAgainAt: nextWindowOpen(s.now, p.window, p.timeZone) };
  }
  if (s.now - s.startedAt < p.minUptimeMs) {
    // Young inside the window (just restarted, or just switched on): ask again when old enough,
    // which for a short window is after it closed, so the answer then is "tomorrow".
    return { restart: false, reason: 'too-young', checkAgainAt: s.startedAt + p.minUptimeMs };
  }
  if (s.sessionActive) return { restart: false, reason: 'session-active', checkAgainAt: s.now + 60_000 };
  return { restart: true };
}

/** The policy in force: the back office's quiet hours and switch once it has sent settings
 *  (revision > 0), else the default; BOOTH_NIGHTLY_RESTART=0 (tests, a bench) switches it off. */
export function nightlyRestartPolicy(
  backOffice: { revision: number; quietHours: DailyWindow; nightlyRestart: boolean } | null,
  env: Record<string, string | undefined>,
): NightlyRestartPolicy {
  const off = env.BOOTH_NIGHTLY_RESTART === '0';
  if (!backOffice || backOffice.revision === 0) return { ...DEFAULT_NIGHTLY_RESTART, enabled: !off };
  return { ...DEFAULT_NIGHTLY_RESTART, window: backOffice.quietHours, enabled: backOffice.nightlyRestart && !off };
}
