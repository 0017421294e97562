// The 接诉即办 process at the store (issue 15), on SQLite and on a real Postgres 15: 诉求内容 before
// dispatch, 签收 within office hours and its overdue notice, 退单 back to dispatch, 延期 asked and
// decided (due date moved, history, audit, recompute keeps it), 渐次升级 up to the 包案 leader and
// back, proposals claimed once by two "processes" (two lease owners) at once, the inbox, and the
// notice webhook in DingTalk format with 加签 to a real HTTP receiver on 127.0.0.1.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../../intake/store/db.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import { userById, type StaffUser } from '../../../intake/staff/accounts.ts';
import type { Role } from '../../../intake/staff/roles.ts';
import { applyEvent, caseOrThrow, editCase, recomputeDeadlines } from '../../../intake/staff/cases.ts';
import {
  decideExtension,
  deescalateCase,
  escalateCase,
  proposeEscalations,
  requestExtension,
  clockNotices,
} from '../../../intake/staff/process.ts';
import { ownedCases } from '../../../intake/store/staffCases.ts';
import { sendPendingNotices } from '../../../intake/staff/noticeWebhook.ts';
import { processTick } from '../../../intake/staff/processTicker.ts';
import { fetchPost } from '../../../intake/staff/reminders.ts';
import { loadCalendar, readSettings, writeSettings } from '../../../intake/staff/settings.ts';
import { inbox, markRead, unreadCount } from '../../../intake/store/notices.ts';
import { WorkLeases } from '../../../intake/store/leases.ts';
import { caseClock } from '../../../intake/casework/process.ts';
import { fromWall } from '../../../intake/casework/time.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../../support/postgres.ts';
import { seedCase, seedUnit, seedUser } from '../../support/staff.ts';

const at = (d: string, t: string) => fromWall(d, t);

interface Received {
  url: string;
  body: Record<string, unknown>;
}

