import { sql, type Kysely } from 'kysely';

// Idempotency keys of the booth API (draft-ietf-httpapi-idempotency-key-header): per booth and key,
// the fingerprint of the first request body, and either the lease of the request working on it
// (in_progress: owner + until when) or the response it gave (done: status + body, replayed as is).
// In the store, not in one process's memory, so several intake processes on one Postgres see each
// other's requests. `bigint` for epoch milliseconds: 64-bit on Postgres, and SQLite's integer.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('idem_key', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull()) // sha256 of the canonical request body
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text') // random per request; only the holder may complete or release
    .addColumn('lease_until', 'bigint')
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text') // JSON
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['booth_code', 'idem_key'])
    .addCheckConstraint(
      'idempotency_keys_state',
      sql`(state = 'in_progress' and lease_owner is not null and lease_until is not null) or (state = 'done' and response_status is not null and response_body is not null)`,
    )
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('idempotency_keys').execute();
}
