// Identity at rest: AES-256-GCM with a random 96-bit nonce per value and the case id as associated
// data (a ciphertext copied onto another case does not decrypt). The key lives in a file in the
// intake's data directory, mode 0600, made on first start; it never enters the database or a log.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDir } from '../../lib/durableFile.ts';

const VERSION = 'v1';

export class Vault {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error('vault key must be 32 bytes');
  }

  static async fromFile(path: string): Promise<Vault> {
    if (!existsSync(path)) {
      // Created 0600 from the start ('wx': never overwrite a key, that would orphan every identity).
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(32).toString('base64') + '\n');
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      await fsyncDir(dirname(path));
    }
    return new Vault(Buffer.from(readFileSync(path, 'utf8').trim(), 'base64'));
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.key, iv);
    c.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([c.update(plaintext, 'utf8'), c.final()]);
    return [VERSION, iv.toString('base64'), c.getAuthTag().toString('base64'), body.toString('base64')].join('.');
  }

  open(sealed: string, context: string): string {
    const [v, iv, tag, body] = sealed.split('.');
    if (v !== VERSION || !iv || !tag || body === undefined) throw new Error('vault: not a sealed value');
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    d.setAAD(Buffer.from(context, 'utf8'));
    d.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([d.update(Buffer.from(body, 'base64')), d.final()]).toString('utf8');
  }
}
