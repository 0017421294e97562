// One-time enrolment codes (ODK-style provisioning, REFERENCES 1.5): an admin adds a booth, gets a
// code valid for 24 hours, types it (or scans the QR) on the booth, and the code is spent.
// Pure: generation takes the random source, redemption takes the stored record and the time.
// Only the code's sha256 is stored; the code itself is shown once.
import { createHash, randomBytes } from 'node:crypto';

// The code's alphabet and normalisation live with the QR format (contract/enrolQr.ts): the booth reads them too.
export { CODE_ALPHABET, CODE_LENGTH, enrolmentUri, normaliseCode } from '../../contract/enrolQr.ts';
import { CODE_ALPHABET, CODE_LENGTH } from '../../contract/enrolQr.ts';
export const CODE_VALIDITY_MS = 24 * 3600_000;

export function newEnrolmentCode(random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  const bytes = random(CODE_LENGTH);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[(bytes[i] ?? 0) & 31];
  return out;
}

/** How the code is shown: two groups of five. */
export function formatCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

export function hashCode(code: string): string {
  return createHash('sha256').update(`shuoba-enrol:${code}`).digest('hex');
}

export interface EnrolmentRecord {
  boothId: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** The booth was revoked (or the code withdrawn) before the code was used. */
  revoked: boolean;
}

export type RedeemDecision = { ok: true; boothId: string } | { ok: false; reason: 'unknown' | 'expired' | 'used' | 'revoked' };

export function decideRedeem(record: EnrolmentRecord | undefined, now: number): RedeemDecision {
  if (!record) return { ok: false, reason: 'unknown' };
  if (record.revoked) return { ok: false, reason: 'revoked' };
  if (record.usedAt !== null) return { ok: false, reason: 'used' };
  if (now >= record.expiresAt) return { ok: false, reason: 'expired' };
  return { ok: true, boothId: record.boothId };
}
