// packaging/bin/booth (/usr/bin/booth on a deb booth) run for real with sh. The packaged Electron
// binary cannot be built here (TOOLCHAIN.md 7b), so an executable at its install path stands in
// for it and records who started it, with what environment and arguments. The same wrapper running
// the real bundled CLI (Node standing in for Electron): tests/main/electron/bundle.int.test.ts.
// The root branch runs in a private mount namespace (unshare -m) whose /etc/passwd and /etc/group
// are copies with a booth user: nothing on this machine changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const WRAPPER = path.resolve('packaging/bin/booth');
const BOOTH_UID = 4999;
const EXTRA_GID = 4998; // a supplementary group of booth (as dialout and video are on a booth)
const asRoot = process.getuid?.() === 0;
const rootWhy = !asRoot ? 'needs root (unshare -m, a uid switch)' : null;
if (rootWhy) console.log(`[skip] booth wrapper as root: ${rootWhy}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'booth-cli-'));
// The stand-in runs as booth after the switch: it must reach its files.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fake /opt/shuoba-booth whose shuoba-booth records uid, groups, environment and arguments, and writes a file into BOOTH_DATA as a CLI command would. */
function fakeApp(): { app: string; record: string } {
  const app = path.join(dir, `app-${++n}`);
  const record = path.join(dir, `record-${n}`);
  mkdirSync(app);
  mkdirSync(record, { mode: 0o777 });
  chmodSync(record, 0o777);
  writeFileSync(
    path.join(app, 'shuoba-booth'),
    `#!/bin/sh\nid -u > "${record}/uid"\nid -G > "${record}/groups"\nenv -0 > "${record}/env"\nprintf '%s\\n' "$@" > "${record}/args"\n[ -d "$BOOTH_DATA" ] && touch "$BOOTH_DATA/written-by-cli"\nexit 0\n`,
  );
  chmodSync(app, 0o755);
  chmodSync(path.join(app, 'shuoba-booth'), 0o755);
  return { app, record };
}

function parseEnv(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\0')
      .filter(Boolean)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
}

const baseEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
/** The wrapper as an unprivileged caller: uid 4999 when this test runs as root, else this user. */
function asUser(args: string[], env: Record<string, string>) {
  const argv = [...(asRoot ? ['setpriv', `--reuid=${BOOTH_UID}`, `--regid=${BOOTH_UID}`, '--clear-groups'] : []), 'sh', WRAPPER, ...args];
  return spawnSync(argv[0]!, argv.slice(1), { env: { ...baseEnv, ...env }, encoding: 'utf8' });
}

/** The wrapper as root, in a namespace where user booth exists (with a supplementary group). */
function asRootWithBoothUser(args: string[], env: Record<string, string>) {
  const passwd = path.join(dir, 'passwd');
  const group = path.join(dir, 'group');
  writeFileSync(
    passwd,
    `${readFileSync('/etc/passwd', 'utf8')}booth:x:${BOOTH_UID}:${BOOTH_UID}::/var/lib/shuoba-booth:/usr/sbin/nologin\n`,
  );
  writeFileSync(group, `${readFileSync('/etc/group', 'utf8')}booth:x:${BOOTH_UID}:\nbooth-extra:x:${EXTRA_GID}:booth\n`);
  const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec sh "$@"';
  return spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', passwd, group, WRAPPER, ...args], {
    env: { ...baseEnv, ...env },
    encoding: 'utf8',
  });
}

function dataDir(owner: number | null, mode = 0o700): string {
  const d = path.join(dir, `data-${++n}`);
  mkdirSync(d);
  chmodSync(d, mode);
  if (owner !== null && asRoot) execFileSync('chown', [`${owner}:${owner}`, d]);
  return d;
}

