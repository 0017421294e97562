// One category vocabulary (issue 15) on both stores: migration 140 turns the staff's old label list
// and case labels into codes (so booth `noise` and staff 噪音 are one category), the staff filter finds
// both, a case edit accepts only known codes, and a vocabulary edit reaches booths with a newer revision.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { migrateTo } from '../../../intake/store/db.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import { BoothStore } from '../../../intake/store/booths.ts';
import { effectiveSettings } from '../../../intake/fleetApi.ts';
import { BoothSettings } from '../../../contract/booth.ts';
import { seedCase, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';
import { fromWall } from '../../../intake/casework/time.ts';

const matrix = storeMatrix('staff/vocabulary');
afterAll(() => matrix.stop());

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  let dir: string;
  let intake: Intake;
  let admin: StaffClient;
  const ids: Record<string, string> = {};
  let clock = fromWall('2026-11-02', '12:00'); // Monday

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'staff-vocab-'));
    const storeOptions = await matrix.options(store, 'vocabulary');
    // A store as it was before the one vocabulary: the staff's label list and a mix of codes and labels.
    const raw = new Kysely<IntakeDatabase>({
      dialect: storeOptions.databaseUrl
        ? new PostgresDialect({ pool: new pg.Pool({ connectionString: storeOptions.databaseUrl, max: 1 }) })
        : new SqliteDialect({ database: new Database(path.join(dir, 'intake.db')) }),
    });
    await migrateTo(raw, '007_idempotency_keys');
    await raw
      .insertInto('settings')
      .values({ key: 'categories', value: JSON.stringify(['物业管理', '环境保护', '噪音', '占道经营']) })
      .execute();
    const at = '2026-11-02T03:00:00.000Z';
    ids.booth = (await seedCase(raw, { receivedAt: at, category: 'noise', summary: '夜里施工' })).id;
    ids.staff = (await seedCase(raw, { receivedAt: at, category: '噪音', summary: '广场舞音响' })).id;
    ids.env = (await seedCase(raw, { receivedAt: at, category: '环境保护', summary: '垃圾堆' })).id;
    ids.custom = (await seedCase(raw, { receivedAt: at, category: '占道经营', summary: '摆摊' })).id;
    await raw.destroy();

    intake = await createIntake({ dataDir: dir, now: () => clock, ...storeOptions });
    await intake.app.listen({ host: '127.0.0.1', port: 0 });
    await seedUser(intake.db, 'admin', 'admin');
    admin = await staffLogin(`http://127.0.0.1:${(intake.app.server.address() as { port: number }).port}`, 'admin');
  });

  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("migrates labels to codes: the booth's noise and the staff's 噪音 are one category", async () => {
    const rows = await intake.db.selectFrom('cases').select(['id', 'category']).execute();
    const cat = Object.fromEntries(rows.map((r) => [r.id, r.category]));
    expect(cat[ids.booth!]).toBe('noise');
    expect(cat[ids.staff!]).toBe('noise');
    expect(cat[ids.env!]).toBe('sanitation');
    expect(cat[ids.custom!]).toBe('custom_1');
    const meta = await admin.json<{ categories: { code: string; name: string; short: string; shortEn: string }[] }>(
      'GET',
      '/staff/api/meta',
    );
    expect(meta.categories.find((c) => c.code === 'custom_1')).toMatchObject({ name: '占道经营', short: '占道经营' });
    expect(meta.categories.find((c) => c.code === 'noise')).toMatchObject({ name: '噪音扰民', short: '噪音扰民', shortEn: 'Noise' });
    // Every code a booth can send stays in the list.
    for (const code of ['property', 'sanitation', 'noise', 'transport', 'heating', 'consultation', 'other'])
      expect(meta.categories.map((c) => c.code)).toContain(code);
    const list = await admin.json<{ cases: { id: string }[] }>('GET', '/staff/api/cases?category=noise');
    expect(list.cases.map((c) => c.id).sort()).toEqual([ids.booth, ids.staff].sort());
  });

  it('a case edit takes a code of the vocabulary, not free text', async () => {
    const bad = await admin.fetch('PATCH', `/staff/api/cases/${ids.custom}`, { version: 0, category: '噪音' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toBe('unknown_category');
    expect((await admin.fetch('PATCH', `/staff/api/cases/${ids.custom}`, { version: 0, category: 'street_vendor' })).status).toBe(200);
  });

  it('an admin edit of the vocabulary reaches the booths with a newer revision', async () => {
    const booths = new BoothStore(intake.db);
    const before = BoothSettings.parse(await effectiveSettings(booths, 'VB01', intake.db));
    const { settings } = await admin.json<{ settings: { categories: { code: string; name: string; short: string; shortEn: string }[] } }>(
      'GET',
      '/staff/api/admin/settings',
    );
    const next = [...settings.categories, { code: 'greening', name: '园林绿化', short: '绿化', shortEn: 'Trees and green' }];
    expect((await admin.fetch('PUT', '/staff/api/admin/settings', { categories: next })).status).toBe(200);
    const after = BoothSettings.parse(await effectiveSettings(booths, 'VB01', intake.db));
    expect(after.revision).toBeGreaterThan(before.revision);
    expect(after.categories.at(-1)).toEqual({ code: 'greening', name: '园林绿化', short: '绿化', shortEn: 'Trees and green' });
    // A duplicate code or a code that is not a code is refused.
    expect((await admin.fetch('PUT', '/staff/api/admin/settings', { categories: [...next, next[0]] })).status).toBe(400);
    expect(
      (
        await admin.fetch('PUT', '/staff/api/admin/settings', {
          categories: [{ code: '绿化', name: '绿化', short: '绿化', shortEn: 'Green' }],
        })
      ).status,
    ).toBe(400);
    // Saving other settings does not bump the vocabulary.
    expect((await admin.fetch('PUT', '/staff/api/admin/settings', { meetingTime: '16:30' })).status).toBe(200);
    expect(BoothSettings.parse(await effectiveSettings(booths, 'VB01', intake.db)).revision).toBe(after.revision);
  });

  it('a case not yet dispatched runs on the dispatch clock from receipt (1 working day by default), shown as 24:00 of its last day', async () => {
    const view = async () =>
      (await admin.json<{ dispatchDeadline: { dueDate: string; overdue: boolean } | null }>('GET', `/staff/api/cases/${ids.booth}`))
        .dispatchDeadline;
    const listed = async () =>
      (await admin.json<{ cases: { id: string; deadline: string | null }[] }>('GET', '/staff/api/cases')).cases.find(
        (c) => c.id === ids.booth,
      )!.deadline;
    expect(await view()).toEqual({ dueDate: '2026-11-03', dueAt: new Date(fromWall('2026-11-04', '00:00')).toISOString(), overdue: false });
    expect(await listed()).toBe('running');
    clock = fromWall('2026-11-04', '00:00');
    admin = await staffLogin(`http://127.0.0.1:${(intake.app.server.address() as { port: number }).port}`, 'admin');
    expect((await view())!.overdue).toBe(true);
    expect(await listed()).toBe('overdue');
  });
});
