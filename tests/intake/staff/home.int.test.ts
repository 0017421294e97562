// The home page's lists (issue 15): every row carries the case clock, the same one the case list
// and the case view show (intake/staff/clock.ts), so a case waiting for dispatch has its dispatch
// deadline on the home page too (it was blank), a dispatched one its 签收 deadline, a leader's 包案
// its answer deadline. The intake runs on a fixed clock: nothing here depends on the wall clock.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';

const NOW = Date.parse('2026-11-04T02:00:00.000Z'); // a Wednesday, 10:00 in Beijing
let dir: string;
let intake: Intake;
let base: string;
const ids: Record<string, string> = {};
const c = {} as Record<'boss' | 'clerk' | 'leader', StaffClient>;

type Clock = { stage: string; state: string; dueAt: string | null };
type HomeRow = { id: string; clock: Clock; receivedAt: string };

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-home-'));
  intake = await createIntake({ dataDir: dir, now: () => NOW });
  base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const db = intake.db;
  const wuye = await seedUnit(db, '物业公司');
  await seedUser(db, 'boss', 'supervisor');
  await seedUser(db, 'clerk', 'handler', [wuye]);
  const leader = await seedUser(db, 'leader', 'handler');
  const at = (h: number) => new Date(NOW - h * 3_600_000).toISOString();
  ids.waiting = (await seedCase(db, { receivedAt: at(1), summary: '路灯不亮', location: '北门' })).id;
  ids.dispatched = (await seedCase(db, { receivedAt: at(2), summary: '电梯停运', location: '8号楼' })).id;
  ids.owned = (await seedCase(db, { receivedAt: at(30), summary: '积水', location: '南门' })).id;
  // Waiting for dispatch since last week: past its dispatch deadline.
  ids.late = (await seedCase(db, { receivedAt: at(24 * 8), summary: '垃圾没人收', location: '西门' })).id;
  for (const n of ['boss', 'clerk', 'leader'] as const) c[n] = await staffLogin(base, n);
  // Dispatch through the API, so the 签收 and answer clocks are set as in real work.
  for (const id of [ids.dispatched!, ids.owned!]) {
    const v = (await c.boss.json<{ case: { version: number } }>('GET', `/staff/api/cases/${id}`)).case.version;
    await c.boss.json('POST', `/staff/api/cases/${id}/events`, { version: v, event: { type: 'assign', unitId: wuye } });
  }
  await db
    .updateTable('cases')
    .set({ status: 'escalated', escalation_level: 3, escalation_owner_id: leader.id, escalated_at: at(0.5) })
    .where('id', '=', ids.owned!)
    .execute();
});

afterAll(async () => {
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const caseClock = async (id: string) => (await c.boss.json<{ clock: Clock }>('GET', `/staff/api/cases/${id}`)).clock;
const listClock = async (id: string) =>
  (await c.boss.json<{ cases: { id: string; clock: Clock }[] }>('GET', '/staff/api/cases')).cases.find((r) => r.id === id)!.clock;

describe('the home page shows every case on its one clock', () => {
  it('a case waiting for dispatch has its dispatch deadline, the same as on the list and the case', async () => {
    const home = await c.boss.json<{ waiting: HomeRow[] }>('GET', '/staff/api/home');
    const row = home.waiting.find((r) => r.id === ids.waiting)!;
    expect(row.clock.stage).toBe('dispatch');
    expect(row.clock.dueAt).not.toBeNull();
    // Received Wednesday 09:00, dispatch within 1 working day: due at Thursday 24:00 Beijing.
    expect(row.clock.dueAt).toBe('2026-11-05T16:00:00.000Z');
    expect(row.clock).toEqual(await caseClock(ids.waiting!));
    expect(row.clock).toEqual(await listClock(ids.waiting!));
  });

  it("a handler's unit list shows the 签收 clock; a leader's 包案 list the answer clock; both as on the case", async () => {
    const mine = await c.clerk.json<{ myUnits: HomeRow[] }>('GET', '/staff/api/home');
    const row = mine.myUnits.find((r) => r.id === ids.dispatched)!;
    expect(row.clock.stage).toBe('acknowledge');
    expect(row.clock).toEqual(await caseClock(ids.dispatched!));
    const leader = await c.leader.json<{ owned: (HomeRow & { level: number })[] }>('GET', '/staff/api/home');
    const owned = leader.owned.find((r) => r.id === ids.owned)!;
    expect(owned.level).toBe(3);
    expect(owned.clock.dueAt).not.toBeNull();
    expect(owned.clock).toEqual(await caseClock(ids.owned!));
    expect(owned.receivedAt).toBe(new Date(NOW - 30 * 3_600_000).toISOString());
  });

  it('the tiles count what the rows show: a case waiting past its dispatch deadline is overdue there too', async () => {
    const home = await c.boss.json<{ counts: { overdue: number; dueSoon: number; waitingDispatch: number } }>('GET', '/staff/api/home');
    const list = await c.boss.json<{ cases: { id: string; status: string; clock: Clock }[] }>('GET', '/staff/api/cases');
    const open = list.cases.filter((r) => ['new', 'assigned', 'in_progress', 'escalated'].includes(r.status));
    expect((await caseClock(ids.late!)).state).toBe('overdue');
    expect(home.counts.overdue).toBe(open.filter((r) => r.clock.state === 'overdue').length);
    expect(home.counts.dueSoon).toBe(open.filter((r) => r.clock.state === 'due_soon').length);
    expect(home.counts.overdue).toBeGreaterThanOrEqual(1);
    expect(home.counts.waitingDispatch).toBe(2);
  });
});
