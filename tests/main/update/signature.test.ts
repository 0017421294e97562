import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { manifestVersion, newReleaseKeyPair, signManifest, verifyManifestSignature } from '../../../main/update/signature.ts';

const manifest = Buffer.from(`version: 1.3.0
files:
  - url: shuoba-booth-1.3.0.AppImage
    sha512: q0vZ1w==
    size: 123
path: shuoba-booth-1.3.0.AppImage
sha512: q0vZ1w==
releaseDate: '2026-11-25T03:00:00.000Z'
`);

describe('release manifest signature', () => {
  const keys = newReleaseKeyPair();
  const sig = signManifest(manifest, keys.privateKeyPem);

  it('accepts the manifest signed with the release key', () => {
    expect(verifyManifestSignature(manifest, sig, keys.publicKeyPem)).toBe(true);
    expect(manifestVersion(manifest.toString())).toBe('1.3.0');
  });

  it('refuses a manifest changed after signing (e.g. another sha512)', () => {
    const changed = Buffer.from(manifest.toString().replace('q0vZ1w==', 'AAAAAA=='));
    expect(verifyManifestSignature(changed, sig, keys.publicKeyPem)).toBe(false);
  });

  it('refuses a signature by another key, a truncated signature, a non-Ed25519 key', () => {
    const other = newReleaseKeyPair();
    expect(verifyManifestSignature(manifest, signManifest(manifest, other.privateKeyPem), keys.publicKeyPem)).toBe(false);
    expect(verifyManifestSignature(manifest, sig.slice(0, 20), keys.publicKeyPem)).toBe(false);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(verifyManifestSignature(manifest, sig, rsa)).toBe(false);
    expect(verifyManifestSignature(manifest, sig, 'not a key')).toBe(false);
  });
});
