// packaging/bin/kiosk-session and setup-kiosk-user.sh run for real with sh, on their branches that
// need no X server (the Chromium branch under Xvfb is kioskSession.e2e.test.ts). The packaged
// Electron app cannot be built here (TOOLCHAIN.md 7b), so an executable at its install path stands
// in for it and records the environment and arguments kiosk-session starts it with.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isProduction } from '../../main/production.ts';
import { readStartEnv } from '../../main/startEnv.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiosk-session-int-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The environment of the unit (systemd passes little more than this) plus what the test sets. */
function session(env: Record<string, string>) {
  return spawnSync('sh', ['packaging/bin/kiosk-session'], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

describe('kiosk-session, electron unit (BOOTH_SHELL=electron)', () => {
  it('execs the packaged app in production, without an embedded back office, on the unit defaults', () => {
    const app = path.join(dir, 'opt-shuoba-booth');
    mkdirSync(app);
    const record = path.join(dir, 'started-with');
    writeFileSync(path.join(app, 'shuoba-booth'), `#!/bin/sh\necho "$@" > "${record}.args"\nenv -0 > "${record}.env"\n`);
    chmodSync(path.join(app, 'shuoba-booth'), 0o755);
    const r = session({ BOOTH_SHELL: 'electron', BOOTH_APP: app });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kiosk-session: electron unit, data in \/var\/lib\/shuoba-booth/);
    const env = parseEnv(readFileSync(`${record}.env`, 'utf8'));
    expect(env).toMatchObject({ BOOTH_PRODUCTION: '1', BOOTH_EMBED_INTAKE: '0', BOOTH_DATA: '/var/lib/shuoba-booth', BOOTH_PORT: '47300' });
    // The packaged shell starts its own core: no URL of a core elsewhere.
    expect(env.BOOTH_KIOSK_URL).toBeUndefined();
    expect(readFileSync(`${record}.args`, 'utf8').trim()).toBe('');
    // What the shell's lockdown and start.ts make of that environment.
    expect(isProduction({ isPackaged: false, env })).toBe(true);
    expect(readStartEnv(env)).toMatchObject({ embedIntake: false, production: true });
  });

  it('site settings from booth.env (BOOTH_DATA, BOOTH_PORT) win over the defaults', () => {
    const app = path.join(dir, 'opt-2');
    mkdirSync(app);
    const record = path.join(dir, 'env-2');
    writeFileSync(path.join(app, 'shuoba-booth'), `#!/bin/sh\nenv -0 > "${record}"\n`);
    chmodSync(path.join(app, 'shuoba-booth'), 0o755);
    expect(session({ BOOTH_SHELL: 'electron', BOOTH_APP: app, BOOTH_DATA: '/srv/booth', BOOTH_PORT: '47400' }).status).toBe(0);
    expect(parseEnv(readFileSync(record, 'utf8'))).toMatchObject({ BOOTH_DATA: '/srv/booth', BOOTH_PORT: '47400', BOOTH_PRODUCTION: '1' });
  });

  it('says what to do when the packaged app is not installed', () => {
    const r = session({ BOOTH_SHELL: 'electron', BOOTH_APP: path.join(dir, 'nothing-here') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/shuoba-booth is not installed \(install the deb, or enable shuoba-booth-chromium\.service/);
  });

  it('refuses an unknown shell', () => {
    const r = session({ BOOTH_SHELL: 'firefox' });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/BOOTH_SHELL must be electron or chromium, not 'firefox'/);
  });
});

describe('setup-kiosk-user.sh refuses before it changes anything', () => {
  it.each([
    ['an unknown shell', ['firefox'], {}, 64, /electron or chromium, not 'firefox'/],
    [
      'electron on a machine without the packaged app',
      ['electron'],
      { BOOTH_APP: path.join(dir, 'no-app') },
      1,
      /no-app\/shuoba-booth is not installed: install the deb .* 'chromium' for a source install/,
    ],
  ])('%s', (_n, args, env, status, message) => {
    const r = spawnSync('sh', ['packaging/setup-kiosk-user.sh', ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
      encoding: 'utf8',
    });
    expect(r.status).toBe(status);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/kiosk user 'booth' ready/);
  });
});
