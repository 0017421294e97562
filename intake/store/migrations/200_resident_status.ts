import type { Kysely } from 'kysely';

// The loop back to the resident (issue 18): the status page's secret per case (only its sha256;
// the token itself is on the resident's receipt) and the resident's own rating of the result,
// once per case, beside the callback's.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('resident_status_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema
    .createTable('resident_ratings')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('rating', 'text', (c) => c.notNull())
    .addColumn('rated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('resident_ratings').execute();
  await db.schema.dropTable('resident_status_tokens').execute();
}
