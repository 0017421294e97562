import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Case search through an index that fits Chinese text (issue 17: the LIKE scan grew with the table,
// 102 ms at 200k cases). Words in Chinese are not separated by spaces, so a word index cannot find
// 反映 inside 居民反映问题; an n-gram index can:
//  - SQLite: an FTS5 table with the trigram tokenizer over cases.search_text, kept in step by
//    triggers on the case's rowid (a lookup, not a scan); searches return the case id it keeps
//    beside the text. The intake never runs VACUUM, which may renumber the rowids of a table whose
//    key is not an INTEGER PRIMARY KEY: a store that was vacuumed must rebuild cases_fts
//    (delete from it, insert from cases), as this migration does.
//  - PostgreSQL: a GIN index over the text's characters and character pairs (case_grams()), which
//    a query's own characters or pairs must all be in, then LIKE confirms. Not pg_trgm: it takes
//    only what the database's locale calls letters, and under the C locale (the default of a plain
//    initdb) a Chinese text gives it no trigram at all (show_trgm('居民反映') = {}), so its index
//    would return every row. Characters and pairs work in any locale, for 1 and 2 characters too.
// SQLite's trigrams serve 3 characters or more; 1–2 character queries there fall back to the
// ordered scan (intake/staff/cases.ts), which stops at the first page of matches.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create function case_grams(t text) returns text[] language sql immutable strict parallel safe as $$
      select coalesce(array_agg(distinct g), '{}') from (
        select substr(t, i, 1) as g from generate_series(1, char_length(t)) as i
        union all select substr(t, i, 2) from generate_series(1, char_length(t) - 1) as i) as grams $$`.execute(db);
    await sql`create index cases_search_grams on cases using gin (case_grams(search_text))`.execute(db);
    return;
  }
  await sql`create virtual table cases_fts using fts5(case_id unindexed, search_text, tokenize = 'trigram')`.execute(db);
  await sql`insert into cases_fts (rowid, case_id, search_text) select rowid, id, search_text from cases`.execute(db);
  await sql`create trigger cases_fts_insert after insert on cases begin
    insert into cases_fts (rowid, case_id, search_text) values (new.rowid, new.id, new.search_text); end`.execute(db);
  await sql`create trigger cases_fts_delete after delete on cases begin
    delete from cases_fts where rowid = old.rowid; end`.execute(db);
  await sql`create trigger cases_fts_update after update of search_text on cases begin
    update cases_fts set search_text = new.search_text where rowid = old.rowid; end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`drop index if exists cases_search_grams`.execute(db);
    await sql`drop function if exists case_grams(text)`.execute(db);
    return;
  }
  for (const t of ['cases_fts_insert', 'cases_fts_delete', 'cases_fts_update']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
  await sql`drop table if exists cases_fts`.execute(db);
}
