import { sql, type Kysely } from 'kysely';
import { DEFAULT_CATEGORIES, LEGACY_CATEGORY_LABELS } from '../../../lib/vocab.ts';

// One category vocabulary (issue 15). Booth cases arrived as codes (noise, property…) while staff
// typed labels (噪音, 物业管理…) from a settings list of plain strings. From here on a case holds a
// CODE and the settings hold the list of {code, name, short, shortEn}. This migration:
//  - turns a stored list of strings into entries: known labels get their code and the default
//    resident labels; an unknown label keeps its name and gets a code custom_N;
//  - rewrites every case's category label to its code (unknown labels to their custom_N code).
// Portable SQL (SQLite and Postgres). Not reversible in detail: down() is a no-op on the data.
interface Entry {
  code: string;
  name: string;
  short: string;
  shortEn: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const stored = await sql<{ value: string }>`select value from settings where key = 'categories'`.execute(db);
  const raw = stored.rows[0] ? (JSON.parse(stored.rows[0].value) as unknown) : null;
  const entries: Entry[] = [];
  const byLabel = new Map<string, string>(Object.entries(LEGACY_CATEGORY_LABELS));
  if (Array.isArray(raw) && raw.every((x) => typeof x === 'string')) {
    let n = 0;
    for (const label of raw as string[]) {
      const known = LEGACY_CATEGORY_LABELS[label];
      const def = DEFAULT_CATEGORIES.find((c) => c.code === known);
      if (def && !entries.some((e) => e.code === def.code)) entries.push({ ...def });
      else if (!def) {
        const code = `custom_${++n}`;
        entries.push({ code, name: label.slice(0, 40), short: label.slice(0, 12), shortEn: code });
        byLabel.set(label, code);
      }
    }
    // The defaults the old list lacked (a booth may have sent them): keep every booth code known.
    for (const d of DEFAULT_CATEGORIES) if (!entries.some((e) => e.code === d.code)) entries.push({ ...d });
    await sql`update settings set value = ${JSON.stringify(entries)} where key = 'categories'`.execute(db);
  }
  for (const [label, code] of byLabel) {
    await sql`update cases set category = ${code} where category = ${label}`.execute(db);
  }
}

export async function down(): Promise<void> {
  // Codes stay codes: the labels are in the settings list.
}
