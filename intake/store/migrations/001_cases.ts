import type { Kysely } from 'kysely';

// Cases and their media, as received from booths. Later migrations add the case workflow.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey()) // = the booth's submission UUID (idempotency key)
    .addColumn('case_number', 'text', (c) => c.notNull().unique())
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('language', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('saved_at', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('category', 'text')
    .addColumn('location', 'text')
    .addColumn('contact_sealed', 'text') // base64 of AES-256-GCM sealed JSON; never in clear
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('new'))
    .addColumn('manifest_hash', 'text', (c) => c.notNull()) // sha256 of the canonical manifest, for idempotent replays
    .execute();
  await db.schema.createIndex('cases_received_at').on('cases').columns(['received_at', 'id']).execute();

  await db.schema
    .createTable('case_items')
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('camera', 'text')
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('duration_sec', 'real')
    .addColumn('file', 'text', (c) => c.notNull()) // relative to the media root; never a client-given name
    .addColumn('playback_file', 'text')
    .addColumn('poster_file', 'text')
    .addColumn('playback_state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addPrimaryKeyConstraint('case_items_pk', ['case_id', 'idx'])
    .execute();

  await db.schema
    .createTable('staged_items')
    .addColumn('submission_id', 'text', (c) => c.notNull())
    .addColumn('idx', 'integer', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('staged_items_pk', ['submission_id', 'idx'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('staged_items').execute();
  await db.schema.dropTable('case_items').execute();
  await db.schema.dropTable('cases').execute();
}
