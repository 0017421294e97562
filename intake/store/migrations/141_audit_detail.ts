import type { Kysely } from 'kysely';

// Issue 15: every account, role, unit, setting and calendar change is audited with what it was
// before and after. `detail` is JSON {before, after} (never a password or a resident's data).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('detail', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('detail').execute();
}
