import type { Kysely } from 'kysely';

// Issue 15 item 5: repeats both ways. A case may be linked as a repeat of an earlier one (the
// original then shows its repeats and "反映 N 次"); likely repeats are suggested by place and
// category, and by the same callback phone, matched on a keyed hash (never the number in clear).
// Staff attachments on a case (after-photos, documents) are stored like other media.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('case_repeats')
    .addColumn('repeat_id', 'text', (c) => c.primaryKey()) // a case repeats at most one original
    .addColumn('original_id', 'text', (c) => c.notNull())
    .addColumn('linked_by', 'text')
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_repeats_original').on('case_repeats').column('original_id').execute();
  await db.schema
    .createTable('case_phone_hashes')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('phone_hash', 'text') // null: the case has no callback phone
    .execute();
  await db.schema.createIndex('case_phone_hashes_hash').on('case_phone_hashes').column('phone_hash').execute();
  await db.schema
    .createTable('case_attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull()) // photo | document
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('file', 'text', (c) => c.notNull()) // relative to the media root
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_attachments_case').on('case_attachments').column('case_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('case_attachments').execute();
  await db.schema.dropTable('case_phone_hashes').execute();
  await db.schema.dropTable('case_repeats').execute();
}
