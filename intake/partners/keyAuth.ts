// How a partner system authenticates: its API key, sent as the Open311 `api_key` parameter (query
// or form field, as GeoReport v2 says), or as `Authorization: Bearer sbk_…`, or `X-Api-Key`.
// A usable key is counted, and limited to its requests per minute: a fixed one-minute window per
// key in the store (store/rateLimits.ts), so several intake processes share one count.
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import type { ApiKeyScope } from '../../contract/partnerKeys.ts';
import { findUsableKey, recordKeyUse } from '../store/apiKeys.ts';
import type { RateLimits } from '../store/rateLimits.ts';

export interface PartnerKey {
  id: string;
  name: string;
  scopes: ApiKeyScope[];
  jurisdictionId: string | null;
}

export type KeyResult =
  { ok: true; key: PartnerKey | null } | { ok: false; status: 403 | 429; code: string; description: string; retryAfterSec?: number };

export function presentedKey(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) return auth.replace(/^Bearer\s+/i, '').trim();
  const x = request.headers['x-api-key'];
  if (typeof x === 'string' && x) return x.trim();
  const q = (request.query as Record<string, unknown> | undefined)?.api_key;
  if (typeof q === 'string' && q) return q.trim();
  const b = (request.body as Record<string, unknown> | undefined)?.api_key;
  if (typeof b === 'string' && b) return b.trim();
  return undefined;
}

export class KeyGate {
  constructor(
    private db: Kysely<IntakeDatabase>,
    private now: () => number,
    private limits: RateLimits,
  ) {}

  /**
   * `required`: a scope the route needs (a key must be present and hold it). Without it, a missing
   * key is fine (public answer) but a presented key must still be valid.
   */
  async check(request: FastifyRequest, required?: ApiKeyScope): Promise<KeyResult> {
    const presented = presentedKey(request);
    if (!presented && !required) return { ok: true, key: null };
    const now = this.now();
    const r = await findUsableKey(this.db, presented, now);
    if (!r.ok) {
      const description =
        r.reason === 'missing'
          ? 'api_key required'
          : r.reason === 'revoked'
            ? 'api_key revoked'
            : r.reason === 'expired'
              ? 'api_key expired'
              : 'invalid api_key';
      return { ok: false, status: 403, code: `api_key_${r.reason}`, description };
    }
    const scopes = JSON.parse(r.key.scopes) as ApiKeyScope[];
    if (required && !scopes.includes(required))
      return { ok: false, status: 403, code: 'api_key_scope', description: `api_key lacks the scope ${required}` };
    const v = await this.limits.hit('api-key', r.key.id, r.key.rate_per_minute, 60_000);
    if (!v.allowed) {
      return {
        ok: false,
        status: 429,
        code: 'rate_limited',
        description: `more than ${r.key.rate_per_minute} requests a minute with this api_key`,
        retryAfterSec: v.retryAfterSec,
      };
    }
    await recordKeyUse(this.db, r.key.id, request.ip ?? null, now);
    return { ok: true, key: { id: r.key.id, name: r.key.name, scopes, jurisdictionId: r.key.jurisdiction_id } };
  }
}
