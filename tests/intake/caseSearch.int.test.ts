// Case search through the n-gram index of migration 190, on both stores: SQLite (FTS5 trigram) and
// PostgreSQL 15 (a GIN index of characters and pairs, stored in a column since 192; pg_trgm sees no trigram in Chinese under
// the C locale). Chinese text has no spaces between words, so a substring anywhere must
// be found: 3+ characters through the trigram index, 1–2 characters through the index of characters and
// pairs (migration 191), a text in RARE or more cases through the ordered scan; the case
// number exactly; an edited summary is found by its new words and not by its old ones; LIKE's own
// characters (% and _) are plain text.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { editCase, listCases } from '../../intake/staff/cases.ts';
import { userById } from '../../intake/staff/accounts.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';
import { seedCase, seedUser } from '../support/staff.ts';
import { caseGrams, gramToken } from '../../intake/store/searchGrams.ts';

if (!postgresAvailable())
  console.warn(
    'caseSearch: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15): the PostgreSQL half is skipped',
  );

const SUMMARIES = [
  '居民反映楼道噪音扰民',
  '小区供暖不足，室温只有十二度',
  '反映无照游商占道经营',
  '路灯不亮',
  '100% 满意_测试',
  '垃圾清运不及时',
];

async function searchSuite(db: Kysely<IntakeDatabase>): Promise<void> {
  const ids: Record<string, { id: string; caseNumber: string }> = {};
  for (const [i, summary] of SUMMARIES.entries()) {
    ids[summary] = await seedCase(db, {
      receivedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(),
      summary,
      location: i === 3 ? '东门' : '3号楼',
    });
  }
  const found = async (q: string) => (await listCases(db, { limit: 50, q }, Date.now())).rows.map((r) => r.summary).sort();

  expect(await found('反映')).toEqual(['反映无照游商占道经营', '居民反映楼道噪音扰民']); // 2 characters, mid-word
  expect(await found('噪')).toEqual(['居民反映楼道噪音扰民']); // 1 character
  expect(await found('噪音扰')).toEqual(['居民反映楼道噪音扰民']); // 3 characters: the index
  expect(await found('室温只有十二度')).toEqual(['小区供暖不足，室温只有十二度']);
  expect(await found('东门')).toEqual(['路灯不亮']); // the location is searched too
  expect(await found('100%')).toEqual(['100% 满意_测试']);
  expect(await found('0%')).toEqual(['100% 满意_测试']);
  expect(await found('意_测')).toEqual(['100% 满意_测试']);
  expect(await found('满意x测')).toEqual([]);
  expect(await found('不存在的词')).toEqual([]);
  const lamp = ids['路灯不亮']!;
  expect((await listCases(db, { limit: 50, q: lamp.caseNumber.toLowerCase() }, Date.now())).rows.map((r) => r.id)).toEqual([lamp.id]);

  // An edit changes what the index holds (the trigger / the GIN index follow the row).
  const boss = await seedUser(db, `boss${Math.random().toString(36).slice(2, 8)}`, 'supervisor');
  await editCase(db, (await userById(db, boss.id))!, lamp.id, 0, { summary: '路灯坏了三盏' }, Date.now());
  expect(await found('坏了三盏')).toEqual(['路灯坏了三盏']);
  expect(await found('灯不亮')).toEqual([]);
  // A deleted case leaves the index too.
  await db.deleteFrom('cases').where('id', '=', ids['垃圾清运不及时']!.id).execute();
  expect(await found('垃圾清运')).toEqual([]);
}

describe('case search on SQLite: FTS5 trigram, characters and pairs', () => {
  let dir: string;
  let db: Kysely<IntakeDatabase>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'case-search-'));
    db = await openSqliteStore(path.join(dir, 'intake.db'));
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds Chinese substrings of 1, 2 and more characters, follows edits and deletes', async () => {
    await searchSuite(db);
  });

  it('a 3+ character query goes through the FTS5 index, not a scan of cases', async () => {
    const plan = await sql<{
      detail: string;
    }>`explain query plan select id from cases where id in (select case_id from cases_fts where cases_fts match '"噪音扰"')`.execute(db);
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
  });

  it('1- and 2-character queries have an index too; a text in thousands of cases takes the ordered scan and still finds them all', async () => {
    const token = gramToken('噪音')!;
    const plan = await sql<{
      detail: string;
    }>`explain query plan select id from cases where rowid in (select rowid from cases_grams where cases_grams match ${token})`.execute(db);
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
    expect(caseGrams('反映 3号')).toBe('u53cd b53cdx6620 u6620 u33 b33x53f7 u53f7');
    // 2,100 cases with 堵塞 (more than the index is asked for), 3 with 井盖: both found, newest first.
    await sql`with recursive n(i) as (select 0 union all select i + 1 from n where i < 2099)
      insert into cases (id, case_number, booth_code, language, started_at, saved_at, received_at, manifest_hash, status, summary, real_name, search_text)
      select 'c' || i, 'BULK-' || i, 'B01', 'zh-CN', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', printf('2026-01-01T00:%02d:%02d.000Z', i / 60, i % 60),
        '', 'new', '下水道堵塞', 0, 'bulk-' || i || ' 下水道堵塞' || case when i % 700 = 0 then ' 井盖' else '' end from n`.execute(db);
    const common = await listCases(db, { limit: 50, q: '堵塞' }, Date.now());
    expect(common.rows).toHaveLength(50);
    expect(common.rows[0]!.case_number).toBe('BULK-2099');
    const rare = await listCases(db, { limit: 50, q: '井盖' }, Date.now());
    expect(rare.rows.map((r) => r.case_number)).toEqual(['BULK-1400', 'BULK-700', 'BULK-0']);
  });
});

describe.runIf(postgresAvailable())('case search on PostgreSQL 15: GIN over characters and pairs', () => {
  let pg: Postgres;
  let db: Kysely<IntakeDatabase>;
  beforeAll(async () => {
    pg = await startPostgres();
    db = await openPostgresStore(pg.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
  });

  it('finds Chinese substrings of 1, 2 and more characters, follows edits and deletes', async () => {
    await searchSuite(db);
  });

  it('1- and 2-character queries use the index of the stored grams; a checked row costs no call of case_grams (migration 192)', async () => {
    // The bitmap path (index, then a check of every row it names), forced so the plan is the same
    // whatever the table's size: before 192 its check called case_grams per row (550 ms for 6,250 rows).
    const plan = await db.connection().execute(async (c) => {
      await sql`set enable_seqscan = off`.execute(c);
      await sql`set enable_indexscan = off`.execute(c);
      const p = await sql<{ 'QUERY PLAN': string }>`explain select id from cases
        where case_number = '反映' or (search_grams @> array['反映'] and search_text like '%反映%')`.execute(c);
      await sql`reset all`.execute(c);
      return p.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Bitmap Index Scan on cases_search_grams/);
    expect(plan).not.toMatch(/case_grams\(/);
    // The column follows the text (generated on insert and on every edit of search_text).
    const { rows } = await sql<{ same: boolean; n: number }>`
      select bool_and(search_grams = case_grams(search_text)) as same, count(*) as n from cases`.execute(db);
    expect(rows[0]).toEqual({ same: true, n: SUMMARIES.length - 1 });
  });
});
