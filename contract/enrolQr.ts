// What the enrolment QR carries (issue 20): everything a booth needs to enrol with no keyboard. The
// staff app shows it (设备 → 添加设备, intake/fleetApi.ts); the booth's service screen reads it with the
// document camera (扫码登记) and the booth core provisions from it exactly as `booth provision` does.
// Format, version 1 (docs/TECHNICIANS.md "The enrolment QR"):
//   shuoba://enrol?v=1&intake=<https origin>&code=<10-character code>[&ca=<sha256 of the CA certificate, 64 hex>]
// - intake: the back office's public address (origin only, as booths reach it);
// - code: the one-time enrolment code (Crockford base32, dashes and spaces allowed);
// - ca: present when the back office's certificate comes from a village CA: the SHA-256 fingerprint of
//   that CA certificate (DER), as `openssl x509 -fingerprint -sha256` shows it without colons. The
//   booth fetches the CA from the intake (enrolPaths.ca) and uses it only if its fingerprint matches.
// A missing v is version 1 (QRs made before the version was written); a higher v is refused with a
// reason, so an older booth never half-understands a newer QR.
// Pure and runtime-agnostic: the renderer parses it in the browser, the intake writes it.

export const ENROL_QR_VERSION = 1;

/** Crockford base32: no I, L, O, U, so a code read aloud over the phone survives. */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 10; // 50 bits; with 24 h validity and rate-limited redemption, ample

/** "k7qm4-xrt2p", "K7QM 4XRT2P", "K7QM4XRT2P" → "K7QM4XRT2P"; O→0 and I/L→1 as Crockford says. Null if not a code. */
export function normaliseCode(input: string): string | null {
  const s = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (s.length !== CODE_LENGTH) return null;
  for (const ch of s) if (!CODE_ALPHABET.includes(ch)) return null;
  return s;
}

/** "AB:CD:…" or "abcd…" → 64 lower-case hex digits; null when it is not a SHA-256 fingerprint. */
export function normaliseFingerprint(input: string): string | null {
  const s = input
    .trim()
    .replace(/^sha256[:=]/i, '')
    .replace(/:/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(s) ? s : null;
}

/** The fingerprint in groups of four, as the booth shows it for a technician to compare. */
export function formatFingerprint(hex: string): string {
  return hex.toUpperCase().match(/.{4}/g)?.join(' ') ?? hex;
}

export interface EnrolQr {
  version: number;
  /** The back office's origin, https://… (or http:// on this machine, for development). */
  intake: string;
  /** The normalised code (no dash). */
  code: string;
  /** The village CA's SHA-256 fingerprint (64 hex), or null when the back office uses a public CA. */
  caFingerprint: string | null;
}

export type EnrolQrProblem = 'not_enrolment' | 'newer_version' | 'bad_code' | 'bad_address' | 'bad_fingerprint';
export type EnrolQrParse = { ok: true; qr: EnrolQr } | { ok: false; problem: EnrolQrProblem };

/** The QR's text for a code, the intake's public origin and (for a village CA) its fingerprint. */
export function enrolmentUri(code: string, intakeUrl: string, caFingerprint: string | null = null): string {
  const u = new URL('shuoba://enrol');
  u.searchParams.set('v', String(ENROL_QR_VERSION));
  u.searchParams.set('intake', intakeUrl);
  u.searchParams.set('code', code);
  if (caFingerprint) u.searchParams.set('ca', caFingerprint);
  return u.toString();
}

/** What a scanned QR says, or why it cannot be used. */
export function readEnrolmentQr(text: string): EnrolQrParse {
  let u: URL;
  try {
    u = new URL(text.trim());
  } catch {
    return { ok: false, problem: 'not_enrolment' };
  }
  if (u.protocol !== 'shuoba:' || u.host !== 'enrol') return { ok: false, problem: 'not_enrolment' };
  const v = u.searchParams.get('v');
  const version = v === null ? 1 : Number(v);
  if (!Number.isInteger(version) || version < 1) return { ok: false, problem: 'not_enrolment' };
  if (version > ENROL_QR_VERSION) return { ok: false, problem: 'newer_version' };
  const code = normaliseCode(u.searchParams.get('code') ?? '');
  if (!code) return { ok: false, problem: 'bad_code' };
  let intake: string;
  try {
    const i = new URL(u.searchParams.get('intake') ?? '');
    if (i.protocol !== 'https:' && i.protocol !== 'http:') return { ok: false, problem: 'bad_address' };
    intake = i.origin;
  } catch {
    return { ok: false, problem: 'bad_address' };
  }
  const ca = u.searchParams.get('ca');
  const caFingerprint = ca === null || ca === '' ? null : normaliseFingerprint(ca);
  if (ca && !caFingerprint) return { ok: false, problem: 'bad_fingerprint' };
  return { ok: true, qr: { version, intake, code, caFingerprint } };
}
