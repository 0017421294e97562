import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

// Issue 19, opening the back office to other systems: where a case came from (booth / partner),
// API keys for partner systems (only the SHA-256 of a key is stored), the durable event outbox that
// every case step feeds in the same transaction as its history row (intake/store/caseHistory.ts),
// webhook endpoints (their signing secret sealed with the contact key) and one delivery row per
// endpoint × event with its attempts. Times are ISO-8601 UTC text like the rest of the casework.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialType: ColumnDataType = pg ? 'serial' : 'integer';
  const serial = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema
    .alterTable('cases')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('booth'))
    .execute();
  await db.schema.alterTable('cases').addColumn('source_ref', 'text').execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull()) // JSON array
    .addColumn('jurisdiction_id', 'text')
    .addColumn('rate_per_minute', 'integer', (c) => c.notNull().defaultTo(60))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('revoked_at', 'text')
    .addColumn('revoked_by', 'text')
    .addColumn('use_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_used_at', 'text')
    .addColumn('last_used_ip', 'text')
    .execute();

  await db.schema
    .createTable('case_events')
    .addColumn('seq', serialType, serial)
    .addColumn('event_id', 'text', (c) => c.notNull().unique())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('history_id', 'integer')
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull()) // the webhook body, JSON (contract/caseEvents.ts)
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'seq']).execute();

  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('secret_sealed', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull()) // JSON array; [] = all
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', serialType, serial)
    .addColumn('endpoint_id', 'text', (c) => c.notNull().references('webhook_endpoints.id'))
    .addColumn('event_seq', 'integer', (c) => c.notNull().references('case_events.seq'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending')) // pending | delivered | failed
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_until', 'text')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('delivered_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // The dispatcher's walk: due pending deliveries in event order; the per-case order check.
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['state', 'next_attempt_at', 'event_seq'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_case')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'case_id', 'event_seq'])
    .execute();

  await db.schema
    .createTable('webhook_attempts')
    .addColumn('id', serialType, serial)
    .addColumn('delivery_id', 'integer', (c) => c.notNull().references('webhook_deliveries.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('status', 'integer')
    .addColumn('error', 'text')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('by', 'text', (c) => c.notNull()) // the process that sent it (lease owner)
    .execute();
  await db.schema.createIndex('webhook_attempts_delivery').on('webhook_attempts').columns(['delivery_id', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['webhook_attempts', 'webhook_deliveries', 'webhook_endpoints', 'case_events', 'api_keys'])
    await db.schema.dropTable(t).execute();
  await db.schema.alterTable('cases').dropColumn('source_ref').execute();
  await db.schema.alterTable('cases').dropColumn('source').execute();
}
