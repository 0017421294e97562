// Signed releases for the update tests: release keys made by openssl (as a district makes its own),
// latest-linux.yml shaped like electron-builder's, signed the way scripts/sign-release.ts signs it,
// and kept in a booth's updates directory under the names main/update/packageInstall.ts uses.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { keptReleaseNames } from '../../main/update/packageInstall.ts';
import { signManifest } from '../../main/update/signature.ts';

let n = 0;

/** An openssl key pair in dir; the public half with the mode the package installs it with (0644). */
export function opensslKeyPair(dir: string, algorithm: 'ed25519' | 'rsa' = 'ed25519'): { priv: string; pub: string } {
  const priv = path.join(dir, `key-${++n}.pem`);
  const pub = path.join(dir, `key-${n}.pub`);
  const opts = algorithm === 'rsa' ? ['-pkeyopt', 'rsa_keygen_bits:2048'] : [];
  execFileSync('openssl', ['genpkey', '-algorithm', algorithm, ...opts, '-out', priv], { stdio: 'pipe' });
  execFileSync('openssl', ['pkey', '-in', priv, '-pubout', '-out', pub]);
  chmodSync(pub, 0o644);
  return { priv, pub };
}

export const sha512 = (b: Buffer) => createHash('sha512').update(b).digest('base64');

/** latest-linux.yml as electron-builder writes it: every file of the release, then the first one again. */
export function manifestText(version: string, files: { url: string; bytes: Buffer }[], quote = false): string {
  const q = (s: string) => (quote ? `'${s}'` : s);
  const list = files.map((f) => `  - url: ${f.url}\n    sha512: ${q(sha512(f.bytes))}\n    size: ${f.bytes.length}\n`).join('');
  return `version: ${q(version)}\nfiles:\n${list}path: ${files[0]!.url}\nsha512: ${sha512(files[0]!.bytes)}\nreleaseDate: '2026-11-30T08:00:00.000Z'\n`;
}

/** The usual release: an AppImage and the .deb. */
export const releaseManifest = (version: string, deb: Buffer) =>
  manifestText(version, [
    { url: `shuoba-booth-${version}-x86_64.AppImage`, bytes: Buffer.from(`appimage ${version}`) },
    { url: `shuoba-booth_${version}_amd64.deb`, bytes: deb },
  ]);

/**
 * Keeps VERSION's .deb, its manifest and the manifest's signature in updatesDir (by default a
 * correct release signed with signWith). signature null: no .sig file.
 */
export function keepRelease(
  updatesDir: string,
  version: string,
  deb: Buffer,
  signWith: string,
  o: { manifest?: string; signature?: string | null } = {},
): void {
  const names = keptReleaseNames(version);
  const manifest = o.manifest ?? releaseManifest(version, deb);
  writeFileSync(path.join(updatesDir, names.deb), deb);
  writeFileSync(path.join(updatesDir, names.manifest), manifest);
  const signature = o.signature === undefined ? `${signManifest(Buffer.from(manifest), readFileSync(signWith, 'utf8'))}\n` : o.signature;
  if (signature === null) rmSync(path.join(updatesDir, names.signature), { force: true });
  else writeFileSync(path.join(updatesDir, names.signature), signature);
}
