// packaging/bin/install-update, the root-side check before dpkg, run for real with sh and openssl:
// release keys made by openssl, manifests shaped like electron-builder's latest-linux.yml and signed
// the way scripts/sign-release.ts signs them, a fake .deb, and an executable standing in for
// systemd-run that records the command it was given (and so shows whether anything was installed).
// Through sudo, as user booth, under the shipped rule: tests/packaging/sudoers.int.test.ts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INSTALL_UNIT } from '../../main/update/packageInstall.ts';
import { keepRelease, manifestText, opensslKeyPair, sha512 } from '../support/release.ts';

const HELPER = path.resolve('packaging/bin/install-update');
const dir = mkdtempSync(path.join(os.tmpdir(), 'install-update-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
const releaseKey = opensslKeyPair(dir);

interface Booth {
  from: string;
  stage: string;
  record: string;
  env: Record<string, string>;
  deb: Buffer;
}

/** The booth's updates directory holding one release the way packageInstall.ts keeps it. */
function booth(version = '1.2.3'): Booth {
  const root = path.join(dir, `booth-${++n}`);
  const from = path.join(root, 'updates');
  const stage = path.join(root, 'stage');
  const record = path.join(root, 'installed');
  mkdirSync(from, { recursive: true });
  const run = path.join(root, 'systemd-run');
  // dpkg -i would read the last argument: keep a copy of exactly that file.
  writeFileSync(run, `#!/bin/sh\nprintf '%s\\n' "$@" > "${record}.args"\nfor last; do :; done\ncp "$last" "${record}.deb"\n`);
  chmodSync(run, 0o755);
  const b: Booth = {
    from,
    stage,
    record,
    deb: randomBytes(4096),
    env: { INSTALL_UPDATE_FROM: from, INSTALL_UPDATE_STAGE: stage, INSTALL_UPDATE_KEY: releaseKey.pub, INSTALL_UPDATE_SYSTEMD_RUN: run },
  };
  keep(b, version, b.deb);
  return b;
}

/** Writes VERSION's .deb, its manifest and signature (by default a correct release by the release key). */
function keep(b: Booth, version: string, deb: Buffer, o: { manifest?: string; signature?: string | null; signWith?: string } = {}) {
  keepRelease(b.from, version, deb, o.signWith ?? releaseKey.priv, o);
}

function run(b: Booth, args: string[], env: Record<string, string> = {}) {
  return spawnSync('sh', [HELPER, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...b.env, ...env }, encoding: 'utf8' });
}

const installed = (b: Booth) => existsSync(`${b.record}.args`);

describe('packaging/bin/install-update', () => {
  it('is valid sh', () => {
    expect(spawnSync('sh', ['-n', HELPER]).status).toBe(0);
  });

  it("a good release: copied out of the booth's reach, checked, then dpkg -i of the copy through systemd-run", () => {
    const b = booth('1.2.3');
    const r = run(b, ['1.2.3']);
    expect(r.status, r.stderr).toBe(0);
    const staged = path.join(b.stage, 'shuoba-booth-1.2.3.deb');
    expect(readFileSync(`${b.record}.args`, 'utf8').trim().split('\n')).toEqual([
      '--unit',
      INSTALL_UNIT,
      '--collect',
      '--quiet',
      '/usr/bin/dpkg',
      '-i',
      staged,
    ]);
    expect(readFileSync(`${b.record}.deb`).equals(b.deb)).toBe(true);
    expect(statSync(b.stage).mode & 0o777).toBe(0o700);
    expect(r.stderr).toContain('shuoba-booth-1.2.3.deb matches the signed manifest');
  });

  it('what dpkg installs is the checked copy, whatever the booth puts in its own directory afterwards', () => {
    const b = booth('1.2.3');
    const swap = path.join(b.from, 'shuoba-booth-1.2.3.deb');
    // The stand-in for systemd-run replaces the booth's file first, then copies what dpkg would read.
    const run2 = path.join(path.dirname(b.from), 'systemd-run-swapping');
    writeFileSync(
      run2,
      `#!/bin/sh\necho evil > "${swap}"\nprintf '%s\\n' "$@" > "${b.record}.args"\nfor last; do :; done\ncp "$last" "${b.record}.deb"\n`,
    );
    chmodSync(run2, 0o755);
    expect(run(b, ['1.2.3'], { INSTALL_UPDATE_SYSTEMD_RUN: run2 }).status).toBe(0);
    expect(readFileSync(swap, 'utf8')).toBe('evil\n');
    expect(readFileSync(`${b.record}.deb`).equals(b.deb)).toBe(true);
  });

  it("a rollback goes through the same check: the previous version's kept release installs", () => {
    const b = booth('1.1.0');
    const previous = randomBytes(2048);
    keep(b, '1.0.0', previous);
    expect(run(b, ['1.0.0']).status).toBe(0);
    expect(readFileSync(`${b.record}.deb`).equals(previous)).toBe(true);
  });

  it('downgrades: only the one-step rollback this helper recorded at the last upgrade', () => {
    const b = booth('1.0.0');
    keep(b, '1.1.0', randomBytes(2048));
    keep(b, '0.9.0', randomBytes(2048));
    // No record yet: an older signed release is refused, however well signed.
    const r = run(b, ['0.9.0'], { INSTALL_UPDATE_INSTALLED: '1.0.0' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/older than the installed 1\.0\.0, and only a rollback to \(none recorded\) is allowed; nothing installed/);
    expect(installed(b)).toBe(false);
    // The upgrade 1.0.0 → 1.1.0 records 1.0.0 (root-owned, in the stage directory).
    expect(run(b, ['1.1.0'], { INSTALL_UPDATE_INSTALLED: '1.0.0' }).status).toBe(0);
    expect(readFileSync(path.join(b.stage, 'rollback-to'), 'utf8').trim()).toBe('1.0.0');
    // From 1.1.0, 0.9.0 is still refused; 1.0.0 (the recorded one) installs, once.
    expect(run(b, ['0.9.0'], { INSTALL_UPDATE_INSTALLED: '1.1.0' }).stderr).toMatch(/only a rollback to 1\.0\.0 is allowed/);
    expect(run(b, ['1.0.0'], { INSTALL_UPDATE_INSTALLED: '1.1.0' }).status).toBe(0);
    expect(existsSync(path.join(b.stage, 'rollback-to'))).toBe(false);
    expect(run(b, ['0.9.0'], { INSTALL_UPDATE_INSTALLED: '1.0.0' }).status).toBe(1);
    // Reinstalling the installed version is neither an upgrade nor a downgrade.
    expect(run(b, ['1.0.0'], { INSTALL_UPDATE_INSTALLED: '1.0.0' }).status).toBe(0);
    expect(existsSync(path.join(b.stage, 'rollback-to'))).toBe(false);
  });

  it('a manifest with quoted values (YAML allows both) is read the same', () => {
    const b = booth('1.2.3');
    keep(b, '1.2.3', b.deb, { manifest: manifestText('1.2.3', [{ url: 'shuoba-booth_1.2.3_amd64.deb', bytes: b.deb }], true) });
    expect(run(b, ['1.2.3']).status).toBe(0);
  });

  const otherKey = opensslKeyPair(dir);
  const rsaKey = opensslKeyPair(dir, 'rsa');
  it.each<[string, (b: Booth) => Record<string, string> | void, RegExp]>([
    [
      'tampered package (changed after signing)',
      (b) => writeFileSync(path.join(b.from, 'shuoba-booth-1.2.3.deb'), Buffer.concat([b.deb, Buffer.from('x')])),
      /its sha512 is not the one in the signed manifest/,
    ],
    [
      'tampered manifest (another package and its sha512, not signed again)',
      (b) => {
        const evil = randomBytes(4096);
        const signed = readFileSync(path.join(b.from, 'shuoba-booth-1.2.3.yml'), 'utf8');
        writeFileSync(path.join(b.from, 'shuoba-booth-1.2.3.yml'), signed.replace(sha512(b.deb), sha512(evil)));
        writeFileSync(path.join(b.from, 'shuoba-booth-1.2.3.deb'), evil);
      },
      /the signature of shuoba-booth-1\.2\.3\.yml does not verify against the release key/,
    ],
    ['signed with another key', (b) => keep(b, '1.2.3', b.deb, { signWith: otherKey.priv }), /does not verify against the release key/],
    ["a release key other than the signer's", () => ({ INSTALL_UPDATE_KEY: otherKey.pub }), /does not verify against the release key/],
    [
      'signature missing',
      (b) => keep(b, '1.2.3', b.deb, { signature: null }),
      /shuoba-booth-1\.2\.3\.yml\.sig is missing or not a plain file/,
    ],
    ['signature not base64', (b) => keep(b, '1.2.3', b.deb, { signature: 'not*base64!\n' }), /\.yml\.sig is not base64/],
    [
      'signature of the wrong length',
      (b) => keep(b, '1.2.3', b.deb, { signature: `${randomBytes(32).toString('base64')}\n` }),
      /not an Ed25519 signature \(64 bytes\)/,
    ],
    [
      'package missing',
      (b) => rmSync(path.join(b.from, 'shuoba-booth-1.2.3.deb')),
      /shuoba-booth-1\.2\.3\.deb is missing or not a plain file/,
    ],
    [
      'package a symlink (to a file root may read)',
      (b) => {
        const real = path.join(path.dirname(b.from), 'elsewhere.deb');
        writeFileSync(real, b.deb);
        rmSync(path.join(b.from, 'shuoba-booth-1.2.3.deb'));
        symlinkSync(real, path.join(b.from, 'shuoba-booth-1.2.3.deb'));
      },
      /shuoba-booth-1\.2\.3\.deb is missing or not a plain file/,
    ],
    [
      'a signed manifest of another version (an old release replayed under this name)',
      (b) => keep(b, '1.2.3', b.deb, { manifest: manifestText('1.2.4', [{ url: 'shuoba-booth_1.2.4_amd64.deb', bytes: b.deb }]) }),
      /the signed manifest is for version '1\.2\.4', not 1\.2\.3/,
    ],
    [
      'a signed manifest without a .deb',
      (b) => keep(b, '1.2.3', b.deb, { manifest: manifestText('1.2.3', [{ url: 'shuoba-booth-1.2.3-x86_64.AppImage', bytes: b.deb }]) }),
      /the signed manifest lists no \.deb file/,
    ],
    [
      'a signed manifest with two .deb files',
      (b) =>
        keep(b, '1.2.3', b.deb, {
          manifest: manifestText('1.2.3', [
            { url: 'a_1.2.3_amd64.deb', bytes: b.deb },
            { url: 'b_1.2.3_amd64.deb', bytes: b.deb },
          ]),
        }),
      /lists more than one \.deb file/,
    ],
    [
      'a release key others can write',
      () => {
        const k = path.join(dir, `writable-${++n}.pub`);
        writeFileSync(k, readFileSync(releaseKey.pub));
        chmodSync(k, 0o666);
        return { INSTALL_UPDATE_KEY: k };
      },
      /the release key .* must belong to uid \d+ and be writable by no one else/,
    ],
    ['a release key that is not Ed25519', () => ({ INSTALL_UPDATE_KEY: rsaKey.pub }), /is not an Ed25519 public key/],
    ['no release key', () => ({ INSTALL_UPDATE_KEY: path.join(dir, 'no-such.pub') }), /no release key at /],
  ])('refused, nothing installed: %s', (_n, arrange, message) => {
    const b = booth('1.2.3');
    const env = arrange(b) ?? {};
    const r = run(b, ['1.2.3'], env);
    expect(r.status, r.stderr).toBe(1);
    expect(r.stderr).toMatch(/install-update: refused shuoba-booth-1\.2\.3\.deb: .*; nothing installed/);
    expect(r.stderr).toMatch(message);
    expect(installed(b)).toBe(false);
    // Nothing half-checked is left where root keeps packages.
    expect(existsSync(b.stage) ? readdirSync(b.stage) : []).toEqual([]);
  });

  it.each([
    ['no version', []],
    ['two arguments', ['1.2.3', '1.2.4']],
    ['a space (a second argument in one)', ['1.2.3 /tmp/evil']],
    ['a path', ['../../../tmp/1.2.3']],
    ['a newline', ['1.2.3\n1.2.3']],
    ['a v prefix', ['v1.2.3']],
    ['two parts', ['1.2']],
    ['an option', ['--help']],
  ])('usage error, nothing read or installed: %s', (_n, args) => {
    const b = booth('1.2.3');
    const r = run(b, args);
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/usage: install-update VERSION \(x\.y\.z or x\.y\.z-pre/);
    expect(installed(b)).toBe(false);
    expect(existsSync(b.stage)).toBe(false);
  });

  it('through sudo (SUDO_UID set) the test settings are refused outright, even if sudo passed them on', () => {
    const b = booth('1.2.3');
    const r = run(b, ['1.2.3'], { SUDO_UID: '4999', SUDO_USER: 'booth' });
    expect(r.status).toBe(64);
    expect(r.stderr).toMatch(/refused: INSTALL_UPDATE_\w+( INSTALL_UPDATE_\w+){3} \(for tests\) is never honoured through sudo/);
    expect(installed(b)).toBe(false);
  });
});
