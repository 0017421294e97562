import { type Kysely, PostgresAdapter, sql } from 'kysely';

// One- and two-character case searches through an index on SQLite too (issue 17). Migration 190's
// FTS5 trigram index serves three characters or more; a shorter query fell back to the ordered scan,
// fast when the text is common (the first page fills at once) and a scan of every case when it is
// rare or absent (漏 at 10⁶ cases). cases_grams holds each case's characters and character pairs as
// tokens (intake/store/searchGrams.ts, registered as the SQL function case_grams by openSqliteStore),
// contentless (the text is in cases already), kept in step by triggers on the case's rowid.
// PostgreSQL's GIN index of migration 190 already holds characters and pairs: nothing to do there.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create virtual table cases_grams using fts5(grams, content = '', contentless_delete = 1, detail = none)`.execute(db);
  await sql`insert into cases_grams (rowid, grams) select rowid, case_grams(search_text) from cases`.execute(db);
  await sql`create trigger cases_grams_insert after insert on cases begin
    insert into cases_grams (rowid, grams) values (new.rowid, case_grams(new.search_text)); end`.execute(db);
  await sql`create trigger cases_grams_delete after delete on cases begin
    delete from cases_grams where rowid = old.rowid; end`.execute(db);
  await sql`create trigger cases_grams_update after update of search_text on cases begin
    delete from cases_grams where rowid = old.rowid;
    insert into cases_grams (rowid, grams) values (new.rowid, case_grams(new.search_text)); end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  for (const t of ['cases_grams_insert', 'cases_grams_delete', 'cases_grams_update'])
    await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
  await sql`drop table if exists cases_grams`.execute(db);
}
