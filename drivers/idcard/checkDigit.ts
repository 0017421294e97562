// ISO 7064 MOD 11-2 check character of an 18-character citizen number (IDCARD-PROTOCOL.md §6.3).
// The chip's number always passes it, so a failure means the read was corrupted.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK = '10X98765432';

/** The check character for the first 17 digits, or null if they are not 17 digits. */
export function checkCharacter(first17: string): string | null {
  if (!/^\d{17}$/.test(first17)) return null;
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK[s % 11]!;
}

export function isValidIdNumber(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  return checkCharacter(id.slice(0, 17)) === id[17];
}

/** Completes 17 digits with their check character (used to make up test identities). */
export function withCheckCharacter(first17: string): string {
  const c = checkCharacter(first17);
  if (c === null) throw new RangeError('need 17 digits');
  return first17 + c;
}
