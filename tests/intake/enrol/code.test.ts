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
  parseEnrolmentUri,
  type EnrolmentRecord,
} from '../../../intake/enrol/code.ts';

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

  it('QR content round-trips', () => {
    const uri = enrolmentUri('K7QM4XRT2P', 'https://intake.example.cn:8443');
    expect(parseEnrolmentUri(uri)).toEqual({ code: 'K7QM4XRT2P', intake: 'https://intake.example.cn:8443' });
    expect(parseEnrolmentUri('https://evil.example/?code=K7QM4XRT2P')).toBeNull();
  });
});
