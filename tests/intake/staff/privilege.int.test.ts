// Least privilege that still lets staff call back (issue 15), on both stores: a handler of the case's
// unit sees the callback phone after typing why (audited, in the case history), never the ID data
// and never another unit's phone; every account, role, unit, setting and calendar change is in the
// audit log with before and after; a role change must be confirmed and ends the user's sessions.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { loadOrCreateKey } from '../../../lib/sealed.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';

const matrix = storeMatrix('staff/privilege');
afterAll(() => matrix.stop());

// Made-up identity; the ID number passes its check digit.
const IDENTITY = { name: '赵小红', idNumber: '110101199003077571', address: '北京市丰台区某村1号楼', phone: '13900001234' };

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  let dir: string;
  let intake: Intake;
  let base: string;
  let admin: StaffClient;
  let handler: StaffClient;
  let other: StaffClient;
  const ids: Record<string, string> = {};
  type Audit = { action: string; username: string; case_number: string | null; reason: string; detail: string | null };
  const audit = async () => (await admin.json<{ entries: Audit[] }>('GET', '/staff/api/audit')).entries;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'staff-priv-'));
    intake = await createIntake({ dataDir: dir, loginsPerMinute: 1000, ...(await matrix.options(store, 'privilege')) });
    base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
    const wuye = await seedUnit(intake.db, '物业公司');
    const cg = await seedUnit(intake.db, '城管队');
    ids.wuye = wuye;
    ids.handler = (await seedUser(intake.db, 'wang', 'handler', [wuye])).id;
    await seedUser(intake.db, 'li', 'handler', [cg]);
    await seedUser(intake.db, 'admin', 'admin');
    const at = '2026-11-02T03:00:00.000Z';
    ids.case = (
      await seedCase(intake.db, { receivedAt: at, unitId: wuye, status: 'assigned', dispatchedAt: at, identity: IDENTITY }, key)
    ).id;
    ids.noPhone = (await seedCase(intake.db, { receivedAt: at, unitId: wuye, status: 'assigned', dispatchedAt: at })).id;
    admin = await staffLogin(base, 'admin');
    handler = await staffLogin(base, 'wang');
    other = await staffLogin(base, 'li');
  });

  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("the handler of the case's unit sees the callback phone with a reason; not the ID data, not another unit's", async () => {
    const url = `/staff/api/cases/${ids.case}/reveal-contact`;
    expect((await handler.fetch('POST', url, { reason: '' })).status).toBe(400);
    expect((await other.fetch('POST', url, { reason: '回访诉求人' })).status).toBe(403);
    expect((await handler.fetch('POST', `/staff/api/cases/${ids.case}/reveal`, { reason: '回访诉求人' })).status).toBe(403);
    const r = await handler.json<{ phone: string }>('POST', url, { reason: '回访诉求人' });
    expect(r).toEqual({ phone: IDENTITY.phone });
    expect((await handler.fetch('POST', `/staff/api/cases/${ids.noPhone}/reveal-contact`, { reason: '回访诉求人' })).status).toBe(404);
    const view = await handler.json<{
      case: { identity: Record<string, string> };
      history: { action: string; detail: { reason?: string } }[];
    }>('GET', `/staff/api/cases/${ids.case}`);
    expect(view.case.identity.phone).not.toBe(IDENTITY.phone); // still masked in the case view
    expect(view.history.at(-1)).toMatchObject({ action: 'reveal_contact', detail: { reason: '回访诉求人' } });
    const a = (await audit()).find((e) => e.action === 'reveal_contact');
    expect(a).toMatchObject({ username: 'wang', reason: '回访诉求人' });
    expect(JSON.stringify(await audit())).not.toContain(IDENTITY.phone);
  });

  it("a role change must be confirmed, is audited with before and after, and ends the user's sessions", async () => {
    const url = `/staff/api/admin/users/${ids.handler}`;
    const unconfirmed = await admin.fetch('PATCH', url, { role: 'supervisor' });
    expect(unconfirmed.status).toBe(409);
    expect(((await unconfirmed.json()) as { error: { message: string } }).error.message).toBe('confirm_role_change');
    expect((await handler.fetch('GET', '/staff/api/me')).status).toBe(200); // nothing changed yet
    expect((await admin.fetch('PATCH', url, { role: 'supervisor', confirmRoleChange: true })).status).toBe(200);
    expect((await handler.fetch('GET', '/staff/api/me')).status).toBe(401);
    const again = await staffLogin(base, 'wang');
    expect((await again.json<{ user: { role: string } }>('GET', '/staff/api/me')).user.role).toBe('supervisor');
    const e = (await audit()).find((x) => x.action === 'role_changed')!;
    expect(JSON.parse(e.detail!)).toEqual({ before: { role: 'handler' }, after: { role: 'supervisor' } });
    // The admin's own session goes on.
    expect((await admin.fetch('GET', '/staff/api/me')).status).toBe(200);
  });

  it('accounts, units, settings and the calendar are audited with before and after', async () => {
    expect((await admin.fetch('PATCH', `/staff/api/admin/users/${ids.handler}`, { active: false, unitIds: [] })).status).toBe(200);
    expect((await admin.fetch('POST', '/staff/api/admin/units', { name: '水务站' })).status).toBe(200);
    expect((await admin.fetch('PUT', '/staff/api/admin/settings', { meetingTime: '16:30' })).status).toBe(200);
    expect(
      (await admin.fetch('PUT', '/staff/api/admin/calendar', { overrides: [{ date: '2027-05-03', kind: 'holiday', name: '劳动节' }] }))
        .status,
    ).toBe(200);
    const entries = await audit();
    const detail = (action: string) => JSON.parse(entries.find((x) => x.action === action)!.detail!) as unknown;
    expect(detail('user_changed')).toEqual({ before: { active: true, unitIds: [ids.wuye] }, after: { active: false, unitIds: [] } });
    expect(detail('unit_created')).toMatchObject({ before: null, after: { name: '水务站' } });
    expect(detail('settings_changed')).toEqual({ before: { meetingTime: '17:00' }, after: { meetingTime: '16:30' } });
    expect(detail('calendar_changed')).toEqual({
      before: { overrides: [{ date: '2027-05-03', kind: 'normal', name: '' }], confirmedYears: [] },
      after: { overrides: [{ date: '2027-05-03', kind: 'holiday', name: '劳动节' }], confirmedYears: [] },
    });
  });
});
