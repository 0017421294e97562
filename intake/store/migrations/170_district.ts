import type { Kysely } from 'kysely';

// The intake as several processes on one store (issue 16):
//  - login_throttle: failed staff logins per account + client, with the time the next attempt is
//    allowed (growing delays instead of a lockout anyone could trigger);
//  - work_leases: "this process does this piece of work until then" (reminders, housekeeping,
//    renditions), so work is done once across processes (intake/store/leases.ts);
//  - rate_limit_hits: the per-client request counters of @fastify/rate-limit, shared by all processes.
// Times are epoch milliseconds (bigint).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('client', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addColumn('next_allowed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_throttle_pk', ['username', 'client'])
    .execute();
  await db.schema
    .createTable('work_leases')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('work_leases_pk', ['kind', 'item'])
    .execute();
  await db.schema
    .createTable('rate_limit_hits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('window_ends_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['rate_limit_hits', 'work_leases', 'login_throttle']) await db.schema.dropTable(t).execute();
}