function receiver(): Promise<{ server: Server; url: string; got: Received[] }> {
  const got: Received[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => {
      got.push({ url: req.url ?? '', body: JSON.parse(data) as Record<string, unknown> });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ errcode: 0, errmsg: 'ok' }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/robot/send?access_token=t0`, got }),
    ),
  );
}

async function scenario(db: Kysely<IntakeDatabase>, hook: { url: string; got: Received[] }) {
  const wuye = await seedUnit(db, '物业公司');
  const chengguan = await seedUnit(db, '城管队');
  const u = async (name: string, role: Role, units: string[] = []): Promise<StaffUser> =>
    (await userById(db, (await seedUser(db, name, role, units)).id))!;
  const boss = await u('boss', 'supervisor');
  const clerk = await u('clerk', 'handler', [wuye]);
  const other = await u('other', 'handler', [chengguan]);
  const village = await u('village', 'handler');
  const town = await u('town', 'supervisor');
  const district = await u('district', 'supervisor');
  const leader = await u('leader', 'viewer');
  await writeSettings(db, {
    ackWorkHours: 2,
    workdayStart: '08:30',
    workdayEnd: '17:30',
    webhookUrl: hook.url,
    webhookFormat: 'dingtalk',
    dingtalkSecret: 'SECtest',
    escalationOwners: [
      { level: 0, userId: village.id, territory: '一村' },
      { level: 1, userId: town.id, territory: '' },
      { level: 2, userId: district.id, territory: '' },
      { level: 3, userId: leader.id, territory: '' },
    ],
  });
  const cal = await loadCalendar(db);
  let s = await readSettings(db);
  const version = async (id: string) => (await caseOrThrow(db, id)).version;
  const ev = async (user: StaffUser, id: string, e: Parameters<typeof applyEvent>[4], now: number) =>
    applyEvent(db, user, id, await version(id), e, cal, s, now);
  const history = async (id: string) =>
    (await db.selectFrom('case_history').select(['action', 'detail']).where('case_id', '=', id).orderBy('id').execute()).map(
      (h): Record<string, unknown> => ({ action: h.action, ...(JSON.parse(h.detail) as Record<string, unknown>) }),
    );
  const events = async (id: string) =>
    (await db.selectFrom('case_events').select('type').where('case_id', '=', id).orderBy('seq').execute()).map((e) => e.type);

  // 诉求内容 first: a case with no summary is not dispatched.
  const a = await seedCase(db, { receivedAt: new Date(at('2026-11-05', '10:00')).toISOString(), summary: '', territory: '一村' });
  await expect(ev(boss, a.id, { type: 'assign', unitId: wuye }, at('2026-11-06', '16:30'))).rejects.toThrow('summary_required');
  await editCase(db, boss, a.id, await version(a.id), { summary: '8号楼电梯停运三天' }, at('2026-11-06', '16:00'));
  // Dispatched Friday 16:30: one office hour left that day, the second on Monday → 签收 due Monday 09:30.
  await ev(boss, a.id, { type: 'assign', unitId: wuye }, at('2026-11-06', '16:30'));
  let row = await caseOrThrow(db, a.id);
  expect(row.ack_due_at).toBe(new Date(at('2026-11-09', '09:30')).toISOString());
  expect(caseClock(row, at('2026-11-09', '09:00'), cal, s.dispatchWorkdays)).toMatchObject({ stage: 'acknowledge', state: 'running' });
  expect(caseClock(row, at('2026-11-09', '09:30'), cal, s.dispatchWorkdays)).toMatchObject({ stage: 'acknowledge', state: 'overdue' });

  // 签收 overdue: one notice to dispatchers and the unit, however often the ticker looks.
  expect(await clockNotices(db, at('2026-11-09', '10:00'), s)).toBe(1);
  expect(await clockNotices(db, at('2026-11-09', '10:01'), s)).toBe(0);
  expect((await inbox(db, boss)).map((n) => n.kind)).toContain('ack_overdue');
  expect((await inbox(db, clerk)).map((n) => n.kind)).toContain('ack_overdue');
  expect((await inbox(db, other)).map((n) => n.kind)).not.toContain('ack_overdue');

  // Only the assigned unit acknowledges.
  await expect(ev(other, a.id, { type: 'acknowledge' }, at('2026-11-09', '10:05'))).rejects.toThrow('other_unit');
  expect(await ev(clerk, a.id, { type: 'acknowledge' }, at('2026-11-09', '10:05'))).toBe('in_progress');
  row = await caseOrThrow(db, a.id);
  expect(row.acknowledged_at).toBe(new Date(at('2026-11-09', '10:05')).toISOString());
  expect((await history(a.id)).at(-1)).toMatchObject({ action: 'acknowledge', unit: '物业公司', late: true });

  // 退单: a wrongly assigned case goes back to dispatch, with its reason, and the dispatchers hear of it.
  const b = await seedCase(db, { receivedAt: new Date(at('2026-11-06', '09:00')).toISOString(), summary: '路灯不亮', territory: '二村' });
  await ev(boss, b.id, { type: 'assign', unitId: wuye }, at('2026-11-06', '10:00'));
  await expect(ev(clerk, b.id, { type: 'return', reason: ' ' }, at('2026-11-06', '11:00'))).rejects.toThrow();
  expect(await ev(clerk, b.id, { type: 'return', reason: '路灯归城管队管理' }, at('2026-11-06', '11:00'))).toBe('new');
  row = await caseOrThrow(db, b.id);
  expect([row.unit_id, row.ack_due_at, row.returned_at]).toEqual([null, null, new Date(at('2026-11-06', '11:00')).toISOString()]);
  expect((await history(b.id)).at(-1)).toMatchObject({
    action: 'return',
    from: 'assigned',
    to: 'new',
    unit: '物业公司',
    reason: '路灯归城管队管理',
  });
  // Back on the dispatch clock, from the return; the answer clock keeps its first dispatch (首接负责制).
  expect(caseClock(row, at('2026-11-06', '12:00'), cal, s.dispatchWorkdays)).toMatchObject({
    stage: 'dispatch',
    state: 'running',
    dueAt: new Date(at('2026-11-10', '00:00')).toISOString(),
  });
  expect((await inbox(db, boss)).find((n) => n.kind === 'returned')).toMatchObject({
    caseNumber: b.caseNumber,
    detail: { unit: '物业公司' },
  });
  expect((await inbox(db, clerk)).some((n) => n.kind === 'returned')).toBe(false);
  await ev(boss, b.id, { type: 'assign', unitId: chengguan }, at('2026-11-06', '14:00'));
  expect(await events(b.id)).toEqual(['case.dispatched', 'case.returned', 'case.dispatched']);

  // 延期: asked by the unit, decided by a supervisor; the due date moves and stays through a calendar recompute.
  const due = (await caseOrThrow(db, a.id)).due_at!;
  expect(due).toBe(new Date(at('2026-11-18', '00:00')).toISOString()); // 7 working days after 2026-11-06
  const req = (date: string) =>
    requestExtension(
      db,
      clerk,
      a.id,
      { version: 0, reason: '需协调电梯维保单位更换主板', newDueDate: date },
      s,
      '127.0.0.1',
      at('2026-11-10', '09:00'),
    );
  await expect(
    requestExtension(
      db,
      clerk,
      a.id,
      { version: await version(a.id), reason: '需协调电梯维保单位', newDueDate: '2026-11-17' },
      s,
      null,
      at('2026-11-10', '09:00'),
    ),
  ).rejects.toThrow('extension_not_later');
  const extId = await requestExtension(
    db,
    clerk,
    a.id,
    { version: await version(a.id), reason: '需协调电梯维保单位更换主板', newDueDate: '2026-11-25' },
    s,
    '127.0.0.1',
    at('2026-11-10', '09:00'),
  );
  await expect(req('2026-11-26')).rejects.toThrow('case_changed'); // a stale version
  await expect(
    requestExtension(
      db,
      clerk,
      a.id,
      { version: await version(a.id), reason: '再延一次可以吗', newDueDate: '2026-11-26' },
      s,
      null,
      at('2026-11-10', '09:01'),
    ),
  ).rejects.toThrow('extension_pending');
  await expect(decideExtension(db, clerk, extId, { approve: true, note: '' }, s, null, at('2026-11-10', '10:00'))).rejects.toThrow(
    'extension_decider',
  );
  await decideExtension(db, boss, extId, { approve: true, note: '同意' }, s, '127.0.0.1', at('2026-11-10', '10:00'));
  await expect(decideExtension(db, boss, extId, { approve: false, note: '' }, s, null, at('2026-11-10', '10:01'))).rejects.toThrow(
    'extension_decided',
  );
  expect((await caseOrThrow(db, a.id)).due_at).toBe(new Date(at('2026-11-26', '00:00')).toISOString());
  await recomputeDeadlines(db, cal, s);
  expect((await caseOrThrow(db, a.id)).due_at).toBe(new Date(at('2026-11-26', '00:00')).toISOString());
  expect((await history(a.id)).slice(-2)).toMatchObject([
    { action: 'extension_requested', dueDate: '2026-11-25', previousDueDate: '2026-11-17' },
    { action: 'extension_decided', decision: 'approved', dueDate: '2026-11-25', previousDueDate: '2026-11-17' },
  ]);
  const audit = await db
    .selectFrom('audit_log')
    .select(['action', 'detail', 'case_number'])
    .where('case_id', '=', a.id)
    .orderBy('id')
    .execute();
  expect(audit.map((x) => [x.action, JSON.parse(x.detail!)])).toEqual([
    ['extension_requested', { before: { dueDate: '2026-11-17' }, after: { dueDate: '2026-11-25' } }],
    ['extension_decided', { before: { dueDate: '2026-11-17' }, after: { dueDate: '2026-11-25', result: 'approved' } }],
  ]);
  expect((await inbox(db, clerk)).find((n) => n.kind === 'extension_decided')).toMatchObject({
    detail: { decision: 'approved', dueDate: '2026-11-25' },
  });

  // 渐次升级 by hand: to the village's owner, then straight to the 包案 leader; the leader hands it back down.
  await expect(
    escalateCase(db, clerk, a.id, { version: await version(a.id), reason: '电梯停运影响老人出行' }, s, at('2026-11-10', '11:00')),
  ).rejects.toThrow('escalation_not_yours');
  expect(
    await escalateCase(db, boss, a.id, { version: await version(a.id), reason: '电梯停运影响老人出行' }, s, at('2026-11-10', '11:00')),
  ).toEqual({ level: 0, ownerId: village.id });
  const villageUser = village;
  expect(
    await escalateCase(
      db,
      villageUser,
      a.id,
      { version: await version(a.id), level: 3, reason: '需区里协调资金' },
      s,
      at('2026-11-10', '15:00'),
    ),
  ).toEqual({ level: 3, ownerId: leader.id });
  expect((await ownedCases(db, leader.id)).map((c) => c.case_number)).toEqual([a.caseNumber]);
  expect(await ownedCases(db, village.id)).toEqual([]);
  expect((await inbox(db, leader)).map((n) => [n.kind, n.detail.level])).toEqual([['escalated', 3]]);
  await expect(
    escalateCase(db, leader, a.id, { version: await version(a.id), reason: '再往上没有了' }, s, at('2026-11-11', '09:00')),
  ).rejects.toThrow('escalation_top');
  expect(
    await deescalateCase(
      db,
      leader,
      a.id,
      { version: await version(a.id), reason: '资金已落实，请区级部门督办' },
      s,
      at('2026-11-11', '09:00'),
    ),
  ).toEqual({ level: 2 });
  expect((await ownedCases(db, district.id)).map((c) => c.case_number)).toEqual([a.caseNumber]);
  expect(
    (await history(a.id)).filter((h) => h.action === 'escalate' || h.action === 'deescalate').map((h) => [h.action, h.level, h.owner]),
  ).toEqual([
    ['escalate', 'village', 'village'],
    ['escalate', 'leader', 'leader'],
    ['deescalate', 'district', 'district'],
  ]);
  expect(await events(a.id)).toEqual(['case.dispatched', 'case.acknowledged', 'case.escalated', 'case.escalated']);
  const lastEscalated = await db
    .selectFrom('case_events')
    .select('body')
    .where('case_id', '=', a.id)
    .where('type', '=', 'case.escalated')
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow();
  expect((JSON.parse(lastEscalated.body) as { data: Record<string, unknown> }).data).toEqual({ level: 'leader' });

  // Proposals: an overdue case, seen by two processes ticking at once, is proposed once.
  const c = await seedCase(db, {
    receivedAt: new Date(at('2026-11-02', '09:00')).toISOString(),
    summary: '垃圾清运不及时',
    territory: '一村',
  });
  await ev(boss, c.id, { type: 'assign', unitId: wuye }, at('2026-11-02', '10:00'));
  const late = at('2026-11-13', '09:00');
  const made = await Promise.all([
    proposeEscalations(db, late, new WorkLeases(db, 'p1')),
    proposeEscalations(db, late, new WorkLeases(db, 'p2')),
  ]);
  expect(made[0]! + made[1]!).toBe(1);
  expect(await proposeEscalations(db, late + 60_000, new WorkLeases(db, 'p1'))).toBe(0);
  const proposals = await db.selectFrom('escalation_proposals').select(['case_id', 'reason', 'proposed_level']).execute();
  expect(proposals).toEqual([{ case_id: c.id, reason: 'overdue', proposed_level: 0 }]);
  // A reopened case, and a case its resident raised again, are proposed too.
  const d = await seedCase(db, { receivedAt: new Date(at('2026-11-02', '09:00')).toISOString(), summary: '楼道堆物', territory: '一村' });
  await ev(boss, d.id, { type: 'assign', unitId: wuye }, at('2026-11-02', '10:00'));
  await ev(clerk, d.id, { type: 'answer', result: '已清理' }, at('2026-11-03', '10:00'));
  await ev(clerk, d.id, { type: 'reopen', reason: '居民反映又堆上了' }, at('2026-11-05', '10:00'));
  const e = await seedCase(db, { receivedAt: new Date(at('2026-11-06', '09:00')).toISOString(), summary: '楼道又堆物了' });
  await ev(boss, e.id, { type: 'mark_duplicate', duplicateOf: d.caseNumber }, at('2026-11-06', '10:00'));
  // …and one linked as a repeat (case_repeats, the case view's one-click link).
  const f = await seedCase(db, { receivedAt: new Date(at('2026-11-06', '11:00')).toISOString(), summary: '楼道堆物第三次' });
  await db
    .insertInto('case_repeats')
    .values({ repeat_id: f.id, original_id: d.id, linked_by: boss.id, linked_at: new Date(at('2026-11-06', '11:05')).toISOString() })
    .execute();
  await proposeEscalations(db, at('2026-11-06', '11:06'));
  expect(
    await db.selectFrom('escalation_proposals').select(['reason', 'trigger_key']).where('case_id', '=', d.id).orderBy('id').execute(),
  ).toEqual([
    { reason: 'reopened', trigger_key: new Date(at('2026-11-05', '10:00')).toISOString() },
    { reason: 'repeat', trigger_key: e.caseNumber },
    { reason: 'repeat', trigger_key: f.caseNumber },
  ]);
  expect((await inbox(db, boss)).filter((n) => n.kind === 'escalation_proposed').length).toBe(4);
  expect((await inbox(db, clerk)).filter((n) => n.kind === 'escalation_proposed').length).toBe(0);

  // The inbox: read per user.
  const unread = await unreadCount(db, boss);
  expect(unread).toBeGreaterThan(3);
  const first = (await inbox(db, boss))[0]!;
  expect(await markRead(db, boss, [first.id], at('2026-11-13', '10:00'))).toBe(1);
  expect(await unreadCount(db, boss)).toBe(unread - 1);
  expect(await markRead(db, other, [first.id], at('2026-11-13', '10:00'))).toBe(0); // not theirs: nothing marked
  expect(await markRead(db, boss, 'all', at('2026-11-13', '10:00'))).toBe(unread - 1);
  expect(await unreadCount(db, boss)).toBe(0);

  // The notice webhook: each pending notice once, in DingTalk's markdown, the URL signed with 加签.
  s = await readSettings(db);
  const now = at('2026-11-13', '11:00');
  const pendingCount = Number(
    (
      await db
        .selectFrom('notices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('webhook_state', '=', 'pending')
        .executeTakeFirstOrThrow()
    ).n,
  );
  // Notices older than a day are not sent any more: here, all but those made within the day.
  const fresh = Number(
    (
      await db
        .selectFrom('notices')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('webhook_state', '=', 'pending')
        .where('at', '>', new Date(now - 86_400_000).toISOString())
        .executeTakeFirstOrThrow()
    ).n,
  );
  expect(pendingCount).toBeGreaterThan(fresh);
  const sent = await Promise.all([
    sendPendingNotices(db, now, fetchPost, new WorkLeases(db, 'p1')),
    sendPendingNotices(db, now, fetchPost, new WorkLeases(db, 'p2')),
  ]);
  expect(sent[0]! + sent[1]!).toBe(fresh);
  expect(hook.got).toHaveLength(fresh);
  for (const g of hook.got) {
    const u = new URL(g.url, 'http://x');
    const ts = u.searchParams.get('timestamp')!;
    expect(u.searchParams.get('access_token')).toBe('t0');
    expect(u.searchParams.get('sign')).toBe(createHmac('sha256', 'SECtest').update(`${ts}\nSECtest`).digest('base64'));
    expect(g.body).toMatchObject({
      msgtype: 'markdown',
      markdown: { title: expect.stringContaining('工单') as string, text: expect.stringMatching(/^#### /) as string },
    });
    expect(JSON.stringify(g.body)).not.toMatch(/电梯|垃圾|楼道/); // never the resident's words
  }
  expect(await sendPendingNotices(db, now + 60_000, fetchPost)).toBe(0);

  // The ticker's one pass does all three: nothing new to propose; cases B (re-dispatched) and C were
  // never acknowledged, so their 签收-overdue notices are made now and sent at once (and the
  // reminders' in-app notices, which the reminder's own POST covers).
  const before = hook.got.length;
  expect(await processTick(db, now + 120_000, fetchPost)).toMatchObject({ proposals: 0, sent: 2 });
  const bodies = hook.got.slice(before).map((g) => JSON.stringify(g.body));
  expect(bodies).toHaveLength(2);
  expect(bodies.join('\n')).toContain(`工单 ${b.caseNumber} 签收超时`);
  expect(bodies.join('\n')).toContain(`工单 ${c.caseNumber} 签收超时`);
}

describe('the 接诉即办 process on SQLite', () => {
  let dir: string;
  let db: Kysely<IntakeDatabase>;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'process-'));
    db = await openSqliteStore(path.join(dir, 'intake.db'));
    hook = await receiver();
  });
  afterAll(async () => {
    await db?.destroy();
    hook?.server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  it('签收, 退单, 延期, 渐次升级, proposals, inbox and the notice webhook', () => scenario(db, hook));
});

if (!postgresAvailable())
  console.warn('process: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15)');

describe.runIf(postgresAvailable())('the 接诉即办 process on Postgres 15', () => {
  let pg: Postgres;
  let db: Kysely<IntakeDatabase>;
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    pg = await startPostgres();
    db = await openPostgresStore(pg.url);
    hook = await receiver();
  });
  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
    hook?.server.close();
  });
  it('签收, 退单, 延期, 渐次升级, proposals, inbox and the notice webhook', () => scenario(db, hook));
});
