// One-time enrolment codes (ODK-style provisioning, REFERENCES 1.5): an admin adds a booth, gets a
// code valid for 24 hours, types it (or scans the QR) on the booth, and the code is spent.
// Pure: generation takes the random source, redemption takes the stored record and the time.
// Only the code's sha256 is stored; the code itself is shown once.
import { createHash, randomBytes } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so a code read aloud over the phone survives. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10; // 50 bits; with 24 h validity and rate-limited redemption, ample
export const CODE_VALIDITY_MS = 24 * 3600_000;

export function newEnrolmentCode(random: (n: number) => Uint8Array = (n) => randomBytes(n)): string {
  const bytes = random(CODE_LENGTH);
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[(bytes[i] ?? 0) & 31];
  return out;
}

/** "k7qm4-xrt2p", "K7QM 4XRT2P", "K7QM4XRT2P" → "K7QM4XRT2P"; O→0 and I/L→1 as Crockford says. Null if not a code. */
export function normaliseCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
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

/** What the QR code carries: enough for `booth provision` (the service screen or a phone). */
export function enrolmentUri(code: string, intakeUrl: string): string {
  const u = new URL('shuoba://enrol');
  u.searchParams.set('code', code);
  u.searchParams.set('intake', intakeUrl);
  return u.toString();
}

export function parseEnrolmentUri(text: string): { code: string; intake: string } | null {
  try {
    const u = new URL(text.trim());
    if (u.protocol !== 'shuoba:' || u.host !== 'enrol') return null;
    const code = normaliseCode(u.searchParams.get('code') ?? '');
    const intake = u.searchParams.get('intake');
    if (!code || !intake) return null;
    return { code, intake };
  } catch {
    return null;
  }
}
