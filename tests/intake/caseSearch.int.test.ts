// Case search through the n-gram index of migration 190, on both stores: SQLite (FTS5 trigram) and
// PostgreSQL 15 (a GIN index of characters and pairs; pg_trgm sees no trigram in Chinese under
// the C locale). Chinese text has no spaces between words, so a substring anywhere must
// be found: 3+ characters through the index, 1–2 characters through the ordered scan; the case
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

if (!postgresAvailable()) console.warn('caseSearch: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15): the PostgreSQL half is skipped');

const SUMMARIES = ['居民反映楼道噪音扰民', '小区供暖不足，室温只有十二度', '反映无照游商占道经营', '路灯不亮', '100% 满意_测试', '垃圾清运不及时'];

async function searchSuite(db: Kysely<IntakeDatabase>): Promise<void> {
  const ids: Record<string, { id: string; caseNumber: string }> = {};
  for (const [i, summary] of SUMMARIES.entries()) {
    ids[summary] = await seedCase(db, { receivedAt: new Date(Date.UTC(2026, 9, 1 + i)).toISOString(), summary, location: i === 3 ? '东门' : '3号楼' });
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

describe('case search on SQLite: FTS5 trigram', () => {
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
    const plan = await sql<{ detail: string }>`explain query plan select id from cases where id in (select case_id from cases_fts where cases_fts match '"噪音扰"')`.execute(db);
    expect(plan.rows.map((r) => r.detail).join('\n')).toMatch(/VIRTUAL TABLE INDEX/);
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

  it('1- and 2-character queries can use the index as well', async () => {
    const plan = await db.connection().execute(async (c) => {
      await sql`set enable_seqscan = off`.execute(c);
      return sql<{ 'QUERY PLAN': string }>`explain select id from cases where case_grams(search_text) @> array['反映']`.execute(c);
    });
    expect(plan.rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/cases_search_grams/);
  });
});
