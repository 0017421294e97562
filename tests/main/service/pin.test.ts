import { describe, expect, it } from 'vitest';
import {
  hashPin,
  initialLockout,
  isAcceptablePin,
  isLocked,
  nextLockout,
  verifyPin,
  type LockoutState,
} from '../../../main/service/pin.ts';

describe('technician PIN', () => {
  it.each([
    ['482916', true],
    ['48291673', true],
    ['12345', false],
    ['123456', false],
    ['987654', false],
    ['000000', false],
    ['12a456', false],
  ])('%s acceptable: %s', (pin, ok) => {
    expect(isAcceptablePin(pin)).toBe(ok);
  });

  it('is stored as an argon2 hash that verifies only the right PIN', async () => {
    const h = await hashPin('482916');
    expect(h).toMatch(/^\$argon2id\$/);
    expect(h).not.toContain('482916');
    expect(await verifyPin(h, '482916')).toBe(true);
    expect(await verifyPin(h, '482917')).toBe(false);
    expect(await verifyPin('garbage', '482916')).toBe(false);
  });

  it('locks for a growing time after three wrong tries; a right one clears it', () => {
    let s: LockoutState = initialLockout;
    const locks: number[] = [];
    for (let i = 0; i < 6; i++) {
      s = nextLockout(s, false, 1000);
      locks.push(s.lockedUntil === 0 ? 0 : s.lockedUntil - 1000);
    }
    expect(locks).toEqual([0, 0, 30_000, 60_000, 120_000, 240_000]);
    expect(isLocked(s, 1000 + 239_999)).toBe(true);
    expect(isLocked(s, 1000 + 240_000)).toBe(false);
    expect(nextLockout(s, true, 5000)).toEqual(initialLockout);
    let many: LockoutState = initialLockout;
    for (let i = 0; i < 30; i++) many = nextLockout(many, false, 0);
    expect(many.lockedUntil).toBe(3600_000);
  });
});
