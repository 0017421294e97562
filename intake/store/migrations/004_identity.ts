import type { Kysely } from 'kysely';

// Real-name identity (issue 5): the sealed block exactly as the booth sent it (lib/identitySeal.ts),
// JSON text. Openable only with the intake's identity private key, on a logged reveal.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('identity_sealed', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('cases').dropColumn('identity_sealed').execute();
}
