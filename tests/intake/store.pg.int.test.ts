// The intake store on a real Postgres 15 (the scale-out path): the same migrations, and the back
// office's queries — accounts, the case list with filters and keyset pages, a case's workflow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { openPostgresStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { checkLogin, userById } from '../../intake/staff/accounts.ts';
import { applyEvent, listCases, recordCallback } from '../../intake/staff/cases.ts';
import { loadCalendar, readSettings, writeSettings } from '../../intake/staff/settings.ts';
import { fromWall } from '../../intake/casework/time.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';
import { seedCase, seedUnit, seedUser, TEST_PASSWORD } from '../support/staff.ts';

if (!postgresAvailable())
  console.warn('store.pg: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15)');

describe.runIf(postgresAvailable())('intake store on Postgres 15', () => {
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

  it('runs every migration, and again is a no-op', async () => {
    await db.destroy();
    db = await openPostgresStore(pg.url);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(
      expect.arrayContaining(['cases', 'case_items', 'staff_users', 'case_history', 'audit_log', 'calendar_overrides']),
    );
  });

  it('accounts, settings, the case list and a workflow', async () => {
    const unit = await seedUnit(db, '物业公司');
    const boss = await seedUser(db, 'boss', 'supervisor');
    expect((await checkLogin(db, 'boss', TEST_PASSWORD)).ok).toBe(true);
    expect((await checkLogin(db, 'boss', 'wrong password!')).ok).toBe(false);
    await writeSettings(db, { territories: ['一村'] });
    expect((await readSettings(db)).territories).toEqual(['一村']);

    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      ids.push(
        (
          await seedCase(db, {
            receivedAt: new Date(fromWall('2026-10-01', '08:00') + i * 3_600_000).toISOString(),
            summary: `问题 ${i}`,
            location: i % 2 ? '8号楼' : '北门',
            category: i % 3 ? '噪音' : '供暖',
            unitId: i % 4 ? unit : null,
          })
        ).id,
      );
    }
    const page1 = await listCases(db, { limit: 50 }, Date.now());
    const page2 = await listCases(db, { limit: 50, cursor: page1.nextCursor! }, Date.now());
    const page3 = await listCases(db, { limit: 50, cursor: page2.nextCursor! }, Date.now());
    expect(page1.rows.length + page2.rows.length + page3.rows.length).toBe(120);
    expect(page3.nextCursor).toBeNull();
    expect(new Set([...page1.rows, ...page2.rows, ...page3.rows].map((r) => r.id)).size).toBe(120);
    expect((await listCases(db, { limit: 200, category: '供暖', unitId: unit }, Date.now())).rows).toHaveLength(30);
    expect((await listCases(db, { limit: 200, q: '问题 11' }, Date.now())).rows.map((r) => r.summary).sort()).toEqual([
      '问题 11',
      '问题 110',
      '问题 111',
      '问题 112',
      '问题 113',
      '问题 114',
      '问题 115',
      '问题 116',
      '问题 117',
      '问题 118',
      '问题 119',
    ]);

    const user = (await userById(db, boss.id))!;
    const cal = await loadCalendar(db);
    const settings = await readSettings(db);
    const id = ids[0]!;
    const now = fromWall('2026-09-29', '15:30');
    await applyEvent(db, user, id, 0, { type: 'assign', unitId: unit }, cal, settings, now);
    await applyEvent(db, user, id, 1, { type: 'answer', result: '已处理' }, cal, settings, now);
    await recordCallback(db, user, id, 2, { contacted: true, solved: true, satisfaction: 'satisfied', note: '' }, now);
    const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'called_back', version: 3, due_at: new Date(fromWall('2026-10-15', '00:00')).toISOString() });
    const hist = await db.selectFrom('case_history').select(['id', 'action']).where('case_id', '=', id).orderBy('id').execute();
    expect(hist.map((h) => h.action)).toEqual(['assign', 'answer', 'callback']);
  });
});
