// The case list's filters in combination, on both stores (migration 171): each filter's index
// carries the other filters' columns after its (received_at, id) key, so a combination walks one
// index newest first and tests the other filters on the index entry, reading the table only for a
// case that passes. Before 171, unit + category read every case of the unit from the table to test
// its category: 177 ms (SQLite) and 218 ms (PostgreSQL) at 10⁶ cases when the pair holds no case.
// Checked here: the list finds exactly the cases a plain filter of all rows finds, for combinations
// holding no case, some cases and many; and the plan of unit + category walks the unit's index with
// the category tested in it (SQLite: the bytecode reads the category from the index cursor;
// PostgreSQL: the category is an Index Cond, not a Filter on fetched rows). The SQLite store here
// has no statistics, as the intake's never has (it does not run ANALYZE).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql, type Kysely, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { listCases, type CaseFilter } from '../../intake/staff/cases.ts';
import { CASE_STATUSES, type CaseStatus } from '../../intake/casework/status.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';

type Db = Kysely<IntakeDatabase>;

if (!postgresAvailable())
  console.warn(
    'caseListFilters: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15): the PostgreSQL half is skipped',
  );

const N = 4_000;
const CATEGORIES = ['property', 'environment', 'policy', 'vendors', 'heating', 'noise', 'traffic', 'other'];
const TERRITORIES = ['1村', '2村', '3村', '4村', '5村', '6村'];
interface Made {
  id: string;
  received_at: string;
  unit_id: string | null;
  category: string;
  status: CaseStatus;
  territory: string;
  booth_code: string;
  real_name: number;
}

/** Periodic values, like bench/staff.ts: unit i % 10 and category i % 8 share parity, so u3 never meets an even category. */
function made(i: number): Made {
  return {
    id: `c${String(i).padStart(5, '0')}`,
    received_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
    unit_id: i % 10 === 9 ? null : `u${i % 10}`,
    category: CATEGORIES[i % 8]!,
    status: CASE_STATUSES[i % CASE_STATUSES.length]!,
    territory: TERRITORIES[i % 6]!,
    booth_code: `B0${i % 7}`,
    real_name: i % 3 === 0 ? 1 : 0,
  };
}
const ALL = Array.from({ length: N }, (_, i) => made(i));

async function fill(db: Db): Promise<void> {
  await db
    .insertInto('units')
    .values(Array.from({ length: 9 }, (_, k) => ({ id: `u${k}`, name: `单位${k}` })))
    .execute();
  for (let s = 0; s < N; s += 500) {
    await db
      .insertInto('cases')
      .values(
        ALL.slice(s, s + 500).map((c, k) => ({
          ...c,
          case_number: `B0-20260101-${s + k}`,
          language: 'zh-CN',
          started_at: c.received_at,
          saved_at: c.received_at,
          manifest_hash: 'x'.repeat(64),
          summary: `反映问题 ${s + k}`,
          search_text: `b0-20260101-${s + k} 反映问题 ${s + k}`,
        })),
      )
      .execute();
  }
}

const FILTERS: [string, Partial<CaseFilter>][] = [
  ['unit + category, no case', { unitId: 'u3', category: 'heating' }],
  ['unit + category, 100 cases', { unitId: 'u3', category: 'noise' }],
  ['unit + status, no case', { unitId: 'u3', status: ['assigned'] }],
  ['category + territory, no case', { category: 'noise', territory: '1村' }],
  ['territory + 实名, no case', { territory: '2村', realName: true }],
  ['unit + category + booth + not 实名', { unitId: 'u1', category: 'environment', boothCode: 'B04', realName: false }],
  ['status + booth', { status: [CASE_STATUSES[5]!], boothCode: 'B02' }],
];

/** What the filter means, over every case: newest first. */
function expected(f: Partial<CaseFilter>): string[] {
  return ALL.filter(
    (c) =>
      (f.unitId === undefined || c.unit_id === f.unitId) &&
      (f.category === undefined || c.category === f.category) &&
      (f.status === undefined || f.status.includes(c.status)) &&
      (f.territory === undefined || c.territory === f.territory) &&
      (f.boothCode === undefined || c.booth_code === f.boothCode) &&
      (f.realName === undefined || c.real_name === (f.realName ? 1 : 0)),
  )
    .map((c) => c.id)
    .reverse();
}

