import { describe, expect, it } from 'vitest';
import { digitPrompts } from '../../../renderer/flow/speaker.ts';

describe('digitPrompts', () => {
  it('reads the booth code letter by letter and the digits one by one, skipping dashes', () => {
    expect(digitPrompts('SIM01-2026-07')).toEqual([
      'letter_s', 'letter_i', 'letter_m', 'digit_0', 'digit_1',
      'digit_2', 'digit_0', 'digit_2', 'digit_6', 'digit_0', 'digit_7',
    ]);
  });
  it('says nothing for characters it has no clip for', () => {
    expect(digitPrompts('-–号 ')).toEqual([]);
  });
});
