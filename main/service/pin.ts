// The technician PIN that opens the service screen. Set at provisioning, stored only as an argon2
// hash in the booth's data directory. A 6-digit PIN is guessable by a patient passer-by, so wrong
// attempts lock the screen for a growing time (pure `nextLockout`, tested as a table).
import { hash, verify } from '@node-rs/argon2';

export const PIN_PATTERN = /^\d{6,8}$/;

export function isAcceptablePin(pin: string): boolean {
  if (!PIN_PATTERN.test(pin)) return false;
  // Not all one digit, not a straight run (123456, 987654).
  if (/^(\d)\1+$/.test(pin)) return false;
  const d = [...pin].map(Number);
  const step = (d[1] ?? 0) - (d[0] ?? 0);
  if (Math.abs(step) === 1 && d.every((x, i) => i === 0 || x - (d[i - 1] ?? 0) === step)) return false;
  return true;
}

export const hashPin = (pin: string): Promise<string> => hash(pin, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
export const verifyPin = (pinHash: string, pin: string): Promise<boolean> => verify(pinHash, pin).catch(() => false);

export interface LockoutState {
  failures: number;
  lockedUntil: number;
}

export const initialLockout: LockoutState = { failures: 0, lockedUntil: 0 };
/** Free attempts before the first lock. */
export const FREE_ATTEMPTS = 3;

export function isLocked(s: LockoutState, now: number): boolean {
  return now < s.lockedUntil;
}

/** After an attempt: success clears; each failure past the free ones locks 30 s, 1 min, 2 min... up to 1 h. */
export function nextLockout(s: LockoutState, success: boolean, now: number): LockoutState {
  if (success) return initialLockout;
  const failures = s.failures + 1;
  if (failures < FREE_ATTEMPTS) return { failures, lockedUntil: 0 };
  const lockMs = Math.min(3600_000, 30_000 * 2 ** (failures - FREE_ATTEMPTS));
  return { failures, lockedUntil: now + lockMs };
}
