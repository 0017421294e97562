import { type Kysely, PostgresAdapter, sql } from 'kysely';

// PostgreSQL: the characters and pairs of a case's search text stored in a column, the GIN index on
// that column (issue 17). Migration 190 indexed the expression case_grams(search_text); the index
// found the right rows, but every row the planner then checks — the recheck of a bitmap scan, or the
// filter of the ordered scan that fills the first page — ran the SQL function again: about 90 µs a
// row, so "游商" (one case in 8) took 550 ms at 50,000 cases when the planner chose the bitmap scan
// (6,250 rechecks) and 16–30 ms on the ordered scan. A stored generated column computes the grams
// once, when the case is written; a check is then an array comparison. pg_dump leaves generated
// values out and pg_restore recomputes them, so backups are unchanged.
// SQLite keeps its FTS5 tables (190, 191): nothing to do there.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  // Dropped before the column is added: adding a stored column rewrites the table and every index on it.
  await sql`drop index if exists cases_search_grams`.execute(db);
  await sql`alter table cases add column search_grams text[] generated always as (case_grams(search_text)) stored`.execute(db);
  await sql`create index cases_search_grams on cases using gin (search_grams)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table cases drop column if exists search_grams`.execute(db);
  await sql`create index cases_search_grams on cases using gin (case_grams(search_text))`.execute(db);
}
