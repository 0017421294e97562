// The identity record is checked against contract/identity.ts where it is opened, not cast: the
// intake refuses a block whose content does not fit, and a stored record that does not fit is an
// error, never shown half-read. Real X25519 + AES-GCM sealing (lib/identitySeal.ts, lib/sealed.ts).
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openBoothIdentity, readIdentity, sealForStaff, StoredIdentityError } from '../../intake/identity.ts';
import { sealIdentity } from '../../lib/identitySeal.ts';
import { sealJson } from '../../lib/sealed.ts';
import { MADE_UP_IDENTITY as record } from '../support/identityRecord.ts';

const keys = generateKeyPairSync('x25519');
const seal = (value: unknown, id: string) => sealIdentity(Buffer.from(JSON.stringify(value)), keys.publicKey, id);

describe('identity record', () => {
  it('opens a block that fits the contract and keeps name, number and address for staff', () => {
    const id = randomUUID();
    const opened = openBoothIdentity(seal(record, id), keys.privateKey, id);
    expect(opened).toEqual({ ok: true, record });
    const contactKey = randomBytes(32);
    const row = {
      identity_sealed: sealForStaff(record, contactKey),
      contact_sealed: sealJson({ phone: '13812345678' }, contactKey).toString('base64'),
    };
    expect(readIdentity(row, contactKey)).toEqual({
      name: '王小明',
      idNumber: '110101199003077571',
      address: '北京市丰台区某某村8号',
      phone: '13812345678',
    });
    expect(readIdentity({ identity_sealed: null, contact_sealed: null }, contactKey)).toEqual({});
  });

  it.each([
    ['no ID number', { ...record, card: { ...record.card, idNumber: undefined } }],
    ['an unknown card type', { ...record, card: { ...record.card, cardType: 'passport' } }],
    ['a read time that is not a time', { ...record, readAt: 'yesterday' }],
    ['not an object', 'name=王小明'],
  ])('refuses a block with %s as malformed', (_what, value) => {
    const id = randomUUID();
    expect(openBoothIdentity(seal(value, id), keys.privateKey, id)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('refuses a block moved to another submission as unopenable', () => {
    expect(openBoothIdentity(seal(record, randomUUID()), keys.privateKey, randomUUID())).toEqual({ ok: false, reason: 'unopenable' });
  });

  it('reads a stored record of the older {name, idNumber, address} shape, and throws on one that does not fit', () => {
    const key = randomBytes(32);
    const old = {
      identity_sealed: sealJson({ name: '李四', idNumber: '110101199003077571', address: '某村' }, key).toString('base64'),
      contact_sealed: null,
    };
    expect(readIdentity(old, key)).toEqual({ name: '李四', idNumber: '110101199003077571', address: '某村' });
    const bad = { identity_sealed: sealJson({ name: 42 }, key).toString('base64'), contact_sealed: null };
    expect(() => readIdentity(bad, key)).toThrow(StoredIdentityError);
  });
});
