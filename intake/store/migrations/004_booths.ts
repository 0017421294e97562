import type { Kysely } from 'kysely';

// Technicians (issue 8): the booth registry (added by an admin, enrolled with a one-time code,
// revocable), the enrolment codes (hash only), and the settings the back office owns.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('booths')
    .addColumn('booth_code', 'text', (c) => c.primaryKey()) // FT01: the id used by credentials and heartbeats
    .addColumn('village', 'text', (c) => c.notNull())
    .addColumn('location', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('enrolled_at', 'integer')
    .addColumn('revoked_at', 'integer')
    .execute();

  await db.schema
    .createTable('enrolment_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey()) // sha256 of the code; the code itself is shown once
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'integer', (c) => c.notNull())
    .addColumn('used_at', 'integer')
    .addColumn('withdrawn', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('enrolment_codes_booth').on('enrolment_codes').column('booth_code').execute();

  await db.schema
    .createTable('booth_settings')
    .addColumn('scope', 'text', (c) => c.primaryKey()) // '*' = every booth; a booth code = that booth only
    .addColumn('settings_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('booth_settings').execute();
  await db.schema.dropTable('enrolment_codes').execute();
  await db.schema.dropTable('booths').execute();
}
