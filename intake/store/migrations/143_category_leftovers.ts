import { sql, type Kysely } from 'kysely';
import { DEFAULT_CATEGORIES, type CategoryEntry } from '../../../lib/vocab.ts';

// Repairs what migration 140 left behind (found by tests/intake/migrationsOverData.int.test.ts).
// Before the one vocabulary the case form took any text as a category, and 140 turned into codes
// only the labels it knew and those in the office's saved list. A label typed into no list (楼道堆物),
// and on a store whose office never saved a list every label without a default code (占道经营), stayed
// as it was: the staff app showed it raw, the filter could not offer it, and the case form sent it
// back on every save, which the server then refused (unknown_category), so the case could not be
// edited without picking another category. Here each such label gets an entry custom_N of the
// vocabulary (after the highest custom_N in use; the name is the label) and its cases the code; the
// list is written with the defaults when none was saved, and its revision moves on, as an admin's
// edit does. A store where every category is a code is left as it is. Portable SQL; 140 stays as
// shipped (migrations are append-only: docs/DECISIONS.md).
export async function up(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<{ value: string }>`select value from settings where key = 'categories'`.execute(db);
  const saved = stored.rows[0] ? (JSON.parse(stored.rows[0].value) as unknown) : null;
  const entries: CategoryEntry[] =
    Array.isArray(saved) && saved.every((e) => typeof e === 'object' && e !== null && typeof (e as CategoryEntry).code === 'string')
      ? (saved as CategoryEntry[])
      : DEFAULT_CATEGORIES.map((d) => ({ ...d }));
  const codes = new Set(entries.map((e) => e.code));
  const used = await sql<{ category: string }>`select distinct category from cases where category is not null`.execute(db);
  // In code point order whatever the database's collation, so every store numbers them alike.
  const leftovers = used.rows
    .map((r) => r.category)
    .filter((c) => !codes.has(c))
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (leftovers.length === 0) return;

  let n = Math.max(0, ...entries.map((e) => /^custom_(\d+)$/.exec(e.code)).map((m) => (m ? Number(m[1]) : 0)));
  for (const label of leftovers) {
    const code = `custom_${++n}`;
    entries.push({ code, name: label.slice(0, 40), short: label.slice(0, 12), shortEn: code });
    await sql`update cases set category = ${code} where category = ${label}`.execute(db);
  }
  await upsertSetting(db, 'categories', JSON.stringify(entries));
  const revision = await sql<{ value: string }>`select value from settings where key = 'categoriesRevision'`.execute(db);
  await upsertSetting(db, 'categoriesRevision', JSON.stringify((revision.rows[0] ? Number(JSON.parse(revision.rows[0].value)) : 0) + 1));
}

async function upsertSetting(db: Kysely<unknown>, key: string, value: string): Promise<void> {
  const { numAffectedRows } = await sql`update settings set value = ${value} where key = ${key}`.execute(db);
  if (!numAffectedRows) await sql`insert into settings (key, value) values (${key}, ${value})`.execute(db);
}

export async function down(): Promise<void> {
  // Codes stay codes: the labels are the entries' names.
}
