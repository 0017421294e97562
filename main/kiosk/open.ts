// Opens the kiosk window: Electron when its binary is present, else Debian Chromium in
// --kiosk --app mode, else (no display) says so and keeps serving.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../lib/log.ts';
import type { KioskPreference } from '../startEnv.ts';

const log = createLogger('kiosk');

export type KioskChoice =
  { kind: 'electron'; binary: string } | { kind: 'chromium'; binary: string } | { kind: 'headless'; reason: string };

/** Where Electron's binary would be, without require('electron') (that tries a download here). */
export function electronBinary(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('electron/package.json'));
    const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const bin = override ? path.join(override, 'electron') : path.join(dir, 'dist', 'electron');
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

export function chromiumBinary(): string | null {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[])
    if (existsSync(p)) return p;
  return null;
}

/** Pure choice, so it is table-tested. prefer comes from KIOSK (main/startEnv.ts); the Chromium
 *  unit says chromium, so an Electron binary in the source tree's node_modules is not used there. */
export function chooseKiosk(env: {
  display: string | undefined;
  electron: string | null;
  chromium: string | null;
  prefer: KioskPreference;
}): KioskChoice {
  if (env.prefer === 'headless') return { kind: 'headless', reason: 'KIOSK=headless was set' };
  if (!env.display) return { kind: 'headless', reason: 'no display (DISPLAY is not set)' };
  if (env.electron && (env.prefer === 'auto' || env.prefer === 'electron')) return { kind: 'electron', binary: env.electron };
  if (env.prefer === 'electron') return { kind: 'headless', reason: 'KIOSK=electron was set but no Electron binary is installed' };
  if (env.chromium) return { kind: 'chromium', binary: env.chromium };
  return {
    kind: 'headless',
    reason:
      env.prefer === 'chromium' ? 'KIOSK=chromium was set but Chromium is not installed' : 'neither Electron nor Chromium is installed',
  };
}

/** The profile preferences that let the booth's own origin, and nothing else, use camera and
 *  microphone without a prompt nobody could answer. This replaces --use-fake-ui-for-media-stream,
 *  which accepts every origin's request: the `npm start` kiosk is then as tight as the installed
 *  one, whose managed policy (packaging/chromium/) can only be written to /etc as root. Chromium
 *  reads these site exceptions from a fresh profile's Default/Preferences at start. */
export function kioskProfilePreferences(url: string): Record<string, unknown> {
  const allowed = { [`${new URL(url).origin},*`]: { setting: 1 } };
  return { profile: { content_settings: { exceptions: { media_stream_camera: allowed, media_stream_mic: allowed } } } };
}

/** A fresh user-data directory for the kiosk, with kioskProfilePreferences written in it. */
export function makeKioskProfile(url: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'booth-kiosk-'));
  mkdirSync(path.join(dir, 'Default'), { recursive: true });
  writeFileSync(path.join(dir, 'Default', 'Preferences'), JSON.stringify(kioskProfilePreferences(url)));
  return dir;
}

/** Chromium flags for an unattended kiosk on this network (TOOLCHAIN.md: closed network, no WM). */
/** Pure: the caller makes the profile (makeKioskProfile) and removes it when the window is gone. */
export function chromiumKioskArgs(url: string, userDataDir: string, size = { width: 1280, height: 800 }): string[] {
  return [
    '--kiosk',
    `--app=${url}`,
    '--window-position=0,0',
    `--window-size=${size.width},${size.height}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--noerrdialogs',
    '--disable-infobars',
    // No translate bubble, no password or sign-in prompts: nothing a resident could wander into.
    '--disable-features=Translate,TranslateUI,PasswordManagerOnboarding',
    '--disable-pinch',
    '--overscroll-history-navigation=0',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--password-store=basic',
    // No --use-fake-ui-for-media-stream (it grants any origin): the profile allows only ours.
    '--autoplay-policy=no-user-gesture-required',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
}

/** Kills what is left of a window's process group (helpers, a hung renderer) once the window
 *  process itself is gone; nothing of an old window may outlive it next to its replacement. */
export function killWindowGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: nothing left.
  }
}

/**
 * extraEnv: BOOTH_DATA_DIR and BOOTH_INTAKE_URL let the packaged shell check for updates.
 * The window runs in its own process group (detached), so the core can end all of it: a browser
 * killed for a hung page leaves its renderer processes behind otherwise (the renderer's main
 * thread is the one that would notice the browser is gone). The core closes it on shutdown.
 */
export function openKiosk(choice: KioskChoice, url: string, extraEnv: Record<string, string> = {}): ChildProcess | null {
  if (choice.kind === 'headless') return null;
  if (choice.kind === 'electron') {
    const entry = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'dist-electron', 'main.mjs');
    const child = spawn(choice.binary, [entry], {
      stdio: 'inherit',
      detached: true,
      env: { ...process.env, BOOTH_KIOSK_URL: url, ...extraEnv },
    });
    child.on('exit', () => killWindowGroup(child.pid));
    return child;
  }
  const profile = makeKioskProfile(url);
  const child = spawn(choice.binary, chromiumKioskArgs(url, profile), { stdio: 'ignore', detached: true });
  // Each start gets a fresh profile (nothing of one resident's session survives a restart);
  // remove it when the window is gone so /tmp does not fill over months of nightly restarts.
  child.on('exit', () => {
    killWindowGroup(child.pid);
    try {
      // Retries: a helper process killed a moment ago may still be writing into it.
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    } catch (e) {
      // A profile left in /tmp is no reason to take the booth down.
      log.warn({ err: (e as Error).message }, 'kiosk profile not removed');
    }
  });
  return child;
}
