import type { Kysely } from 'kysely';

// Issue 18: a resident number on a receipt that the intake had to change (another case already held
// it) stays findable, like a renumbered case number. Both kinds of alias share one table; `kind`
// tells them apart ('case' for BOOTH-DAY-SEQ numbers, 'resident' for 8-digit receipt numbers).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('case_number_aliases')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('case'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('case_number_aliases').dropColumn('kind').execute();
}