describe('packaging/bin/booth', () => {
  it('is valid sh', () => {
    expect(spawnSync('sh', ['-n', WRAPPER]).status).toBe(0);
  });

  it('runs the bundled CLI with the packaged binary as Node, on BOOTH_DATA, passing the arguments through', () => {
    const { app, record } = fakeApp();
    const data = dataDir(BOOTH_UID);
    const r = asUser(['doctor', '--json', 'two words'], { BOOTH_APP: app, BOOTH_DATA: data, BOOTH_ENV_FILE: path.join(dir, 'none') });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(`${record}/args`, 'utf8').split('\n').filter(Boolean)).toEqual([
      `${app}/resources/app.asar/dist-electron/cli.mjs`,
      'doctor',
      '--json',
      'two words',
    ]);
    expect(parseEnv(readFileSync(`${record}/env`, 'utf8'))).toMatchObject({ ELECTRON_RUN_AS_NODE: '1', BOOTH_DATA: data });
  });

  it.each([
    ['the environment wins', { BOOTH_DATA: '/srv/from-env' }, 'BOOTH_DATA=/srv/from-env-file\n', '/srv/from-env'],
    [
      'else booth.env, as the units read it (its last BOOTH_DATA line)',
      {},
      'BOOTH_TOUCH=1\nBOOTH_DATA=/srv/old\nBOOTH_DATA=/srv/from-env-file\n',
      '/srv/from-env-file',
    ],
    ["else the units' default", {}, null, '/var/lib/shuoba-booth'],
  ])('data directory: %s', (_n, env, envFile, expected) => {
    const { app, record } = fakeApp();
    const file = path.join(dir, `booth-${++n}.env`);
    if (envFile !== null) writeFileSync(file, envFile);
    const r = asUser(['status'], { BOOTH_APP: app, BOOTH_ENV_FILE: file, ...env });
    expect(r.status, r.stderr).toBe(0);
    expect(parseEnv(readFileSync(`${record}/env`, 'utf8')).BOOTH_DATA).toBe(expected);
  });

  it('says what to do when the packaged app is not installed', () => {
    const r = asUser(['status'], { BOOTH_APP: path.join(dir, 'no-app') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no-app\/shuoba-booth is not installed \(the deb installs it; on a source install use npm run booth -- …\)/);
  });

  it.skipIf(!asRoot)('an unprivileged caller who cannot read the data directory is told to use sudo', () => {
    const { app, record } = fakeApp();
    const data = dataDir(0);
    const r = asUser(['status'], { BOOTH_APP: app, BOOTH_DATA: data });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${data} is user booth's; run it as root (sudo booth …), it drops to booth itself`);
    expect(() => statSync(`${record}/args`)).toThrow();
  });

  it.skipIf(rootWhy !== null)("as root: drops to user booth and its groups, so what it writes in the data directory is booth's", () => {
    const { app, record } = fakeApp();
    const data = dataDir(BOOTH_UID);
    const r = asRootWithBoothUser(['provision', '--code', 'K7QM4-XRT2P'], { BOOTH_APP: app, BOOTH_DATA: data });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(`${record}/uid`, 'utf8').trim()).toBe(String(BOOTH_UID));
    expect(readFileSync(`${record}/groups`, 'utf8').trim().split(' ').map(Number).sort()).toEqual([EXTRA_GID, BOOTH_UID]);
    expect(parseEnv(readFileSync(`${record}/env`, 'utf8'))).toMatchObject({ ELECTRON_RUN_AS_NODE: '1', BOOTH_DATA: data });
    expect(readFileSync(`${record}/args`, 'utf8').split('\n').filter(Boolean).slice(1)).toEqual(['provision', '--code', 'K7QM4-XRT2P']);
    expect(statSync(path.join(data, 'written-by-cli')).uid).toBe(BOOTH_UID);
  });

  const noBoothUser = spawnSync('id', ['booth']).status !== 0;
  it.skipIf(rootWhy !== null || !noBoothUser)('as root on a machine without user booth: says so and starts nothing', () => {
    const { app, record } = fakeApp();
    const r = spawnSync('sh', [WRAPPER, 'status'], { env: { ...baseEnv, BOOTH_APP: app, BOOTH_DATA: dataDir(null) }, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/there is no user booth \(the deb's postinst creates it/);
    expect(() => statSync(`${record}/args`)).toThrow();
  });
});
