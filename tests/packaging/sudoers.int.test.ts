// The update rule for real: sudo itself decides, for a user booth, which command lines
// packaging/sudoers/shuoba-booth-update allows, starting with the one main/update/packageInstall.ts
// builds; then user booth runs the helper through sudo as the updater does, with the environment
// tricks a compromised kiosk would try. Run in a private mount namespace (unshare -m) where
// /etc/passwd, /etc/group, /etc/shadow and /etc/sudoers are copies with a booth user and the rule,
// and overlays on /usr/lib, /usr/share, /usr/bin and /var/lib hold what setup-kiosk-user.sh installs
// (the helper, the release key, the booth's updates directory) and an executable standing in for
// systemd-run: nothing on this machine changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { debInstallCommand, INSTALL_HELPER, INSTALL_UNIT, SUDOERS_UPDATES_DIR } from '../../main/update/packageInstall.ts';
import { keepRelease, opensslKeyPair } from '../support/release.ts';

const RULE = 'packaging/sudoers/shuoba-booth-update';
const BOOTH_UID = 4999;
const why =
  process.getuid?.() !== 0
    ? 'needs root (unshare -m, sudo -l -U)'
    : !existsSync('/usr/bin/sudo')
      ? 'sudo is not installed (Debian package sudo; scripts/setup.sh installs it as root)'
      : null;
if (why) console.log(`[skip] sudoers rule test: ${why}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'sudoers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** /etc/passwd, group, shadow and sudoers for the namespace: a booth user, and the rule after `defaults`. */
function etc(defaults = 'Defaults env_reset', rule = readFileSync(RULE, 'utf8')): string[] {
  const files = ['passwd', 'group', 'shadow', 'sudoers'].map((f) => path.join(dir, f));
  writeFileSync(
    files[0]!,
    `${readFileSync('/etc/passwd', 'utf8')}booth:x:${BOOTH_UID}:${BOOTH_UID}::/var/lib/shuoba-booth:/usr/sbin/nologin\n`,
  );
  writeFileSync(files[1]!, `${readFileSync('/etc/group', 'utf8')}booth:x:${BOOTH_UID}:\n`);
  // As setup-kiosk-user.sh leaves it: no password (passwd -l). PAM's account check needs the entry.
  writeFileSync(files[2]!, `${readFileSync('/etc/shadow', 'utf8')}booth:!*:20000:0:99999:7:::\n`);
  writeFileSync(files[3]!, `${defaults}\nroot ALL=(ALL:ALL) ALL\n${rule}`);
  chmodSync(files[2]!, 0o640);
  chmodSync(files[3]!, 0o440);
  return files;
}
const BIND_ETC =
  'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && mount --bind "$3" /etc/shadow && mount --bind "$4" /etc/sudoers && shift 4';

const keys = why ? null : { release: opensslKeyPair(dir), attacker: opensslKeyPair(dir) };
let runs = 0;

/**
 * A fresh namespace set up as a deb booth: the helper, the release key and a booth updates directory
 * holding version 1.2.3 signed by `signer`, where setup-kiosk-user.sh and the updater put them, and
 * an executable standing in for systemd-run; then runs argv there (as root). Returns its result and
 * the command the stand-in received (null: nothing was installed).
 */
function inBooth(argv: string[], o: { signer?: 'release' | 'attacker'; defaults?: string; rule?: string } = {}) {
  const run = path.join(dir, `run-${++runs}`);
  const release = path.join(run, 'release');
  mkdirSync(release, { recursive: true });
  keepRelease(release, '1.2.3', randomBytes(4096), keys![o.signer ?? 'release'].priv);
  const record = path.join(run, 'installed');
  writeFileSync(path.join(run, 'systemd-run'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}"\n`);
  const overlays = ['/usr/lib', '/usr/share', '/usr/bin', '/var/lib'].map(
    (m, i) =>
      `mkdir -p "$R/ov${i}/up" "$R/ov${i}/work" && mount -t overlay overlay -o "lowerdir=${m},upperdir=$R/ov${i}/up,workdir=$R/ov${i}/work" ${m}`,
  );
  const setup = [
    ...overlays,
    // What setup-kiosk-user.sh installs (root-owned helper and key, the booth's updates directory).
    'install -d -o root -g root -m 0755 /usr/lib/shuoba-booth /usr/share/shuoba-booth',
    `install -o root -g root -m 0755 "$H" ${INSTALL_HELPER}`,
    'install -o root -g root -m 0644 "$K" /usr/share/shuoba-booth/release-key.pub',
    `install -d -o ${BOOTH_UID} -g ${BOOTH_UID} -m 0700 /var/lib/shuoba-booth ${SUDOERS_UPDATES_DIR}`,
    // What the updater keeps there (as user booth).
    `install -o ${BOOTH_UID} -g ${BOOTH_UID} -m 0600 "$R"/release/* ${SUDOERS_UPDATES_DIR}/`,
    'install -m 0755 "$R/systemd-run" /usr/bin/systemd-run',
    'exec "$@"',
  ].join(' && ');
  const script = `${BIND_ETC} && R="$1" H="$2" K="$3" && shift 3 && ${setup}`;
  const r = spawnSync(
    'unshare',
    [
      '-m',
      'sh',
      '-c',
      script,
      'sh',
      ...etc(o.defaults, o.rule),
      run,
      path.resolve('packaging/bin/install-update'),
      keys!.release.pub,
      ...argv,
    ],
    { encoding: 'utf8' },
  );
  return { status: r.status, stderr: r.stderr, installed: existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n') : null };
}

