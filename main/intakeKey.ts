// The intake's identity public key, which the booth seals real-name data to (lib/identitySeal.ts).
// Provisioning puts it in <data>/keys/intake-identity.pem; a booth without the file fetches it once
// from its intake (over the same authenticated link that carries submissions) and keeps it.
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { publicKeyFromPem } from '../lib/identitySeal.ts';
import { writeFileDurably } from '../lib/durableFile.ts';
import { createLogger } from '../lib/log.ts';

const log = createLogger('intake-key');

export const INTAKE_KEY_FILE = path.join('keys', 'intake-identity.pem');

export class IntakeKey {
  private key: KeyObject | null = null;

  constructor(
    private readonly dataDir: string,
    /** The booth's link to the intake (uploader/intakeLink.ts): its address, credential and CA. */
    private readonly fetchPem: () => Promise<string>,
  ) {}

  /** A new intake (provisioning): the key of the old one must not be used. */
  forget(): void {
    this.key = null;
  }

  /** The key, or null when it is neither provisioned nor reachable. */
  async get(): Promise<KeyObject | null> {
    if (this.key) return this.key;
    const file = path.join(this.dataDir, INTAKE_KEY_FILE);
    try {
      this.key = publicKeyFromPem(await readFile(file, 'utf8'));
      return this.key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') log.error({ err: e }, 'intake identity key file is unusable');
    }
    try {
      const publicKeyPem = await this.fetchPem();
      const key = publicKeyFromPem(publicKeyPem);
      await writeFileDurably(file, Buffer.from(publicKeyPem));
      log.info('intake identity key fetched and kept');
      this.key = key;
      return key;
    } catch (e) {
      log.warn({ err: e }, 'intake identity key not available: real name cannot be offered');
      return null;
    }
  }
}
