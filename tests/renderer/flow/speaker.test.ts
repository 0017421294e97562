import { describe, expect, it } from 'vitest';
import { digitPrompts, PAUSE, receiptPrompts } from '../../../renderer/flow/speaker.ts';

describe('digitPrompts', () => {
  it('reads the booth code letter by letter and the digits one by one, skipping dashes', () => {
    expect(digitPrompts('SIM01-2026-07')).toEqual([
      'letter_s',
      'letter_i',
      'letter_m',
      'digit_0',
      'digit_1',
      'digit_2',
      'digit_0',
      'digit_2',
      'digit_6',
      'digit_0',
      'digit_7',
    ]);
  });
  it('says nothing for characters it has no clip for', () => {
    expect(digitPrompts('-–号 ')).toEqual([]);
  });
});

describe('receiptPrompts', () => {
  const d = (s: string) => [...s].map((c) => `digit_${c}`);
  it('says the resident number in its two groups of four, with a beat between, and once more', () => {
    const n = [...d('1000'), PAUSE, ...d('0372')];
    expect(receiptPrompts('SIM01-20261207-0001', '10000372')).toEqual([
      'receipt',
      'receipt_number',
      ...n,
      PAUSE,
      'receipt_number_again',
      ...n,
    ]);
  });
  it('spells the case number when the booth had no resident number', () => {
    expect(receiptPrompts('AB1-20261207-0001', null)).toEqual(['receipt', 'receipt_number', ...digitPrompts('AB1-20261207-0001')]);
  });
});