/** Exit status of `sudo -l -U booth <argv>` under the shipped rule: 0 allowed, 1 refused. */
function allowed(argv: string[]): boolean {
  const r = inBooth(['sudo', '-l', '-U', 'booth', ...argv]);
  if (r.status !== 0 && r.status !== 1) throw new Error(`sudo -l failed (${String(r.status)}): ${r.stderr}`);
  return r.status === 0;
}

/** As uid booth: `env <env> sudo -n <sudoArgs>`; $EVIL_KEY stands for a key of the attacker's the booth user wrote. */
function asBooth(o: {
  signer: 'release' | 'attacker';
  env?: Record<string, string>;
  sudoArgs: string[];
  defaults?: string;
  rule?: string;
}) {
  const evilKey = path.join(dir, 'evil.pub');
  writeFileSync(evilKey, readFileSync(keys!.attacker.pub));
  const put = (a: string) => a.replace('$EVIL_KEY', evilKey);
  const envArgs = Object.entries(o.env ?? {}).map(([k, v]) => `${k}=${put(v)}`);
  return inBooth(
    ['setpriv', `--reuid=${BOOTH_UID}`, `--regid=${BOOTH_UID}`, '--clear-groups', 'env', ...envArgs, 'sudo', '-n', ...o.sudoArgs.map(put)],
    o,
  );
}

const install = (v: string) => debInstallCommand(SUDOERS_UPDATES_DIR, v).slice(2); // without "sudo -n"

