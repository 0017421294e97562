import { describe, expect, it } from 'vitest';
import { parseUploadExpiryDays } from '../../../intake/delivery/uploadExpiry.ts';

describe('INTAKE_UPLOAD_EXPIRY_DAYS', () => {
  it.each([
    [undefined, 7],
    ['', 7],
    ['  ', 7],
    ['1', 1],
    ['14', 14],
    [' 30 ', 30],
    ['365', 365],
    ['007', 7],
  ])('%j → %d days', (raw, days) => {
    expect(parseUploadExpiryDays(raw)).toEqual({ ok: true, value: days });
  });

  it.each(['0', '366', '-1', '1.5', '7d', 'seven', '1e2', '0x10', 'Infinity', 'NaN', '99999999999999999999'])(
    '%j is refused with a message naming the variable and the range',
    (raw) => {
      const r = parseUploadExpiryDays(raw);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/^INTAKE_UPLOAD_EXPIRY_DAYS must be a whole number of days from 1 to 365 .*got "/);
    },
  );
});
