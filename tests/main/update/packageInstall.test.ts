import { describe, expect, it } from 'vitest';
import {
  debInstallCommand,
  installPlan,
  keptDebName,
  keptReleaseNames,
  packageKind,
  rollbackPlan,
  SUDOERS_UPDATES_DIR,
  type InstallInputs,
} from '../../../main/update/packageInstall.ts';

const DIR = SUDOERS_UPDATES_DIR;
const helper = (v: string) => ['sudo', '-n', '/usr/lib/shuoba-booth/install-update', v];
/** A kept release: the package, its latest-linux.yml and the signature. */
const release = (v: string) => [`shuoba-booth-${v}.deb`, `shuoba-booth-${v}.yml`, `shuoba-booth-${v}.yml.sig`];
const keepAs = (v: string) => ({
  deb: `${DIR}/shuoba-booth-${v}.deb`,
  manifest: `${DIR}/shuoba-booth-${v}.yml`,
  signature: `${DIR}/shuoba-booth-${v}.yml.sig`,
});

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

describe('the deb install command (the helper packaging/sudoers/shuoba-booth-update permits)', () => {
  it.each([
    ['1.2.3', helper('1.2.3')],
    ['0.1.0', helper('0.1.0')],
    ['2.0.0-rc.1', helper('2.0.0-rc.1')],
  ])('version %s', (v, command) => expect(debInstallCommand(DIR, v)).toEqual(command));

  it('accepts the directory with a trailing slash', () => expect(debInstallCommand(`${DIR}/`, '1.2.3')).toEqual(helper('1.2.3')));

  it.each([
    ['a version with a space (a second argument)', DIR, '1.2.3 /tmp/evil', /not a version a package can be kept under/],
    ['a path in the version', DIR, '../../../tmp/x', /not a version/],
    ['build metadata (not a file-safe name here)', DIR, '1.2.3+build.5', /not a version/],
    ['a v prefix', DIR, 'v1.2.3', /not a version/],
    ['another data directory', '/srv/booth/updates', '1.2.3', /only from \/var\/lib\/shuoba-booth\/updates .*\/srv\/booth\/updates/],
  ])('refuses %s', (_n, dir, v, message) => expect(() => debInstallCommand(dir, v)).toThrow(message));
});

describe('install plan', () => {
  const base: InstallInputs = {
    kind: 'deb',
    updatesDir: DIR,
    currentVersion: '1.0.0',
    newVersion: '1.1.0',
    downloadedFile: '/var/lib/shuoba-booth/.cache/shuoba-booth-updater/pending/x.deb',
    signedManifest: { manifest: Buffer.from('version: 1.1.0\n'), signature: 'c2ln' },
    keptFiles: [],
  };

  it.each([
    [
      "deb, the running version's release kept (rollback possible)",
      { keptFiles: release('1.0.0') },
      { kind: 'deb', keepAs: keepAs('1.1.0'), prune: [], previousKept: true, command: helper('1.1.0') },
    ],
    [
      'deb, first update after imaging (nothing kept: warned, no rollback)',
      {},
      { kind: 'deb', keepAs: keepAs('1.1.0'), prune: [], previousKept: false, command: helper('1.1.0') },
    ],
    [
      "deb, the running version's package kept without its signed manifest (no rollback: the helper would refuse it)",
      { keptFiles: ['shuoba-booth-1.0.0.deb'] },
      { kind: 'deb', keepAs: keepAs('1.1.0'), prune: [], previousKept: false, command: helper('1.1.0') },
    ],
    [
      'deb, … or without the signature',
      { keptFiles: ['shuoba-booth-1.0.0.deb', 'shuoba-booth-1.0.0.yml'] },
      { kind: 'deb', keepAs: keepAs('1.1.0'), prune: [], previousKept: false, command: helper('1.1.0') },
    ],
    [
      'deb, older releases pruned (package, manifest and signature); other files left alone',
      {
        keptFiles: [
          ...release('0.8.0'),
          'shuoba-booth-0.9.0.deb',
          ...release('1.0.0'),
          ...release('1.1.0'),
          'previous.AppImage',
          'notes.txt',
          'shuoba-booth-0.7.0.yml.bak',
        ],
      },
      {
        kind: 'deb',
        keepAs: keepAs('1.1.0'),
        prune: [...release('0.8.0'), 'shuoba-booth-0.9.0.deb'].map((f) => `${DIR}/${f}`),
        previousKept: true,
        command: helper('1.1.0'),
      },
    ],
    ['AppImage: keep the running file', { kind: 'appimage' }, { kind: 'appimage', keepCurrentAs: `${DIR}/previous.AppImage` }],
    ['neither: electron-updater alone', { kind: 'unknown' }, { kind: 'electron-updater' }],
  ] as const)('%s', (_n, patch, plan) => {
    expect(installPlan({ ...base, ...patch })).toEqual(plan);
  });

  it.each([
    ['nothing downloaded', { downloadedFile: null }, /1\.1\.0 is not downloaded/],
    [
      'no signed manifest kept from the offer',
      { signedManifest: null },
      /no signed manifest kept for version 1\.1\.0; install-update would refuse the package/,
    ],
    [
      'a data directory the sudoers rule does not cover',
      { updatesDir: '/tmp/booth/updates' },
      /only from \/var\/lib\/shuoba-booth\/updates/,
    ],
    ['an offered version unfit for a file name', { newVersion: '1.1.0 x' }, /not a version/],
  ] as const)('refuses a deb install: %s', (_n, patch, message) => {
    expect(() => installPlan({ ...base, ...patch })).toThrow(message);
  });
});

