// The update rule for real: sudo itself decides, for a user booth, which command lines
// packaging/sudoers/shuoba-booth-update allows, starting with the one main/update/packageInstall.ts
// builds. Run in a private mount namespace (unshare -m) where /etc/passwd, /etc/group and
// /etc/sudoers are copies with a booth user and the rule: nothing on this machine changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { debInstallCommand, SUDOERS_UPDATES_DIR } from '../../main/update/packageInstall.ts';

const RULE = 'packaging/sudoers/shuoba-booth-update';
const why = process.getuid?.() !== 0 ? 'needs root (unshare -m, sudo -l -U)' : !existsSync('/usr/bin/sudo') ? 'sudo is not installed (Debian package sudo; scripts/setup.sh installs it as root)' : null;
if (why) console.log(`[skip] sudoers rule test: ${why}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'sudoers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Exit status of `sudo -l -U booth <argv>` under the shipped rule: 0 allowed, 1 refused. */
function allowed(argv: string[]): boolean {
  const passwd = path.join(dir, 'passwd');
  const group = path.join(dir, 'group');
  const sudoers = path.join(dir, 'sudoers');
  writeFileSync(passwd, `${readFileSync('/etc/passwd', 'utf8')}booth:x:4999:4999::/var/lib/shuoba-booth:/usr/sbin/nologin\n`);
  writeFileSync(group, `${readFileSync('/etc/group', 'utf8')}booth:x:4999:\n`);
  writeFileSync(sudoers, `Defaults env_reset\nroot ALL=(ALL:ALL) ALL\n${readFileSync(RULE, 'utf8')}`);
  chmodSync(sudoers, 0o440);
  const script = 'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && mount --bind "$3" /etc/sudoers && shift 3 && exec sudo -l -U booth "$@"';
  const r = spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', passwd, group, sudoers, ...argv], { encoding: 'utf8' });
  if (r.status !== 0 && r.status !== 1) throw new Error(`sudo -l failed (${String(r.status)}): ${r.stderr}`);
  return r.status === 0;
}

const install = (v: string) => debInstallCommand(SUDOERS_UPDATES_DIR, v).slice(2); // without "sudo -n"

describe.skipIf(why !== null)('packaging/sudoers/shuoba-booth-update, as sudo reads it', () => {
  it('parses (visudo)', () => {
    expect(execFileSync('/usr/sbin/visudo', ['-cf', RULE], { encoding: 'utf8' })).toMatch(/parsed OK/);
  });

  it.each(['1.2.3', '0.1.0', '2.0.0-rc.1'])('allows the updater\'s own command for version %s', (v) => {
    expect(allowed(install(v))).toBe(true);
  });

  it.each([
    ['a second package after the kept one', [...install('1.2.3'), '/tmp/evil.deb']],
    ['a package from another directory', [...install('1.2.3').slice(0, -1), '/tmp/shuoba-booth-1.2.3.deb']],
    ['a path climbing out of the updates directory', [...install('1.2.3').slice(0, -1), `${SUDOERS_UPDATES_DIR}/../shuoba-booth-1.2.3.deb`]],
    ['another package name', [...install('1.2.3').slice(0, -1), `${SUDOERS_UPDATES_DIR}/other-1.2.3.deb`]],
    ['dpkg with other options', ['/usr/bin/systemd-run', '--unit', 'shuoba-booth-install', '--collect', '--quiet', '/usr/bin/dpkg', '--purge', 'shuoba-booth']],
    ['systemd-run with another program', ['/usr/bin/systemd-run', '--unit', 'shuoba-booth-install', '--collect', '--quiet', '/bin/sh']],
    ['dpkg directly', ['/usr/bin/dpkg', '-i', `${SUDOERS_UPDATES_DIR}/shuoba-booth-1.2.3.deb`]],
    // electron-updater's DebUpdater default, which this rule deliberately does not allow
    ['a shell', ['/bin/bash', '-c', `dpkg -i ${SUDOERS_UPDATES_DIR}/shuoba-booth-1.2.3.deb`]],
  ])('refuses %s', (_n, argv) => {
    expect(allowed(argv)).toBe(false);
  });
});
