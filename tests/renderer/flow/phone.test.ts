import { describe, expect, it } from 'vitest';
import { canAppendDigit, checkPhone, formatPhone } from '../../../renderer/flow/phone.ts';

describe('phone numbers for the callback', () => {
  it.each([
    ['13812345678', 'mobile'],
    ['19912345678', 'mobile'],
    ['138 1234 5678', 'mobile'],
    ['01065123456', 'landline'],
    ['010-6512-3456', 'landline'],
    ['02087654321', 'landline'],
    ['05718888666', 'landline'],
    ['057188886666', 'landline'],
    ['07552345678', 'landline'],
  ])('accepts %s as %s', (input, kind) => {
    expect(checkPhone(input)).toMatchObject({ ok: true, kind });
  });

  it.each([
    ['', 'empty'],
    ['1381234567', 'too-short'],
    ['138123456789', 'too-long'],
    ['12812345678', 'bad-prefix'],
    ['23812345678', 'bad-prefix'],
    ['6512345', 'bad-prefix'],
    ['0106512345', 'too-short'],
    ['0106512345678', 'too-long'],
    ['01015123456', 'too-short'],
    ['00012345678', 'bad-area-code'],
    ['1381234567a', 'not-digits'],
  ])('refuses %s (%s)', (input, reason) => {
    expect(checkPhone(input)).toEqual({ ok: false, reason });
  });

  it('formats for reading aloud', () => {
    expect(formatPhone('13812345678')).toBe('138 1234 5678');
    expect(formatPhone('1381')).toBe('138 1');
    expect(formatPhone('01065123456')).toBe('010 6512 3456');
    expect(formatPhone('05718888666')).toBe('0571 888 8666');
  });

  it('stops the keypad at the longest number', () => {
    expect(canAppendDigit('1381234567')).toBe(true);
    expect(canAppendDigit('13812345678')).toBe(false);
    expect(canAppendDigit('05718888666')).toBe(true);
    expect(canAppendDigit('057188886666')).toBe(false);
  });
});
