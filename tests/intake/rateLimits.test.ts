// The shared rate-limit module (intake/store/rateLimits.ts) on SQLite: a fixed window per bucket and
// key, a new window once it ends, keys stored hashed, ended windows pruned. Its use across two
// processes on Postgres is in multiProcess.pg.int.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { openSqliteStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { RateLimits } from '../../intake/store/rateLimits.ts';

let db: Kysely<IntakeDatabase>;
let t = 1_800_000_000_000;

beforeAll(async () => {
  db = await openSqliteStore(':memory:');
});
afterAll(async () => db?.destroy());

describe('RateLimits', () => {
  it('allows `limit` hits per window per bucket and key, then refuses until the window ends', async () => {
    const limits = new RateLimits(db, () => t);
    const verdicts = [];
    for (let i = 0; i < 5; i++) verdicts.push(await limits.hit('login', '203.0.113.7', 3, 60_000));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false, false]);
    expect(verdicts.map((v) => v.count)).toEqual([1, 2, 3, 4, 5]);
    expect(verdicts[1]).toMatchObject({ remaining: 1, resetAt: t + 60_000, retryAfterSec: 60 });
    // another key, another bucket: counted apart
    expect((await limits.hit('login', '203.0.113.8', 3, 60_000)).count).toBe(1);
    expect((await limits.hit('status', '203.0.113.7', 3, 60_000)).count).toBe(1);
    t += 30_000;
    expect(await limits.hit('login', '203.0.113.7', 3, 60_000)).toMatchObject({ allowed: false, retryAfterSec: 30 });
    t += 30_000; // the window ended: a new one starts with this hit
    expect(await limits.hit('login', '203.0.113.7', 3, 60_000)).toMatchObject({ allowed: true, count: 1, resetAt: t + 60_000 });
  });

  it('keeps no client address in clear; reset and prune remove rows', async () => {
    const limits = new RateLimits(db, () => t);
    const rows = await db.selectFrom('rate_limit_hits').selectAll().execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.key).not.toContain('203.0.113');
    await limits.reset('status', '203.0.113.7');
    expect(await db.selectFrom('rate_limit_hits').selectAll().execute()).toHaveLength(rows.length - 1);
    t += 120_000;
    expect(await limits.prune()).toBe(rows.length - 1);
  });

  it('counts every concurrent hit once', async () => {
    const limits = new RateLimits(db, () => t);
    const v = await Promise.all(Array.from({ length: 20 }, () => limits.hit('burst', 'k', 7, 60_000)));
    expect(v.filter((x) => x.allowed)).toHaveLength(7);
    expect(new Set(v.map((x) => x.count)).size).toBe(20);
  });
});
