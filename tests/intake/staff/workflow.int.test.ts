// The back office over real HTTP on both stores (SQLite, the default, and Postgres 15, the scale-out
// store): a case's whole life, the deadline from the working-day calendar and the admin's edits of
// it, callbacks and the three rates, the daily list CSV, identity reveal with its audit entry, and the account protections.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { parseCsv } from '../../../intake/casework/csv.ts';
import { LIST_COLUMNS } from '../../../intake/casework/dailyList.ts';
import { fromWall } from '../../../intake/casework/time.ts';
import { loadOrCreateKey, sealJson } from '../../../lib/sealed.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';

const matrix = storeMatrix('staff/workflow');
afterAll(() => matrix.stop());

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  let dir: string;
  let intake: Intake;
  let base: string;
  let clock = fromWall('2026-09-29', '15:30'); // the Tuesday before National Day
  let supervisor: StaffClient;
  let handler: StaffClient;
  let otherHandler: StaffClient;
  let units: { wuye: string; chengguan: string };
  let key: Buffer;
  let databaseUrl: string | undefined;

  // Made-up identity; the ID number passes its check digit.
  const IDENTITY = { name: '王小明', idNumber: '110101199003077571', address: '北京市丰台区某村8号楼3单元201', phone: '13812345678' };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'staff-flow-'));
    const storeOptions = await matrix.options(store, 'workflow');
    databaseUrl = storeOptions.databaseUrl;
    intake = await createIntake({ dataDir: dir, now: () => clock, loginsPerMinute: 1000, ...storeOptions });
    base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
    units = { wuye: await seedUnit(intake.db, '物业公司'), chengguan: await seedUnit(intake.db, '城管队') };
    await seedUser(intake.db, 'boss', 'supervisor');
    await seedUser(intake.db, 'wang', 'handler', [units.wuye]);
    await seedUser(intake.db, 'li', 'handler', [units.chengguan]);
    await seedUser(intake.db, 'admin', 'admin');
    await relogin();
  });

  /** Sessions last a working day; after the clock jumps days ahead, everyone logs in again. */
  async function relogin(): Promise<void> {
    supervisor = await staffLogin(base, 'boss');
    handler = await staffLogin(base, 'wang');
    otherHandler = await staffLogin(base, 'li');
  }

  async function advance(to: number): Promise<void> {
    clock = to;
    await relogin();
  }

  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  type CaseView = {
    case: { status: string; version: number; identity: Record<string, string>; result: string | null };
    deadline: { dueDate: string; reminderDate: string; state: string; workday: number; warnings: unknown[] } | null;
    history: { action: string }[];
  };

  describe('a case from new to closed', () => {
    let id: string;
    const view = () => supervisor.json<CaseView>('GET', `/staff/api/cases/${id}`);
    const event = async (c: StaffClient, ev: Record<string, unknown>) =>
      c.fetch('POST', `/staff/api/cases/${id}/events`, { version: (await view()).case.version, event: ev });

    it('is seeded as a real-name case, shown masked', async () => {
      id = (
        await seedCase(
          intake.db,
          {
            receivedAt: new Date(fromWall('2026-09-29', '09:10')).toISOString(),
            summary: '8号楼旁草坪被踩出小路',
            location: '8号楼',
            identity: IDENTITY,
          },
          key,
        )
      ).id;
      // As the booth API stores it: the card's other fields and photo ride along in the sealed record.
      const { phone: _phone, ...card } = IDENTITY;
      await intake.db
        .updateTable('cases')
        .set({
          identity_sealed: sealJson(
            { ...card, registeredAddress: card.address, card: { nation: '汉' }, photoWlt: 'V0xU', readAt: '2026-09-29T01:10:00Z' },
            key,
          ).toString('base64'),
        })
        .where('id', '=', id)
        .execute();
      const v = await view();
      expect(v.case.identity).toEqual({ name: '王**', idNumber: '110***********7571', address: '北京市丰台区****', phone: '138****5678' });
      expect(JSON.stringify(v)).not.toContain(IDENTITY.idNumber);
    });

    it('a handler may not assign; the supervisor assigns and the deadline crosses National Day', async () => {
      expect((await event(handler, { type: 'assign', unitId: units.wuye })).status).toBe(403);
      expect((await event(supervisor, { type: 'assign', unitId: units.wuye })).status).toBe(200);
      const v = await view();
      expect(v.case.status).toBe('assigned');
      // dispatched Tue 2026-09-29; working days: 9-30, 10-08, 10-09, 10-10 (调休 Sat) = 4th, …, 10-14 = 7th
      expect(v.deadline).toMatchObject({ reminderDate: '2026-10-10', dueDate: '2026-10-14', state: 'running', workday: 0, warnings: [] });
    });

    it('shows up on the due-soon page from 09:00 on the 4th working day', async () => {
      await advance(fromWall('2026-10-10', '09:30'));
      const due = await supervisor.json<{ cases: { id: string; overdue: boolean }[] }>('GET', '/staff/api/due-soon');
      expect(due.cases.map((c) => c.id)).toContain(id);
      expect((await view()).deadline).toMatchObject({ state: 'due_soon', workday: 4 });
    });

    it('only the handler of the case’s unit works it; a stale version is a conflict', async () => {
      expect((await event(otherHandler, { type: 'start' })).status).toBe(403);
      const stale = await handler.fetch('POST', `/staff/api/cases/${id}/events`, { version: 0, event: { type: 'start' } });
      expect(stale.status).toBe(409);
      expect((await event(handler, { type: 'start' })).status).toBe(200);
      const edit = await handler.fetch('PATCH', `/staff/api/cases/${id}`, {
        version: (await view()).case.version,
        category: 'property',
        territory: '一村',
      });
      expect(edit.status).toBe(200);
      expect((await handler.fetch('POST', `/staff/api/cases/${id}/notes`, { text: '已现场查看' })).status).toBe(200);
    });

    it('answer, callback (响应/解决/满意), close', async () => {
      await advance(fromWall('2026-10-12', '10:00'));
      expect((await event(handler, { type: 'answer', result: '已修步道并设围栏' })).status).toBe(200);
      expect((await view()).deadline!.state).toBe('met');
      const cb = await handler.fetch('POST', `/staff/api/cases/${id}/callback`, {
        version: (await view()).case.version,
        contacted: true,
        solved: true,
        satisfaction: 'satisfied',
        note: '居民表示满意',
      });
      expect(cb.status).toBe(200);
      expect((await event(handler, { type: 'close' })).status).toBe(200);
      const v = await view();
      expect(v.case.status).toBe('closed');
      expect(v.history.map((h) => h.action)).toEqual(['assign', 'start', 'edit', 'note', 'answer', 'callback', 'close']);
    });

    it('reveal needs the role and a reason, and is audited', async () => {
      expect((await handler.fetch('POST', `/staff/api/cases/${id}/reveal`, { reason: '回访需要电话' })).status).toBe(403);
      expect((await supervisor.fetch('POST', `/staff/api/cases/${id}/reveal`, { reason: '' })).status).toBe(400);
      const r = await supervisor.json<{ identity: typeof IDENTITY }>('POST', `/staff/api/cases/${id}/reveal`, { reason: '回访需要电话' });
      expect(r.identity).toEqual(IDENTITY);
      const admin = await staffLogin(base, 'admin');
      const audit = await admin.json<{ entries: { username: string; action: string; reason: string }[] }>('GET', '/staff/api/audit');
      expect(audit.entries[0]).toMatchObject({ username: 'boss', action: 'reveal_identity', reason: '回访需要电话' });
      const csv = await (await admin.fetch('GET', '/staff/api/audit.csv')).text();
      expect(parseCsv(csv)[1]).toContain('回访需要电话');
      expect((await view()).history.at(-1)!.action).toBe('reveal');
    });
  });

  describe('the daily list across the noon boundary', () => {
    it('CSV has a BOM, the seven columns in order, and only 12:00 yesterday to 12:00 today', async () => {
      const at = (d: string, t: string) => new Date(fromWall(d, t)).toISOString();
      const a = await seedCase(intake.db, { receivedAt: at('2026-11-02', '11:59'), summary: '前一天清单' });
      const b = await seedCase(intake.db, { receivedAt: at('2026-11-02', '12:00'), summary: '夜间施工噪音', location: '3号楼' });
      const c = await seedCase(intake.db, { receivedAt: at('2026-11-03', '00:05'), summary: '跨过午夜' });
      const d = await seedCase(intake.db, { receivedAt: at('2026-11-03', '12:00'), summary: '明天清单' });
      const res = await handler.fetch('GET', '/staff/api/lists.csv?kind=daily&date=2026-11-03');
      expect(res.headers.get('content-type')).toContain('text/csv');
      const bytes = Buffer.from(await res.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.toString('utf8'));
      expect(rows[0]).toEqual([...LIST_COLUMNS]);
      expect(rows.slice(1).map((r) => r[0])).toEqual([b.caseNumber, c.caseNumber]);
      expect(rows.map((r) => r[0])).not.toContain(a.caseNumber);
      expect(rows.map((r) => r[0])).not.toContain(d.caseNumber);
      expect(rows[1]).toEqual([b.caseNumber, '未派单', '夜间施工噪音', '3号楼', '', '', '新收']);
    });
  });

  describe('the three rates through the API', () => {
    it('per unit per month on fixed callbacks', async () => {
      const mk = async (unitId: string, contacted: boolean, solved: boolean, satisfaction: string | null, day: string) => {
        const { id } = await seedCase(intake.db, {
          receivedAt: new Date(fromWall('2026-11-01', '10:00')).toISOString(),
          unitId,
          status: 'answered',
        });
        await intake.db
          .updateTable('cases')
          .set({
            status: 'called_back',
            callback_at: new Date(fromWall(day, '10:00')).toISOString(),
            callback_contacted: contacted ? 1 : 0,
            callback_solved: solved ? 1 : 0,
            callback_satisfaction: satisfaction,
            territory: '二村',
          })
          .where('id', '=', id)
          .execute();
      };
      await mk(units.chengguan, true, true, 'satisfied', '2026-11-04');
      await mk(units.chengguan, true, false, 'unsatisfied', '2026-11-05');
      await mk(units.chengguan, false, false, null, '2026-11-06');
      await mk(units.chengguan, true, true, 'basically', '2026-11-20');
      const r = await supervisor.json<{
        rows: {
          label: string;
          period: string;
          evaluated: number;
          responseRate: number;
          resolutionRate: number;
          satisfactionRate: number;
        }[];
        definitions: unknown;
      }>('GET', '/staff/api/reports/rates?groupBy=unit&period=month&from=2026-11-01&to=2026-11-30');
      expect(r.rows).toEqual([
        expect.objectContaining({
          label: '城管队',
          period: '2026-11',
          evaluated: 4,
          responseRate: 3 / 4,
          resolutionRate: 2 / 4,
          satisfactionRate: 2 / 3,
        }),
      ]);
      expect(r.definitions).toBeTruthy();
      expect((await handler.fetch('GET', '/staff/api/reports/rates')).status).toBe(403);
    });
  });

  describe('accounts', () => {
    it('slows repeated wrong passwords without locking the account out, and says nothing about unknown users', async () => {
      // Per account + client: 3 free failures, then a growing wait (intake/staff/loginThrottle.ts);
      // the right password works again once the wait is over (the old 5-strike lockout let anyone
      // who reached the login page keep any admin out; tests/intake/staff/security.int.test.ts).
      await seedUser(intake.db, 'zhao', 'viewer');
      const login = (username: string, password: string) =>
        fetch(`${base}/staff/api/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
      expect((await login('nobody', 'whatever-pass')).status).toBe(401);
      for (let i = 0; i < 3; i++) expect((await login('zhao', 'wrong-password')).status).toBe(401);
      const held = await login('zhao', 'correct horse battery');
      expect(held.status).toBe(429);
      expect(Number(held.headers.get('retry-after'))).toBeGreaterThan(0);
      clock += 2_000;
      expect((await login('zhao', 'correct horse battery')).status).toBe(200);
    });

    it('limits login attempts per address', async () => {
      const smallDir = mkdtempSync(path.join(os.tmpdir(), 'staff-rl-'));
      const small = await createIntake({ dataDir: smallDir, loginsPerMinute: 3 });
      const url = await small.app.listen({ host: '127.0.0.1', port: 0 });
      const codes: number[] = [];
      for (let i = 0; i < 5; i++)
        codes.push(
          (
            await fetch(`${url}/staff/api/login`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: '{"username":"x","password":"y"}',
            })
          ).status,
        );
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      await small.close();
      rmSync(smallDir, { recursive: true, force: true });
    });

    it('the session cookie is HttpOnly and SameSite=Strict', async () => {
      const r = await fetch(`${base}/staff/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: 'correct horse battery' }),
      });
      expect(r.status).toBe(200);
      const cookie = r.headers.getSetCookie()[0]!;
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Strict/);
    });

    it('create-admin makes an admin from a piped password and refuses a weak one', async () => {
      const cli = (user: string, password: string) => {
        try {
          // On Postgres the CLI finds the store the way `npm run intake` does: INTAKE_DATABASE_URL.
          const env = databaseUrl ? { ...process.env, INTAKE_DATABASE_URL: databaseUrl } : process.env;
          return {
            code: 0,
            out: execFileSync('npx', ['tsx', 'intake/cli.ts', 'create-admin', '--data', dir, '--username', user], {
              input: `${password}\n`,
              encoding: 'utf8',
              stdio: ['pipe', 'pipe', 'pipe'],
              env,
            }),
          };
        } catch (e) {
          return { code: (e as { status: number }).status, out: String((e as { stderr: string }).stderr) };
        }
      };
      expect(cli('root2', 'short')).toMatchObject({ code: 1 });
      expect(cli('root2', 'a long enough secret')).toMatchObject({ code: 0, out: expect.stringContaining('admin root2 created') });
      // …into the store this server runs on.
      expect(
        (
          await fetch(`${base}/staff/api/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'root2', password: 'a long enough secret' }),
          })
        ).status,
      ).toBe(200);
    });
  });

  describe('the admin edits the calendar (2027 ships provisional)', () => {
    type Deadline = { reminderDate: string; dueDate: string; warnings: unknown[] };
    const deadlineOf = async (id: string) => (await supervisor.json<{ deadline: Deadline }>('GET', `/staff/api/cases/${id}`)).deadline;
    const dispatch = async (summary: string) => {
      const { id } = await seedCase(intake.db, { receivedAt: new Date(fromWall('2027-04-28', '09:00')).toISOString(), summary });
      expect(
        (await supervisor.fetch('POST', `/staff/api/cases/${id}/events`, { version: 0, event: { type: 'assign', unitId: units.wuye } }))
          .status,
      ).toBe(200);
      return id;
    };
    // A made-up 劳动节 arrangement: Mon 2027-05-03 off, Sat 2027-05-08 a 调休 working day.
    const edit = {
      overrides: [
        { date: '2027-05-03', kind: 'holiday', name: '劳动节' },
        { date: '2027-05-08', kind: 'workday', name: '劳动节调休' },
      ],
      confirmYears: [2027],
    };

    it('non-admins are refused', async () => {
      await advance(fromWall('2027-04-28', '15:00')); // a Wednesday
      expect((await supervisor.fetch('PUT', '/staff/api/admin/calendar', edit)).status).toBe(403);
      expect((await handler.fetch('PUT', '/staff/api/admin/calendar', edit)).status).toBe(403);
      expect((await supervisor.fetch('GET', '/staff/api/admin/calendar')).status).toBe(403);
    });

    it('a holiday and a 调休 working day move deadlines; a confirmed year carries no warning', async () => {
      const before = await dispatch('五一前派单');
      // Provisional 2027, only weekends around 5-1/5-2: Apr 29, 30, May 3, 4 (4th), 5, 6, 7 (7th).
      expect(await deadlineOf(before)).toMatchObject({ reminderDate: '2027-05-04', dueDate: '2027-05-07' });
      expect((await deadlineOf(before)).warnings.length).toBeGreaterThan(0);

      const admin = await staffLogin(base, 'admin');
      const put = await admin.json<{ ok: boolean; recomputed: number }>('PUT', '/staff/api/admin/calendar', edit);
      expect(put.ok).toBe(true);
      expect(put.recomputed).toBeGreaterThanOrEqual(1);
      const cal = await admin.json<{ overrides: { date: string; kind: string; updated_by: string }[] }>('GET', '/staff/api/admin/calendar');
      expect(cal.overrides).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ date: '2027-05-03', kind: 'holiday', updated_by: 'admin' }),
          expect.objectContaining({ date: '2027-05-08', kind: 'workday', updated_by: 'admin' }),
        ]),
      );

      // Now: Apr 29, 30, May 4, 5 (4th), 6, 7, Sat 8 (7th, 调休).
      const after = await dispatch('五一前派单（日历确认后）');
      expect(await deadlineOf(after)).toMatchObject({ reminderDate: '2027-05-05', dueDate: '2027-05-08', warnings: [] });
      // The case dispatched before the edit was recomputed the same way.
      expect(await deadlineOf(before)).toMatchObject({ reminderDate: '2027-05-05', dueDate: '2027-05-08', warnings: [] });
    });
  });
});
