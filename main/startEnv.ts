// What main/start.ts does, decided from its environment in one pure place (table-tested):
// `npm start` on a laptop embeds a back office and enrols itself; the systemd units
// (packaging/bin/kiosk-session) say BOOTH_EMBED_INTAKE=0 and BOOTH_PRODUCTION=1, so an unprovisioned
// booth starts out of service instead of running a back office of its own nobody can reach.
import { parseWholeNumber } from '../lib/envNumber.ts';
import { isProduction } from './production.ts';

export type KioskPreference = 'auto' | 'headless' | 'chromium' | 'electron';

export interface StartEnv {
  /** Embed an intake when booth.json names none (development, demo). */
  embedIntake: boolean;
  /** Under a service manager that restarts the process: the nightly restart may exit. */
  production: boolean;
  /** KIOSK: which window to open (auto = Electron if its binary is there, else Chromium). */
  kiosk: KioskPreference;
  /** Relaunch a window whose page stops pinging; off with BOOTH_KIOSK_DEV=1 (a paused debugger is not a hang). */
  hangWatch: boolean;
  /** BOOTH_PORT: the core's port; null = booth.json's. */
  boothPort: number | null;
  /** INTAKE_PORT: the embedded intake's port (default 4300). */
  intakePort: number;
}

function port(env: Record<string, string | undefined>, name: string, fallback: number): number {
  const r = parseWholeNumber(name, env[name], { min: 0, max: 65_535, fallback });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function flag(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  if (v === '0' || v === '1') return v === '1';
  throw new Error(`${name} must be 0 or 1, not ${JSON.stringify(v)}`);
}

export function readStartEnv(env: Record<string, string | undefined>): StartEnv {
  const kiosk = env.KIOSK === undefined || env.KIOSK === '' ? 'auto' : env.KIOSK;
  if (kiosk !== 'auto' && kiosk !== 'headless' && kiosk !== 'chromium' && kiosk !== 'electron') {
    throw new Error(`KIOSK must be headless, chromium or electron (or unset for the first one installed), not ${JSON.stringify(kiosk)}`);
  }
  // Checked for typos here; isProduction reads them.
  flag(env, 'BOOTH_PRODUCTION', false);
  flag(env, 'BOOTH_KIOSK_DEV', false);
  return {
    embedIntake: flag(env, 'BOOTH_EMBED_INTAKE', true),
    production: isProduction({ isPackaged: false, env }),
    kiosk,
    hangWatch: env.BOOTH_KIOSK_DEV !== '1',
    boothPort: env.BOOTH_PORT?.trim() ? port(env, 'BOOTH_PORT', 0) : null,
    intakePort: port(env, 'INTAKE_PORT', 4300),
  };
}

/** An intake is embedded only when allowed and the booth has no intake address of its own. */
export function embedsIntake(s: StartEnv, intakeUrl: string | null): boolean {
  return s.embedIntake && !intakeUrl;
}