async function findsWhatTheFilterMeans(db: Db): Promise<void> {
  for (const [name, f] of FILTERS) {
    const got: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listCases(db, { limit: 50, ...f, ...(cursor ? { cursor } : {}) }, Date.UTC(2026, 6, 1));
      got.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(got, name).toEqual(expected(f));
  }
}

/** The SQL and parameters listCases sends for `f` (the product's query, not a copy of it). */
async function listQuery(db: Db, f: Partial<CaseFilter>): Promise<CompiledQuery> {
  let last: CompiledQuery | undefined;
  const capture: KyselyPlugin = {
    transformQuery: (a) => {
      last = db.getExecutor().compileQuery(a.node, a.queryId);
      return a.node;
    },
    transformResult: (a) => Promise.resolve(a.result),
  };
  await listCases(db.withPlugin(capture), { limit: 50, ...f }, Date.UTC(2026, 6, 1));
  return last!;
}

const UNIT_AND_CATEGORY = { unitId: 'u3', category: 'heating' };

describe('case list filters on SQLite', () => {
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'case-list-filters-'));
    db = await openSqliteStore(path.join(dir, 'intake.db'));
    await fill(db);
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds exactly the cases of each combination, newest first, page after page', async () => {
    await findsWhatTheFilterMeans(db);
  });

  it('unit + category walks the unit index in order and tests the category on the index entry', async () => {
    const q = await listQuery(db, UNIT_AND_CATEGORY);
    const plan = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${q.sql}`, [...q.parameters]))).rows
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH cases USING INDEX cases_unit_id_received \(unit_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
    // The bytecode: the cursor opened on the index's root page reads the category column of the
    // index entry (before 171 the index had no category: every candidate row was read from the table).
    const root = (await sql<{ rootpage: number }>`select rootpage from sqlite_schema where name = 'cases_unit_id_received'`.execute(db)).rows[0]!.rootpage; // prettier-ignore
    const at = (await sql<{ seqno: number }>`select seqno from pragma_index_info('cases_unit_id_received') where name = 'category'`.execute(db)).rows[0]?.seqno; // prettier-ignore
    expect(at, 'category is a column of cases_unit_id_received').toBeGreaterThan(2);
    const code = (await db.executeQuery<{ opcode: string; p1: number; p2: number }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]))).rows; // prettier-ignore
    const cursor = code.find((op) => op.opcode === 'OpenRead' && op.p2 === root)!.p1;
    expect(code.some((op) => op.opcode === 'Column' && op.p1 === cursor && op.p2 === at)).toBe(true);
  });
});

describe.runIf(postgresAvailable())('case list filters on PostgreSQL 15', () => {
  let pg: Postgres;
  let db: Db;
  beforeAll(async () => {
    pg = await startPostgres();
    db = await openPostgresStore(pg.url);
    await fill(db);
    await sql`analyze cases`.execute(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
  });

  it('finds exactly the cases of each combination, newest first, page after page', async () => {
    await findsWhatTheFilterMeans(db);
  });

  it('unit + category walks an index in order with both in its Index Cond, no row fetched to test the category', async () => {
    const q = await listQuery(db, UNIT_AND_CATEGORY);
    // The ordered walk the list takes at 10⁶ cases, forced so the plan is the same at 4,000 (where a
    // sort of a bitmap scan's rows would be as cheap).
    const plan = await db.connection().execute(async (c) => {
      await sql`set enable_seqscan = off`.execute(c);
      await sql`set enable_bitmapscan = off`.execute(c);
      await sql`set enable_sort = off`.execute(c);
      const p = await c.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${q.sql}`, [...q.parameters]));
      await sql`reset all`.execute(c);
      return p.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan Backward using cases_unit_id_received on cases/);
    expect(plan).toMatch(/Index Cond: \(\(unit_id = 'u3'::text\) AND \(category = 'heating'::text\)\)/);
    expect(plan).not.toMatch(/Filter: .*category/);
    expect(plan).not.toMatch(/Sort/);
  });
});
