// Callback phone numbers typed on the booth's digit keypad. Pure: no DOM, no I/O.
// Accepted: 11-digit mainland mobiles (1[3-9]xxxxxxxxx) and landlines with their area code
// (010 / 02x + 8 digits, or a 4-digit area code 0[3-9]xx + 7 or 8 digits). Separators typed by
// staff in config or pasted in tests (spaces, hyphens) are ignored; the keypad only types digits.

export type PhoneKind = 'mobile' | 'landline';
export type PhoneCheck =
  | { ok: true; kind: PhoneKind; digits: string }
  | { ok: false; reason: 'empty' | 'not-digits' | 'too-short' | 'too-long' | 'bad-prefix' | 'bad-area-code' };

export const PHONE_MAX_DIGITS = 12;

const MOBILE = /^1[3-9]\d{9}$/;
// Three-digit area codes (incl. the 0): 010 Beijing and 020–029. Subscriber numbers there are 8 digits.
const LANDLINE_3 = /^0(10|2\d)[2-9]\d{7}$/;
// Four-digit area codes 0[3-9]xx; subscriber numbers are 7 or 8 digits and never start with 0 or 1.
const LANDLINE_4 = /^0[3-9]\d{2}[2-9]\d{6,7}$/;

export function normalisePhone(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function checkPhone(input: string): PhoneCheck {
  const digits = normalisePhone(input);
  if (digits === '') return { ok: false, reason: 'empty' };
  if (!/^\d+$/.test(digits)) return { ok: false, reason: 'not-digits' };
  if (digits.startsWith('1')) {
    if (digits.length < 11) return { ok: false, reason: 'too-short' };
    if (digits.length > 11) return { ok: false, reason: 'too-long' };
    return MOBILE.test(digits) ? { ok: true, kind: 'mobile', digits } : { ok: false, reason: 'bad-prefix' };
  }
  if (digits.startsWith('0')) {
    if (digits.length < 10) return { ok: false, reason: 'too-short' };
    if (digits.length > PHONE_MAX_DIGITS) return { ok: false, reason: 'too-long' };
    if (LANDLINE_3.test(digits) || LANDLINE_4.test(digits)) return { ok: true, kind: 'landline', digits };
    return /^0(10|2\d|[3-9]\d{2})/.test(digits) ? { ok: false, reason: 'too-short' } : { ok: false, reason: 'bad-area-code' };
  }
  return { ok: false, reason: 'bad-prefix' };
}

export function isValidPhone(input: string): boolean {
  return checkPhone(input).ok;
}

/** Groups digits the way people read them aloud: 138 1234 5678, 010 6512 3456, 0571 8888 6666. */
export function formatPhone(input: string): string {
  const d = normalisePhone(input);
  if (d.startsWith('1')) return [d.slice(0, 3), d.slice(3, 7), d.slice(7, 11), d.slice(11)].filter(Boolean).join(' ');
  if (d.startsWith('0')) {
    const area = /^0(10|2\d)/.test(d) ? 3 : 4;
    const rest = d.slice(area);
    const split = rest.length > 7 ? 4 : 3;
    return [d.slice(0, area), rest.slice(0, split), rest.slice(split)].filter(Boolean).join(' ');
  }
  return d;
}

/** Whether another digit may be typed: stops the keypad at the longest possible number. */
export function canAppendDigit(current: string): boolean {
  const d = normalisePhone(current);
  if (d.startsWith('1')) return d.length < 11;
  return d.length < PHONE_MAX_DIGITS;
}
