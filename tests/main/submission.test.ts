// A confirmed card read is sealed to the intake's key only when it fits the contract the intake
// parses after opening it (main/submission.ts sealRealName). Real X25519 + AES-GCM sealing.
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SealedIdentityRecord } from '../../contract/identity.ts';
import { openIdentity } from '../../lib/identitySeal.ts';
import { BoothError } from '../../main/api/errors.ts';
import { sealRealName } from '../../main/submission.ts';

// Made-up resident; the ID number passes the GB 11643 check digit.
const record: SealedIdentityRecord = {
  card: {
    cardType: 'resident',
    name: '王小明',
    gender: 'male',
    nation: '汉',
    birthDate: '1990-03-07',
    address: '北京市丰台区某某村8号',
    idNumber: '110101199003077571',
    authority: '北京市公安局丰台分局',
    validFrom: '2015-01-01',
    validTo: '2035-01-01',
  },
  appendedAddress: null,
  photoWlt: Buffer.from('wlt').toString('base64'),
  readAt: '2026-12-07T03:00:00.000Z',
};
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
