// The webhook signature (docs/OPEN311.md "Webhooks"), as Stripe and GitHub do it:
//   Sayit-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
// A receiver recomputes v1 over the exact bytes it received, compares in constant time, and
// refuses a timestamp more than SIGNATURE_TOLERANCE_SEC from its own clock (replays).
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_TOLERANCE_SEC } from '../../contract/caseEvents.ts';

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function signatureHeader(secret: string, body: string, unixSec: number): string {
  const v1 = createHmac('sha256', secret).update(`${unixSec}.${body}`, 'utf8').digest('hex');
  return `t=${unixSec},v1=${v1}`;
}

/** Verification as a receiver does it (used by the tests' receiver only as a cross-check). */
export function verifySignature(
  secret: string,
  body: string,
  header: string,
  nowSec: number,
  toleranceSec = SIGNATURE_TOLERANCE_SEC,
): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSec - t) > toleranceSec) return false;
  const want = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`, 'utf8').digest('hex'));
  const got = Buffer.from(parts.v1);
  return got.length === want.length && timingSafeEqual(got, want);
}
