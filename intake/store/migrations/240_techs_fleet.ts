import { type Kysely, sql } from 'kysely';

// Issue 20 (technicians): the fleet's disk flag is relative to what the booth needs to record, so a
// heartbeat keeps the booth's own figure; and one revocation everywhere: a booth whose credential
// was revoked from the command line before the CLI also marked the registry is shown as revoked.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('booth_heartbeats').addColumn('disk_need_bytes', 'bigint').execute();
  await sql`update booths set revoked_at = (select c.revoked_at from booth_credentials c where c.booth_code = booths.booth_code)
    where revoked_at is null
      and exists (select 1 from booth_credentials c where c.booth_code = booths.booth_code and c.revoked_at is not null)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('booth_heartbeats').dropColumn('disk_need_bytes').execute();
}
