// Rate limits shared by every intake process on one store (issue 16): a fixed window per bucket and
// key in the rate_limit_hits table (migration 170). One statement per hit,
//   INSERT … ON CONFLICT (key) DO UPDATE SET hits = (1 if the window ran out, else hits + 1) … RETURNING
// so two processes counting at once count two (Postgres serializes on the primary key, SQLite on its
// write lock). Keys are stored hashed (sha256 of bucket + key): client addresses and API key ids are
// not kept in clear. Used by the staff login and booth enrolment limits (through @fastify/rate-limit's
// store interface, fastifyRateLimitStore below), the resident status page and per-API-key limits.
//
//   const v = await limits.hit('status-number', request.ip, 10, 15 * 60_000);
//   if (!v.allowed) reply.header('retry-after', String(v.retryAfterSec)).code(429)…
import { createHash } from 'node:crypto';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

export interface RateVerdict {
  /** False once this hit is beyond the limit in the current window. */
  allowed: boolean;
  /** Hits in the current window, this one included. */
  count: number;
  /** Hits left in the window after this one (0 when refused). */
  remaining: number;
  /** When the current window ends (epoch ms). */
  resetAt: number;
  /** Milliseconds until the window ends. */
  resetInMs: number;
  /** Whole seconds until the window ends (at least 1): for Retry-After. */
  retryAfterSec: number;
}

function rowKey(bucket: string, key: string): string {
  return createHash('sha256').update(bucket).update('\0').update(key).digest('base64url').slice(0, 32);
}

export class RateLimits {
  constructor(
    private readonly db: Kysely<IntakeDatabase>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one hit of `key` in `bucket`: allowed while at most `limit` hits fall in the window of `windowMs`. */
  async hit(bucket: string, key: string, limit: number, windowMs: number): Promise<RateVerdict> {
    const now = this.now();
    const k = rowKey(bucket, key);
    const row = await this.db
      .insertInto('rate_limit_hits')
      .values({ key: k, hits: 1, window_ends_at: now + windowMs })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          hits: eb
            .case()
            .when('rate_limit_hits.window_ends_at', '<=', now)
            .then(1)
            .else(eb('rate_limit_hits.hits', '+', 1))
            .end(),
          window_ends_at: eb
            .case()
            .when('rate_limit_hits.window_ends_at', '<=', now)
            .then(now + windowMs)
            .else(eb.ref('rate_limit_hits.window_ends_at'))
            .end(),
        })),
      )
      .returning(['hits', 'window_ends_at'])
      .executeTakeFirstOrThrow();
    const count = Number(row.hits);
    const resetAt = Number(row.window_ends_at);
    return {
      allowed: count <= limit,
      count,
      remaining: Math.max(0, limit - count),
      resetAt,
      resetInMs: Math.max(0, resetAt - now),
      retryAfterSec: Math.max(1, Math.ceil((resetAt - now) / 1000)),
    };
  }

  /** Forgets a key's hits in a bucket (e.g. after a successful login). */
  async reset(bucket: string, key: string): Promise<void> {
    await this.db.deleteFrom('rate_limit_hits').where('key', '=', rowKey(bucket, key)).execute();
  }

  /** Deletes windows that ended (housekeeping); how many went. */
  async prune(): Promise<number> {
    const r = await this.db.deleteFrom('rate_limit_hits').where('window_ends_at', '<=', this.now()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/**
 * A store for @fastify/rate-limit backed by RateLimits, so route `config.rateLimit` limits (staff
 * login, booth enrolment) are counted across processes. Each route gets its own bucket (its URL).
 * On a store error the request is let through (the error is passed on, and @fastify/rate-limit with
 * `skipOnError: true` skips the limit): a database hiccup must not shut out the login page.
 */
export function fastifyRateLimitStore(limits: RateLimits): FastifyRateLimitStoreCtor {
  class SharedStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly bucket = 'route',
    ) {}
    incr(key: string, cb: Parameters<FastifyRateLimitStore['incr']>[1], timeWindow: number, max: number): void {
      limits.hit(this.bucket, key, max, timeWindow).then(
        (v) => cb(null, { current: v.count, ttl: v.resetInMs }),
        (e: unknown) => cb(e as Error),
      );
    }
    // @fastify/rate-limit passes the merged limit settings with the route as `routeInfo`.
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): SharedStore {
      const route = (routeOptions as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new SharedStore(undefined, `route:${String(route?.method ?? '')} ${route?.url ?? ''}`);
    }
  }
  return SharedStore;
}