describe.skipIf(why !== null)('packaging/sudoers/shuoba-booth-update, as sudo reads it', () => {
  it('parses (visudo)', () => {
    expect(execFileSync('/usr/sbin/visudo', ['-cf', RULE], { encoding: 'utf8' })).toMatch(/parsed OK/);
  });

  it.each(['1.2.3', '0.1.0', '2.0.0-rc.1'])("allows the updater's own command for version %s", (v) => {
    expect(allowed(install(v))).toBe(true);
  });

  it.each([
    ['a second argument', [...install('1.2.3'), '1.2.4']],
    ['a second argument in the same word', [INSTALL_HELPER, '1.2.3 1.2.4']],
    ['no version', [INSTALL_HELPER]],
    ['an option', [INSTALL_HELPER, '--help']],
    ['a path for a version', [INSTALL_HELPER, '../../tmp/1.2.3']],
    ['the helper at another path', ['/tmp/install-update', '1.2.3']],
    // The rule before the helper: dpkg of any package the booth user wrote.
    [
      'systemd-run dpkg -i of a kept package',
      [
        '/usr/bin/systemd-run',
        '--unit',
        INSTALL_UNIT,
        '--collect',
        '--quiet',
        '/usr/bin/dpkg',
        '-i',
        `${SUDOERS_UPDATES_DIR}/shuoba-booth-1.2.3.deb`,
      ],
    ],
    ['dpkg directly', ['/usr/bin/dpkg', '-i', `${SUDOERS_UPDATES_DIR}/shuoba-booth-1.2.3.deb`]],
    // electron-updater's DebUpdater default, which this rule deliberately does not allow
    ['a shell', ['/bin/bash', '-c', `dpkg -i ${SUDOERS_UPDATES_DIR}/shuoba-booth-1.2.3.deb`]],
  ])('refuses %s', (_n, argv) => {
    expect(allowed(argv)).toBe(false);
  });
});

const tricks = { INSTALL_UPDATE_KEY: '$EVIL_KEY', INSTALL_UPDATE_FROM: '/tmp' };

describe.skipIf(why !== null)('user booth runs install-update through sudo', () => {
  it("a release signed with the release key installs: dpkg -i of root's checked copy, in its own unit", () => {
    const r = asBooth({ signer: 'release', sudoArgs: install('1.2.3') });
    expect(r.status, r.stderr).toBe(0);
    expect(r.installed).toEqual([
      '--unit',
      INSTALL_UNIT,
      '--collect',
      '--quiet',
      '/usr/bin/dpkg',
      '-i',
      '/var/lib/shuoba-booth-install/shuoba-booth-1.2.3.deb',
    ]);
  });

  it('a release signed with another key is refused', () => {
    const r = asBooth({ signer: 'attacker', sudoArgs: install('1.2.3') });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/does not verify against the release key \/usr\/share\/shuoba-booth\/release-key\.pub; nothing installed/);
    expect(r.installed).toBeNull();
  });

  it.each([
    [
      'in its environment (sudo resets it)',
      { env: tricks, sudoArgs: install('1.2.3') },
      /does not verify against the release key \/usr\/share\/shuoba-booth\/release-key\.pub/,
    ],
    [
      'in its environment where a site turned env_reset off (the rule resets it for the helper)',
      { env: tricks, sudoArgs: install('1.2.3'), defaults: 'Defaults !env_reset' },
      /does not verify against the release key \/usr\/share\/shuoba-booth\/release-key\.pub/,
    ],
    [
      "on sudo's command line",
      { sudoArgs: ['INSTALL_UPDATE_KEY=$EVIL_KEY', ...install('1.2.3')] },
      /sorry, you are not allowed to set the following environment variables: INSTALL_UPDATE_KEY/,
    ],
    ['with sudo -E', { env: tricks, sudoArgs: ['-E', ...install('1.2.3')] }, /sorry, you are not allowed to preserve the environment/],
  ])('its own key and directory handed to the helper %s: refused, nothing installed', (_n, o, message) => {
    const r = asBooth({ signer: 'attacker', ...o });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.installed).toBeNull();
  });

  it('and if the rule lacked its env_reset on such a site, the helper itself refuses test settings under sudo', () => {
    const rule = readFileSync(RULE, 'utf8').replace(/^Defaults!.*$/m, '');
    const r = asBooth({ signer: 'attacker', env: tricks, sudoArgs: install('1.2.3'), defaults: 'Defaults !env_reset', rule });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/refused: INSTALL_UPDATE_\w+ INSTALL_UPDATE_\w+ \(for tests\) is never honoured through sudo/);
    expect(r.installed).toBeNull();
  });
});