describe('rollback plan (the previous version after a failed self-test)', () => {
  it.each([
    [
      'deb, kept',
      { kind: 'deb', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: [...release('1.0.0'), ...release('1.1.0')] },
      { kind: 'deb', command: helper('1.0.0') },
    ],
    [
      'AppImage, kept',
      { kind: 'appimage', updatesDir: DIR, version: '1.0.0', appImage: '/opt/x.AppImage', keptFiles: ['previous.AppImage'] },
      { kind: 'appimage', from: `${DIR}/previous.AppImage`, to: '/opt/x.AppImage' },
    ],
  ] as const)('%s', (_n, i, plan) => expect(rollbackPlan(i)).toEqual(plan));

  it.each([
    [
      'deb, not kept',
      { kind: 'deb', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: release('1.1.0') },
      /^shuoba-booth-1\.0\.0\.deb, shuoba-booth-1\.0\.0\.yml, shuoba-booth-1\.0\.0\.yml\.sig not kept .*by hand/,
    ],
    [
      'deb, the package kept but not its signed manifest (kept before the booth kept manifests)',
      { kind: 'deb', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.0.0.deb'] },
      /^shuoba-booth-1\.0\.0\.yml, shuoba-booth-1\.0\.0\.yml\.sig not kept in/,
    ],
    [
      'deb, another data directory',
      { kind: 'deb', updatesDir: '/srv/u', version: '1.0.0', appImage: undefined, keptFiles: release('1.0.0') },
      /only from \/var\/lib\/shuoba-booth\/updates/,
    ],
    [
      'deb, a state file with a strange version',
      { kind: 'deb', updatesDir: DIR, version: '1.0', appImage: undefined, keptFiles: [] },
      /not x\.y\.z/,
    ],
    [
      'AppImage, nothing kept',
      { kind: 'appimage', updatesDir: DIR, version: '1.0.0', appImage: '/opt/x.AppImage', keptFiles: [] },
      /no previous\.AppImage/,
    ],
    [
      'neither',
      { kind: 'unknown', updatesDir: DIR, version: '1.0.0', appImage: undefined, keptFiles: ['shuoba-booth-1.0.0.deb'] },
      /neither an AppImage nor a deb/,
    ],
  ] as const)('impossible, and says why: %s', (_n, i, reason) => {
    expect(rollbackPlan(i)).toEqual({ kind: 'impossible', reason: expect.stringMatching(reason) });
  });

  it('a kept name is the version and nothing else', () => {
    expect(keptDebName('3.4.5-beta.2')).toBe('shuoba-booth-3.4.5-beta.2.deb');
    expect(keptReleaseNames('3.4.5-beta.2')).toEqual({
      deb: 'shuoba-booth-3.4.5-beta.2.deb',
      manifest: 'shuoba-booth-3.4.5-beta.2.yml',
      signature: 'shuoba-booth-3.4.5-beta.2.yml.sig',
    });
  });
});
