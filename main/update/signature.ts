// "A newer signed release": electron-updater on Linux checks the downloaded package against the
// sha512 in latest-linux.yml but does not check who wrote that file. So the intake also serves
// latest-linux.yml.sig, an Ed25519 signature made offline with the district's release key, and the
// booth accepts the manifest only if it verifies against the public key shipped in the package.
// Manifest signature + electron-updater's sha512 check = the package is the one that was signed.
import { createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

export function verifyManifestSignature(manifest: Buffer, signatureBase64: string, publicKeyPem: string): boolean {
  let key: KeyObject;
  try {
    key = createPublicKey(publicKeyPem);
  } catch {
    return false;
  }
  if (key.asymmetricKeyType !== 'ed25519') return false;
  const sig = Buffer.from(signatureBase64.trim(), 'base64');
  if (sig.length !== 64) return false;
  return verify(null, manifest, key, sig);
}

/** Used by scripts/sign-release.ts and the tests; the private key never goes on a booth. */
export function signManifest(manifest: Buffer, privateKeyPem: string): string {
  return sign(null, manifest, privateKeyPem).toString('base64');
}

export function newReleaseKeyPair(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The `version:` line of an electron-builder latest-linux.yml (the file is flat YAML; no parser needed for this). */
export function manifestVersion(manifest: string): string | null {
  const m = /^version:\s*['"]?([^'"\s]+)['"]?\s*$/m.exec(manifest);
  return m?.[1] ?? null;
}
