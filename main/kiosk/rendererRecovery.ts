// What to do when the kiosk's page dies or hangs. Electron never restarts a dead renderer by itself,
// and the common kiosk failure is a white screen (REFERENCES.md 2.7). Reload to the start screen;
// if that keeps failing (3 times in 5 minutes, as AUTO-MAS and daintree settled on), stop reloading
// and exit the app so the system service restarts the whole process fresh.

export type RendererTrouble =
  /** render-process-gone with a reason other than clean-exit. */
  | { type: 'gone'; reason: string }
  /** 'unresponsive' from the BrowserWindow; 'responsive' cancels it. */
  | { type: 'unresponsive' }
  | { type: 'responsive' }
  /** did-fail-load of the start URL (core not up yet after a reboot). */
  | { type: 'load-failed' };

export type RecoveryAction =
  | { type: 'reload-start-screen' }
  | { type: 'reload-later'; afterMs: number }
  | { type: 'wait-for-hang'; afterMs: number }
  | { type: 'exit-for-service-restart' }
  | { type: 'none' };

export interface RecoveryState {
  /** Times of reloads we did, newest last. */
  reloads: number[];
  hungSince: number | null;
}

export const RECOVERY_BUDGET = { maxReloads: 3, perMs: 5 * 60_000, hangGraceMs: 10_000, loadRetryMs: 5_000 } as const;

export const initialRecovery = (): RecoveryState => ({ reloads: [], hungSince: null });

export function onRendererTrouble(s: RecoveryState, t: RendererTrouble, now: number): { state: RecoveryState; action: RecoveryAction } {
  const recent = s.reloads.filter((at) => now - at < RECOVERY_BUDGET.perMs);
  const reload = (): { state: RecoveryState; action: RecoveryAction } =>
    recent.length >= RECOVERY_BUDGET.maxReloads
      ? { state: { reloads: recent, hungSince: null }, action: { type: 'exit-for-service-restart' } }
      : { state: { reloads: [...recent, now], hungSince: null }, action: { type: 'reload-start-screen' } };

  switch (t.type) {
    case 'gone':
      if (t.reason === 'clean-exit') return { state: s, action: { type: 'none' } };
      return reload();
    case 'unresponsive':
      if (s.hungSince === null)
        return { state: { ...s, hungSince: now }, action: { type: 'wait-for-hang', afterMs: RECOVERY_BUDGET.hangGraceMs } };
      // Still hung after the grace period (the caller re-sends 'unresponsive' when its timer fires).
      if (now - s.hungSince >= RECOVERY_BUDGET.hangGraceMs) return reload();
      return { state: s, action: { type: 'wait-for-hang', afterMs: RECOVERY_BUDGET.hangGraceMs - (now - s.hungSince) } };
    case 'responsive':
      return { state: { ...s, hungSince: null }, action: { type: 'none' } };
    case 'load-failed':
      // Not a crash: the core may still be starting. Retry without spending the crash budget.
      return { state: s, action: { type: 'reload-later', afterMs: RECOVERY_BUDGET.loadRetryMs } };
    default: {
      const never: never = t;
      throw new Error(`unhandled ${JSON.stringify(never)}`);
    }
  }
}
