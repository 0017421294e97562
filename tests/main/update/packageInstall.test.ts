import { describe, expect, it } from 'vitest';
import { debInstallCommand, installPlan, keptDebName, packageKind, rollbackPlan, SUDOERS_UPDATES_DIR, type InstallInputs } from '../../../main/update/packageInstall.ts';

const DIR = SUDOERS_UPDATES_DIR;
const dpkg = (v: string) => ['sudo', '-n', '/usr/bin/systemd-run', '--unit', 'shuoba-booth-install', '--collect', '--quiet', '/usr/bin/dpkg', '-i', `${DIR}/shuoba-booth-${v}.deb`];

describe('which package this app runs from (as electron-updater tells)', () => {
  it.each([
    [{ appImage: '/home/booth/shuoba-booth.AppImage', packageType: null }, 'appimage'],
    [{ appImage: undefined, packageType: 'deb' }, 'deb'],
    [{ appImage: undefined, packageType: 'deb\n' }, 'deb'],
    [{ appImage: undefined, packageType: 'rpm' }, 'unknown'],
    [{ appImage: undefined, packageType: null }, 'unknown'],
    [{ appImage: '', packageType: 'deb' }, 'deb'],
  ])('%o → %s', (p, kind) => expect(packageKind(p)).toBe(kind));
});

describe('the deb install command (what packaging/sudoers/shuoba-booth-update permits)', () => {
  it.each([
    ['1.2.3', dpkg('1.2.3')],
    ['0.1.0', dpkg('0.1.0')],
    ['2.0.0-rc.1', dpkg('2.0.0-rc.1')],
  ])('version %s', (v, command) => expect(debInstallCommand(DIR, v)).toEqual(command));

  it('accepts the directory with a trailing slash', () => expect(debInstallCommand(`${DIR}/`, '1.2.3')).toEqual(dpkg('1.2.3')));

  it.each([
    ['a version with a space (a second argument)', DIR, '1.2.3 /tmp/evil', /not a version a package can be kept under/],
    ['a path in the version', DIR, '../../../tmp/x', /not a version/],
    ['build metadata (not a file-safe name here)', DIR, '1.2.3+build.5', /not a version/],
    ['a v prefix', DIR, 'v1.2.3', /not a version/],
    ['another data directory', '/srv/booth/updates', '1.2.3', /only from \/var\/lib\/shuoba-booth\/updates .*\/srv\/booth\/updates/],
  ])('refuses %s', (_n, dir, v, message) => expect(() => debInstallCommand(dir, v)).toThrow(message));
});

describe('install plan', () => {
  const base: InstallInputs = { kind: 'deb', updatesDir: DIR, currentVersion: '1.0.0', newVersion: '1.1.0', downloadedFile: '/var/lib/shuoba-booth/.cache/shuoba-booth-updater/pending/x.deb', keptFiles: [] };

  it.each([
    ['deb, the running version kept (rollback possible)', { keptFiles: ['shuoba-booth-1.0.0.deb'] }, { kind: 'deb', keepAs: `${DIR}/shuoba-booth-1.1.0.deb`, prune: [], previousKept: true, command: dpkg('1.1.0') }],
    ['deb, first update after imaging (nothing kept: warned, no rollback)', {}, { kind: 'deb', keepAs: `${DIR}/shuoba-booth-1.1.0.deb`, prune: [], previousKept: false, command: dpkg('1.1.0') }],
    [
      'deb, older packages pruned; other files left alone',
      { keptFiles: ['shuoba-booth-0.8.0.deb', 'shuoba-booth-0.9.0.deb', 'shuoba-booth-1.0.0.deb', 'shuoba-booth-1.1.0.deb', 'previous.AppImage', 'notes.txt'] },
      { kind: 'deb', keepAs: `${DIR}/shuoba-booth-1.1.0.deb`, prune: [`${DIR}/shuoba-booth-0.8.0.deb`, `${DIR}/shuoba-booth-0.9.0.deb`], previousKept: true, command: dpkg('1.1.0') },
    ],
    ['AppImage: keep the running file', { kind: 'appimage' }, { kind: 'appimage', keepCurrentAs: `${DIR}/previous.AppImage` }],
    ['neither: electron-updater alone', { kind: 'unknown' }, { kind: 'electron-updater' }],
  ] as const)('%s', (_n, patch, plan) => {
    expect(installPlan({ ...base, ...patch })).toEqual(plan);
  });

  it.each([
    ['nothing downloaded', { downloadedFile: null }, /1\.1\.0 is not downloaded/],
    ['a data directory the sudoers rule does not cover', { updatesDir: '/tmp/booth/updates' }, /only from \/var\/lib\/shuoba-booth\/updates/],
    ['an offered version unfit for a file name', { newVersion: '1.1.0 x' }, /not a version/],
  ] as const)('refuses a deb install: %s', (_n, patch, message) => {
    expect(() => installPlan({ ...base, ...patch })).toThrow(message);
  });
});

describe('rollback plan (the previous version after a failed self-test)', () => {
  it.each([
    ['deb, kept', { kind: 'deb', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.0.0.deb', 'shuoba-booth-1.1.0.deb'] }, { kind: 'deb', command: dpkg('1.0.0') }],
    ['AppImage, kept', { kind: 'appimage', updatesDir: DIR, version: '1.0.0', appImage: '/opt/x.AppImage', keptFiles: ['previous.AppImage'] }, { kind: 'appimage', from: `${DIR}/previous.AppImage`, to: '/opt/x.AppImage' }],
  ] as const)('%s', (_n, i, plan) => expect(rollbackPlan(i)).toEqual(plan));

  it.each([
    ['deb, not kept', { kind: 'deb', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.1.0.deb'] }, /shuoba-booth-1\.0\.0\.deb was not kept .*by hand/],
    ['deb, another data directory', { kind: 'deb', updatesDir: '/srv/u', version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.0.0.deb'] }, /only from \/var\/lib\/shuoba-booth\/updates/],
    ['deb, a state file with a strange version', { kind: 'deb', updatesDir: DIR, version: '1.0', appImage: undefined, keptFiles: [] }, /not x\.y\.z/],
    ['AppImage, nothing kept', { kind: 'appimage', updatesDir: DIR, version: '1.0.0', appImage: '/opt/x.AppImage', keptFiles: [] }, /no previous\.AppImage/],
    ['neither', { kind: 'unknown', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.0.0.deb'] }, /neither an AppImage nor a deb/],
  ] as const)('impossible, and says why: %s', (_n, i, reason) => {
    expect(rollbackPlan(i)).toEqual({ kind: 'impossible', reason: expect.stringMatching(reason) });
  });

  it('a kept name is the version and nothing else', () => {
    expect(keptDebName('3.4.5-beta.2')).toBe('shuoba-booth-3.4.5-beta.2.deb');
  });
});
