// A confirmed card read is sealed to the intake's key only when it fits the contract the intake
// parses after opening it (main/submission.ts sealRealName). Real X25519 + AES-GCM sealing.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openIdentity } from '../../lib/identitySeal.ts';
import { BoothError } from '../../main/api/errors.ts';
import { sealRealName } from '../../main/submission.ts';
import { MADE_UP_IDENTITY as record } from '../support/identityRecord.ts';

const keys = generateKeyPairSync('x25519');

describe('sealing the real-name read', () => {
  it('seals a record that fits the contract, bound to the session, nothing in clear', () => {
    const block = sealRealName(record, keys.publicKey, 'session-1');
    expect(JSON.stringify(block)).not.toContain('110101');
    expect(JSON.parse(openIdentity(block, keys.privateKey, 'session-1').toString('utf8'))).toEqual(record);
    expect(() => openIdentity(block, keys.privateKey, 'session-2')).toThrow();
  });

  it('refuses a record that does not fit (the resident reads the card again)', () => {
    const broken = { ...record, card: { ...record.card, idNumber: '' } };
    let err: unknown;
    try {
      sealRealName(broken, keys.publicKey, 'session-1');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BoothError);
    expect((err as BoothError).code).toBe('realname_expired');
  });
});
