import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { isSealedIdentity, loadOrCreateIdentityKeyPair, openIdentity, publicKeyFromPem, sealIdentity } from '../../lib/identitySeal.ts';

const secret = Buffer.from(JSON.stringify({ name: '张测试', idNumber: '110106199003071235' }));

describe('identity seal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-'));
  const intake = loadOrCreateIdentityKeyPair(dir);

  it('round-trips for the intake, and the block shows nothing in clear', () => {
    const block = sealIdentity(secret, publicKeyFromPem(intake.publicPem), 'sub-1');
    expect(isSealedIdentity(block)).toBe(true);
    const json = JSON.stringify(block);
    expect(json).not.toContain('110106');
    expect(json).not.toContain('张');
    expect(openIdentity(block, intake.privateKey, 'sub-1').equals(secret)).toBe(true);
  });

  it('refuses another submission id, another key, or a changed byte', () => {
    const block = sealIdentity(secret, intake.publicKey, 'sub-1');
    expect(() => openIdentity(block, intake.privateKey, 'sub-2')).toThrow();
    expect(() => openIdentity(block, generateKeyPairSync('x25519').privateKey, 'sub-1')).toThrow(/another key/);
    const ct = Buffer.from(block.ct, 'base64');
    ct[0]! ^= 1;
    expect(() => openIdentity({ ...block, ct: ct.toString('base64') }, intake.privateKey, 'sub-1')).toThrow();
  });

  it('keeps the key pair across restarts, private key readable by the owner only', () => {
    const again = loadOrCreateIdentityKeyPair(dir);
    expect(again.publicPem).toBe(intake.publicPem);
    expect(fs.statSync(path.join(dir, 'identity-key.pem')).mode & 0o077).toBe(0);
  });

  it('two seals of the same identity differ (fresh key and IV each time)', () => {
    const a = sealIdentity(secret, intake.publicKey, 'x');
    const b = sealIdentity(secret, intake.publicKey, 'x');
    expect(a.ct).not.toBe(b.ct);
    expect(a.epk).not.toBe(b.epk);
  });
});
