import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Epoch-millisecond times and byte counts of the booth / delivery tables (004, 005) were declared
// `integer`: 64-bit in SQLite, but 32-bit in Postgres, where today's Date.now() overflows on insert.
// Widen them to bigint. SQLite stores any integer in up to 8 bytes whatever the declared type and
// cannot alter a column's type, so there this migration is a deliberate no-op.
export const WIDENED: Record<string, string[]> = {
  booths: ['created_at', 'enrolled_at', 'revoked_at'],
  enrolment_codes: ['created_at', 'expires_at', 'used_at'],
  booth_settings: ['updated_at'],
  booth_credentials: ['created_at', 'revoked_at'],
  delivery_uploads: ['size', 'created_at', 'verified_at'],
  booth_heartbeats: ['received_at', 'oldest_unsent_sec', 'bytes_waiting', 'disk_free_bytes', 'disk_total_bytes'],
  case_items: ['size'],
};

export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, columns] of Object.entries(WIDENED)) {
    for (const col of columns) await sql`alter table ${sql.table(table)} alter column ${sql.ref(col)} type bigint`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, columns] of Object.entries(WIDENED)) {
    for (const col of columns) await sql`alter table ${sql.table(table)} alter column ${sql.ref(col)} type integer`.execute(db);
  }
}
