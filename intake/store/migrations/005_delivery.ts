import { type Kysely, PostgresAdapter } from 'kysely';

// Delivery (issue 6): booth credentials, tus uploads of booths, heartbeats (history; the fleet view
// reads the latest per booth). Media now arrive over tus, so the staging table of 001 goes.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter; // auto-numbered keys differ
  await db.schema.dropTable('staged_items').ifExists().execute();
  await db.schema
    .createTable('booth_credentials')
    .addColumn('booth_code', 'text', (c) => c.primaryKey())
    .addColumn('secret_hash', 'text', (c) => c.notNull()) // hex sha256 of the secret; the secret itself is never stored
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('revoked_at', 'integer')
    .execute();

  await db.schema
    .createTable('delivery_uploads')
    .addColumn('upload_id', 'text', (c) => c.primaryKey()) // server-made 32-hex tus id
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('verified_at', 'integer')
    .execute();
  await db.schema.createIndex('delivery_uploads_item').on('delivery_uploads').columns(['booth_code', 'submission_id', 'idx']).execute();

  await db.schema
    .createTable('booth_heartbeats')
    .addColumn('id', pg ? 'serial' : 'integer', (c) => (pg ? c.primaryKey() : c.primaryKey().autoIncrement())) // serial on Postgres
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('received_at', 'integer', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('queue_depth', 'integer', (c) => c.notNull())
    .addColumn('oldest_unsent_sec', 'integer')
    .addColumn('bytes_waiting', 'integer', (c) => c.notNull())
    .addColumn('disk_free_bytes', 'integer', (c) => c.notNull())
    .addColumn('disk_total_bytes', 'integer', (c) => c.notNull())
    .addColumn('devices_json', 'text', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('alerts_json', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('booth_heartbeats_latest').on('booth_heartbeats').columns(['booth_code', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('booth_heartbeats').execute();
  await db.schema.dropTable('delivery_uploads').execute();
  await db.schema.dropTable('booth_credentials').execute();
}
