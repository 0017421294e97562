import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CODE_ALPHABET,
  CODE_LENGTH,
  CODE_VALIDITY_MS,
  decideRedeem,
  enrolmentUri,
  formatCode,
  hashCode,
  newEnrolmentCode,
  normaliseCode,
  type EnrolmentRecord,
} from '../../../intake/enrol/code.ts';
import { formatFingerprint, readEnrolmentQr } from '../../../contract/enrolQr.ts';

const T0 = Date.UTC(2026, 10, 25, 4, 0);
const fresh: EnrolmentRecord = { boothId: 'b1', createdAt: T0, expiresAt: T0 + CODE_VALIDITY_MS, usedAt: null, revoked: false };

describe('enrolment codes', () => {
  it('are 10 unambiguous characters, shown in two groups', () => {
    const code = newEnrolmentCode();
    expect(code).toMatch(new RegExp(`^[${CODE_ALPHABET}]{${CODE_LENGTH}}$`));
    expect(formatCode(code)).toMatch(/^.{5}-.{5}$/);
    expect(code).not.toMatch(/[ILOU]/);
  });

  it('survive being typed back in any reasonable way', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: CODE_LENGTH, maxLength: CODE_LENGTH }), (bytes) => {
        const code = newEnrolmentCode(() => bytes);
        expect(normaliseCode(formatCode(code).toLowerCase())).toBe(code);
        expect(normaliseCode(` ${code.slice(0, 3)} ${code.slice(3)} `)).toBe(code);
      }),
    );
    expect(normaliseCode('0O1IL-ABCDE')).toBe('00111ABCDE');
    expect(normaliseCode('SHORT')).toBeNull();
    expect(normaliseCode('ABCDEFGHJU')).toBeNull(); // U is not in the alphabet
  });

  it('are stored only as a hash', () => {
    expect(hashCode('K7QM4XRT2P')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashCode('K7QM4XRT2P')).not.toContain('K7QM4XRT2P');
  });

  it.each<[string, EnrolmentRecord | undefined, number, ReturnType<typeof decideRedeem>]>([
    ['fresh code', fresh, T0 + 1000, { ok: true, boothId: 'b1' }],
    ['a second before expiry', fresh, T0 + CODE_VALIDITY_MS - 1000, { ok: true, boothId: 'b1' }],
    ['after 24 hours', fresh, T0 + CODE_VALIDITY_MS, { ok: false, reason: 'expired' }],
    ['used once already', { ...fresh, usedAt: T0 + 5 }, T0 + 10, { ok: false, reason: 'used' }],
    ['booth revoked', { ...fresh, revoked: true }, T0 + 10, { ok: false, reason: 'revoked' }],
    ['unknown code', undefined, T0, { ok: false, reason: 'unknown' }],
  ])('%s', (_n, rec, now, expected) => {
    expect(decideRedeem(rec, now)).toEqual(expected);
  });

  it('QR content round-trips (format version 1: intake, code, CA fingerprint)', () => {
    const fp = 'ab'.repeat(32);
    const uri = enrolmentUri('K7QM4XRT2P', 'https://intake.example.cn:8443', fp);
    expect(uri).toBe(`shuoba://enrol?v=1&intake=https%3A%2F%2Fintake.example.cn%3A8443&code=K7QM4XRT2P&ca=${fp}`);
    expect(readEnrolmentQr(uri)).toEqual({
      ok: true,
      qr: { version: 1, code: 'K7QM4XRT2P', intake: 'https://intake.example.cn:8443', caFingerprint: fp },
    });
    // No CA (a public certificate); a QR made before the version was written; a typed-looking code.
    expect(readEnrolmentQr('shuoba://enrol?code=k7qm4-xrt2p&intake=https://i.example/')).toEqual({
      ok: true,
      qr: { version: 1, code: 'K7QM4XRT2P', intake: 'https://i.example', caFingerprint: null },
    });
    // openssl's colon form is accepted.
    const colons = fp.toUpperCase().match(/../g)!.join(':');
    expect(readEnrolmentQr(`shuoba://enrol?v=1&code=K7QM4XRT2P&intake=https://i.example&ca=${colons}`)).toMatchObject({
      ok: true,
      qr: { caFingerprint: fp },
    });
    expect(formatFingerprint(fp).split(' ')).toHaveLength(16);
  });

  it.each([
    ['https://evil.example/?code=K7QM4XRT2P', 'not_enrolment'],
    ['hello', 'not_enrolment'],
    ['shuoba://enrol?v=2&code=K7QM4XRT2P&intake=https://i.example', 'newer_version'],
    ['shuoba://enrol?v=1&code=K7QM4&intake=https://i.example', 'bad_code'],
    ['shuoba://enrol?v=1&code=K7QM4XRT2P&intake=ftp://i.example', 'bad_address'],
    ['shuoba://enrol?v=1&code=K7QM4XRT2P', 'bad_address'],
    ['shuoba://enrol?v=1&code=K7QM4XRT2P&intake=https://i.example&ca=abc', 'bad_fingerprint'],
  ])('a QR that cannot be used says why: %s', (text, problem) => {
    expect(readEnrolmentQr(text)).toEqual({ ok: false, problem });
  });
});
