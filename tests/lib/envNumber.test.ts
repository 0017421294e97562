import { describe, expect, it } from 'vitest';
import { parseWholeNumber } from '../../lib/envNumber.ts';

const HOURS = { min: 1, max: 720, fallback: 6, unit: 'hours' };

describe('whole numbers from the environment', () => {
  it.each([
    [undefined, 6],
    ['', 6],
    [' 12 ', 12],
    ['1', 1],
    ['720', 720],
  ])('%j → %d', (raw, n) => {
    expect(parseWholeNumber('FLEET_OLDEST_UNSENT_HOURS', raw, HOURS)).toEqual({ ok: true, value: n });
  });

  it.each(['0', '721', '6h', '-1', '1.5', 'NaN', '1e2'])('%j is refused with the variable, the unit and the range', (raw) => {
    expect(parseWholeNumber('FLEET_OLDEST_UNSENT_HOURS', raw, HOURS)).toEqual({
      ok: false,
      error: `FLEET_OLDEST_UNSENT_HOURS must be a whole number of hours from 1 to 720 (unset: 6); got ${JSON.stringify(raw)}`,
    });
  });

  it('says "a whole number" when the rule names no unit', () => {
    expect(parseWholeNumber('INTAKE_PORT', 'x', { min: 0, max: 65535, fallback: 4300 })).toEqual({
      ok: false,
      error: 'INTAKE_PORT must be a whole number from 0 to 65535 (unset: 4300); got "x"',
    });
  });
});
