// Personal data at rest (phone, identity) is sealed with AES-256-GCM. A sealed value is
// version(1) | iv(12) | tag(16) | ciphertext, so a wrong key or a flipped bit fails loudly.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const VERSION = 1;

export function seal(plain: Buffer, key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('sealing key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function unseal(sealed: Buffer, key: Buffer): Buffer {
  if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

export const sealJson = (value: unknown, key: Buffer): Buffer => seal(Buffer.from(JSON.stringify(value), 'utf8'), key);
export const unsealJson = <T>(sealed: Buffer, key: Buffer): T => JSON.parse(unseal(sealed, key).toString('utf8')) as T;

/**
 * Loads the 32-byte key from `file`, creating it (mode 0600) on first use. Provisioning may
 * write this file instead; the key never goes to git or logs.
 */
export async function loadOrCreateKey(file: string): Promise<Buffer> {
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    const key = Buffer.from(hex, 'hex');
    if (key.length !== 32) throw new Error(`key file ${file} does not hold 32 bytes of hex`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const key = randomBytes(32);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return key;
  }
}
