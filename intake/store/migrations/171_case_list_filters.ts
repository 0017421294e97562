import type { Kysely } from 'kysely';

// The case list's filters in any combination (issue 17). Migration 003 gave each filter an index
// (filter, received_at, id): the list walks one of them newest first and stops at the page's 51st
// match. With a second filter every case of the first was read from the table to test the second,
// so a combination holding few or no cases read all the first filter's cases: unit + category at
// 10⁶ cases took 177 ms on SQLite and 218 ms on PostgreSQL (45,000 table reads for no row), and
// territory + 实名 at 200,000 cases 298 ms on SQLite; PostgreSQL walked the whole table (645 ms).
// An index per pair would be 15 indexes, and a triple still would not fit. Instead each filter's
// index carries the other filters' columns after its (received_at, id) key: the walk stays ordered
// and the other filters are tested on the index entry, the table row read only for a case that
// passes (SQLite defers the table seek until a column outside the index is needed; PostgreSQL
// checks conditions on later index columns in the index). A combination then costs at most a walk
// of the index entries of its rarest filter, about 0.2 µs each, whatever the other filters pick.
// Which index a combination walks: PostgreSQL's planner and an analysed SQLite pick the one with
// the fewest entries for the values asked. SQLite without statistics (the intake never runs
// ANALYZE) takes, among equally good-looking indexes, the one created last: so they are created
// from the filter expected to hold the most cases (实名 or not: two values) to the one expected to
// hold the fewest (a unit: one of tens), and unit + category walks the unit's cases.
// docs/BACKOFFICE.md "Scale" lists the combinations measured.
export const LIST_FILTERS = ['real_name', 'status', 'booth_code', 'territory', 'category', 'unit_id'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const col of LIST_FILTERS) {
    await db.schema.dropIndex(`cases_${col}_received`).execute();
    const others = LIST_FILTERS.filter((c) => c !== col);
    await db.schema
      .createIndex(`cases_${col}_received`)
      .on('cases')
      .columns([col, 'received_at', 'id', ...others])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const col of LIST_FILTERS) {
    await db.schema.dropIndex(`cases_${col}_received`).execute();
    await db.schema.createIndex(`cases_${col}_received`).on('cases').columns([col, 'received_at', 'id']).execute();
  }
}
