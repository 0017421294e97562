// Idempotency-Key semantics of draft-ietf-httpapi-idempotency-key-header-07, as a pure decision.
// The intake stores, per (booth, key), the fingerprint of the first request body and, once done,
// the response it gave (status and body; store/idempotencyKeys.ts). A later request with:
//   - no key                               → 400
//   - the same key and the same body       → the stored response, replayed (same status, same body)
//   - the same key and a different body    → 422
//   - the same key while the first runs    → 409 (the booth treats it as "wait")
// "Runs" means its lease has not run out. The holder renews its lease while its request runs
// (IdempotencyStore.whileHeld), so a lease that ran out is one whose process died (SIGKILL, a lost
// server; ingest is transactional, so nothing half-done is left behind), and the request proceeds,
// taking the lease over.
import { createHash } from 'node:crypto';

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type KeyRecord =
  { state: 'in_progress'; fingerprint: string; leaseUntil: number } | { state: 'done'; fingerprint: string; response: StoredResponse };

export type IdempotencyDecision =
  | { kind: 'proceed' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reject'; status: 400 | 409 | 422; code: string; message: string };

/** How long a claim holds its key without renewal before another request may take it over. The
 *  holder renews it every IN_PROGRESS_RENEW_MS for as long as its request runs (an ingest of a few
 *  GB takes minutes), so this only bounds how long a dead holder blocks the booth: seconds, not the
 *  5 minutes it was, which in the scale test kept a submission whose finalise was in flight when
 *  its process was SIGKILLed answering 409 for the whole test window. It also covers clock skew
 *  between intake servers and a renewal delayed by a busy event loop. */
export const IN_PROGRESS_LEASE_MS = 30_000;
export const IN_PROGRESS_RENEW_MS = 10_000;

/** The header's value is a Structured Field string ("…"); a bare token is accepted too. */
export function parseIdempotencyKey(header: string | string[] | undefined): string | null {
  if (header === undefined) return null;
  const raw = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!raw) return null;
  const unquoted = raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1) : raw;
  if (unquoted.length === 0 || unquoted.length > 255 || !/^[\x21-\x7e]+$/.test(unquoted)) return null;
  return unquoted;
}

/** Canonical JSON (object keys sorted at every level) so key order does not change the fingerprint. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function fingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

export function decideIdempotent(
  key: string | null,
  existing: KeyRecord | undefined,
  bodyFingerprint: string,
  now: number,
): IdempotencyDecision {
  if (key === null) return { kind: 'reject', status: 400, code: 'idempotency_key_missing', message: 'Idempotency-Key header is required' };
  if (existing === undefined) return { kind: 'proceed' };
  if (existing.fingerprint !== bodyFingerprint) {
    return {
      kind: 'reject',
      status: 422,
      code: 'idempotency_key_reused',
      message: 'Idempotency-Key was already used with a different request body',
    };
  }
  if (existing.state === 'done') return { kind: 'replay', response: existing.response };
  if (now < existing.leaseUntil) {
    return {
      kind: 'reject',
      status: 409,
      code: 'idempotency_in_progress',
      message: 'A request with this Idempotency-Key is still being processed',
    };
  }
  return { kind: 'proceed' };
}
