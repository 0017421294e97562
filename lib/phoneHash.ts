// A keyed hash of a callback phone, to find cases from the same resident (likely repeats) without
// keeping or comparing the number in clear. The key is derived from the intake's contact key (the
// one that seals the phone), so the hashes are worthless without it: a table of hashes cannot be
// reversed by hashing all 10⁹ mobile numbers. Different spellings of one number hash the same.
import { createHmac } from 'node:crypto';

/** Digits only, without a +86 / 0086 country prefix: "+86 138-1234-5678" → "13812345678". */
export function normalisePhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  return digits.length > 11 && /^(0086|86)/.test(digits) ? digits.replace(/^(0086|86)/, '') : digits;
}

export function phoneHashKey(contactKey: Buffer): Buffer {
  return createHmac('sha256', contactKey).update('shuoba-phone-hash-v1').digest();
}

/** base64url HMAC-SHA256 of the normalised number; null for an empty one. */
export function phoneHash(phone: string | null | undefined, hashKey: Buffer): string | null {
  const n = phone ? normalisePhone(phone) : '';
  return n.length >= 5 ? createHmac('sha256', hashKey).update(n).digest('base64url') : null;
}
