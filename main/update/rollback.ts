// The update's life after "install" as a persisted state machine: the booth writes the state
// (durably) before it installs, and reads it on every start. A new version must pass its start-up
// self-test; if it fails, or if it keeps dying before it can finish the test (systemd restarts a
// crashed main process), the booth reinstalls the package it kept from the previous version.

export type UpdateState =
  | { phase: 'stable'; version: string; rejected: string[] }
  | { phase: 'installing'; from: string; to: string; rejected: string[] }
  | { phase: 'verifying'; from: string; to: string; starts: number; rejected: string[] }
  | { phase: 'rolling-back'; from: string; to: string; rejected: string[] };

export type UpdateEvent =
  | { type: 'install-started'; from: string; to: string }
  /** The app started and reports the version it is running. */
  | { type: 'started'; version: string }
  | { type: 'self-test-passed' }
  | { type: 'self-test-failed' };

export type UpdateEffect =
  | { type: 'run-self-test' }
  | { type: 'reinstall-previous'; version: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** A version that died this many times before finishing its self-test is rolled back. */
export const MAX_VERIFY_STARTS = 3;

export const initialUpdateState = (version: string): UpdateState => ({ phase: 'stable', version, rejected: [] });

function reject(rejected: string[], v: string): string[] {
  return rejected.includes(v) ? rejected : [...rejected, v];
}

export function nextUpdateState(s: UpdateState, e: UpdateEvent): { state: UpdateState; effects: UpdateEffect[] } {
  const same = { state: s, effects: [] as UpdateEffect[] };
  switch (e.type) {
    case 'install-started':
      if (s.phase !== 'stable') return same;
      return { state: { phase: 'installing', from: e.from, to: e.to, rejected: s.rejected }, effects: [] };

    case 'started':
      switch (s.phase) {
        case 'stable':
          return { state: { ...s, version: e.version }, effects: [] };
        case 'installing':
          if (e.version === s.to) {
            return {
              state: { phase: 'verifying', from: s.from, to: s.to, starts: 1, rejected: s.rejected },
              effects: [{ type: 'run-self-test' }],
            };
          }
          // The installer did not take (still the old version): forget this attempt, try again later.
          return {
            state: { phase: 'stable', version: e.version, rejected: s.rejected },
            effects: [{ type: 'log', level: 'warn', message: `update to ${s.to} did not install; still on ${e.version}` }],
          };
        case 'verifying':
          if (e.version !== s.to) return { state: { phase: 'stable', version: e.version, rejected: s.rejected }, effects: [] };
          if (s.starts + 1 > MAX_VERIFY_STARTS) {
            return {
              state: { phase: 'rolling-back', from: s.from, to: s.to, rejected: reject(s.rejected, s.to) },
              effects: [
                {
                  type: 'log',
                  level: 'error',
                  message: `version ${s.to} did not finish its self-test in ${MAX_VERIFY_STARTS} starts; rolling back to ${s.from}`,
                },
                { type: 'reinstall-previous', version: s.from },
              ],
            };
          }
          return { state: { ...s, starts: s.starts + 1 }, effects: [{ type: 'run-self-test' }] };
        case 'rolling-back':
          if (e.version === s.from) {
            return {
              state: { phase: 'stable', version: e.version, rejected: s.rejected },
              effects: [{ type: 'log', level: 'warn', message: `rolled back from ${s.to} to ${s.from}` }],
            };
          }
          // The reinstall has not happened yet (or failed): ask again.
          return { state: s, effects: [{ type: 'reinstall-previous', version: s.from }] };
        default:
          return assertNever(s);
      }

    case 'self-test-passed':
      if (s.phase !== 'verifying') return same;
      return {
        state: { phase: 'stable', version: s.to, rejected: s.rejected },
        effects: [{ type: 'log', level: 'info', message: `update to ${s.to} passed its self-test` }],
      };

    case 'self-test-failed':
      if (s.phase !== 'verifying') return same;
      return {
        state: { phase: 'rolling-back', from: s.from, to: s.to, rejected: reject(s.rejected, s.to) },
        effects: [
          { type: 'log', level: 'error', message: `version ${s.to} failed its self-test; rolling back to ${s.from}` },
          { type: 'reinstall-previous', version: s.from },
        ],
      };

    default:
      return assertNever(e);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled: ${JSON.stringify(x)}`);
}
