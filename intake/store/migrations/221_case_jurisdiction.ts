import type { Kysely } from 'kysely';

// Issue 19: a case filed by a partner system through Open311 names its township (jurisdiction_id)
// explicitly; booth cases leave it empty and belong to the township of their village.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('jurisdiction_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('jurisdiction_id').execute();
}
