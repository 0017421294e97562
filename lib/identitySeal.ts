// Real-name data leaves the card reader sealed (PRODUCT.md non-negotiables, PIPL): the booth encrypts
// the identity with AES-256-GCM under a one-time key agreed (X25519 + HKDF-SHA256) with the intake's
// identity public key, which the booth receives at provisioning. So the booth can write the block but
// never read it back: what sits on its disk, in its outbox and on the wire is unreadable without the
// intake's private key, which never leaves the intake's data directory. The submission id is bound in
// as associated data, so a block cannot be moved to another submission.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import * as fs from 'node:fs';
import path from 'node:path';

export const SEAL_ALG = 'X25519-HKDF-SHA256-A256GCM';

export interface SealedIdentity {
  v: 1;
  alg: typeof SEAL_ALG;
  /** Which intake key it is sealed to (first 16 hex of the public key's SHA-256). */
  kid: string;
  /** Ephemeral public key, base64 of the raw 32 bytes. */
  epk: string;
  iv: string;
  ct: string;
  tag: string;
}

const INFO = Buffer.from('shuoba identity seal v1');

function rawPublic(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (jwk.kty !== 'OKP' || jwk.crv !== 'X25519' || !jwk.x) throw new Error('not an X25519 public key');
  return Buffer.from(jwk.x, 'base64url');
}

function publicFromRaw(raw: Buffer): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });
}

export function keyId(publicKey: KeyObject): string {
  return createHash('sha256').update(rawPublic(publicKey)).digest('hex').slice(0, 16);
}

function deriveKey(shared: Buffer, epk: Buffer, recipient: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([epk, recipient]), INFO, 32));
}

export function sealIdentity(plaintext: Uint8Array, recipientPublicKey: KeyObject, aad: string): SealedIdentity {
  const eph = generateKeyPairSync('x25519');
  const epk = rawPublic(eph.publicKey);
  const recipient = rawPublic(recipientPublicKey);
  const key = deriveKey(diffieHellman({ privateKey: eph.privateKey, publicKey: recipientPublicKey }), epk, recipient);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  key.fill(0);
  return {
    v: 1,
    alg: SEAL_ALG,
    kid: keyId(recipientPublicKey),
    epk: epk.toString('base64'),
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Opens a sealed block with the intake's private key; throws if it was altered or sealed to another key or submission. */
export function openIdentity(block: SealedIdentity, privateKey: KeyObject, aad: string): Buffer {
  if (block.v !== 1 || block.alg !== SEAL_ALG) throw new Error('unsupported identity block');
  const recipientPublic = createPublicKey(privateKey);
  if (block.kid !== keyId(recipientPublic)) throw new Error('identity block sealed to another key');
  const epk = Buffer.from(block.epk, 'base64');
  const key = deriveKey(diffieHellman({ privateKey, publicKey: publicFromRaw(epk) }), epk, rawPublic(recipientPublic));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(block.iv, 'base64'));
  decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(Buffer.from(block.tag, 'base64'));
  const out = Buffer.concat([decipher.update(Buffer.from(block.ct, 'base64')), decipher.final()]);
  key.fill(0);
  return out;
}

/** The intake's key pair in its data directory (created once, private key mode 0600). */
export function loadOrCreateIdentityKeyPair(dataDir: string): { privateKey: KeyObject; publicKey: KeyObject; publicPem: string } {
  const file = path.join(dataDir, 'identity-key.pem');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    const { privateKey } = generateKeyPairSync('x25519');
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, pem, { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, file);
  }
  const privateKey = createPrivateKey(fs.readFileSync(file));
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString() };
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  rawPublic(key);
  return key;
}

export function isSealedIdentity(x: unknown): x is SealedIdentity {
  const o = x as Record<string, unknown> | null;
  return !!o && o.v === 1 && o.alg === SEAL_ALG && ['kid', 'epk', 'iv', 'ct', 'tag'].every((k) => typeof o[k] === 'string');
}
