// The booth-settings change is audited with before and after (issue 15): an admin changes the
// settings every booth receives over the staff API; the audit log (as the admin reads it, and its
// CSV) names who, what, and the old and new value of each changed field, and only those; saving
// the same settings again writes no row; a supervisor may not change them and leaves no row.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';

let dir: string;
let intake: Intake;
let admin: StaffClient;
let boss: StaffClient;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'booth-settings-audit-'));
  intake = await createIntake({ dataDir: dir });
  const base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  await seedUser(intake.db, 'admin1', 'admin');
  await seedUser(intake.db, 'boss', 'supervisor');
  admin = await staffLogin(base, 'admin1');
  boss = await staffLogin(base, 'boss');
});

afterAll(async () => {
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

type Row = { action: string; username: string; reason: string; detail: string | null };
const auditOf = async () =>
  (await admin.json<{ entries: Row[] }>('GET', '/staff/api/audit')).entries.filter((e) => e.action === 'booth_settings_changed');

describe('booth settings changes in the audit log', () => {
  it('records who changed which field, from what to what', async () => {
    const current = await admin.json<Record<string, unknown>>('GET', '/staff/api/fleet/settings');
    expect(current.idleTimeoutSec).toBe(90);
    const { revision: _r, categories: _c, statusBaseUrl: _s, ...edit } = current;
    const changed = { ...edit, idleTimeoutSec: 120, quietHours: { start: '02:00', end: '03:30' }, receiptText: '请保留回执' };
    const saved = await admin.json<{ revision: number; idleTimeoutSec: number }>('PUT', '/staff/api/fleet/settings', changed);
    expect(saved).toMatchObject({ revision: (current.revision as number) + 1, idleTimeoutSec: 120 });

    const rows = await auditOf();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.username).toBe('admin1');
    expect(rows[0]!.reason.split(',').sort()).toEqual(['idleTimeoutSec', 'quietHours', 'receiptText']);
    expect(JSON.parse(rows[0]!.detail!)).toEqual({
      before: { idleTimeoutSec: 90, quietHours: { start: '03:00', end: '04:00' }, receiptText: '' },
      after: { idleTimeoutSec: 120, quietHours: { start: '02:00', end: '03:30' }, receiptText: '请保留回执' },
    });
    // The CSV the admin exports carries the row too.
    const csv = await (await admin.fetch('GET', '/staff/api/audit.csv')).text();
    expect(csv.split('\n').filter((l) => l.includes('booth_settings_changed') || l.includes('修改服务亭设置'))).toHaveLength(1);

    // The same settings again: nothing changed, nothing audited (the revision still grows).
    await admin.json('PUT', '/staff/api/fleet/settings', changed);
    expect(await auditOf()).toHaveLength(1);

    // A supervisor may not change them; no row.
    const refused = await boss.fetch('PUT', '/staff/api/fleet/settings', { ...changed, idleTimeoutSec: 60 });
    expect(refused.status).toBe(403);
    expect(await auditOf()).toHaveLength(1);
    expect((await admin.json<{ idleTimeoutSec: number }>('GET', '/staff/api/fleet/settings')).idleTimeoutSec).toBe(120);
  });
});
