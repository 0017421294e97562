// The 4th-working-day reminder goes once to the configured webhook (a real HTTP server on
// 127.0.0.1), carries no personal data, is retried after a failure, and lands in the history.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { sendDueReminders } from '../../../intake/staff/reminders.ts';
import { writeSettings } from '../../../intake/staff/settings.ts';
import { fromWall } from '../../../intake/casework/time.ts';
import { seedCase, seedUnit, seedUser, staffLogin } from '../../support/staff.ts';

let dir: string;
let intake: Intake;
let hook: Server;
let clock = fromWall('2026-09-29', '15:30');
const received: unknown[] = [];
let failNext = false;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-remind-'));
  intake = await createIntake({ dataDir: dir, now: () => clock });
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNext) {
        failNext = false;
        res.writeHead(503).end();
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  await writeSettings(intake.db, { webhookUrl: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/remind` });
});

afterAll(async () => {
  await intake?.close();
  await new Promise((r) => hook.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('deadline reminders', () => {
  it('fires on the 4th working day, once, after a failed attempt', async () => {
    const unit = await seedUnit(intake.db, '物业公司');
    await seedUser(intake.db, 'boss', 'supervisor');
    const base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const boss = await staffLogin(base, 'boss');
    const c = await seedCase(intake.db, { receivedAt: new Date(clock - 3_600_000).toISOString(), summary: '王先生反映 13812345678 噪音' });
    expect(
      (await boss.fetch('POST', `/staff/api/cases/${c.id}/events`, { version: 0, event: { type: 'assign', unitId: unit } })).status,
    ).toBe(200);

    clock = fromWall('2026-10-10', '08:59');
    expect(await sendDueReminders(intake.db, clock)).toBe(0);
    clock = fromWall('2026-10-10', '09:01');
    failNext = true;
    expect(await sendDueReminders(intake.db, clock)).toBe(0); // 503: kept for the next tick
    expect(await sendDueReminders(intake.db, clock)).toBe(1);
    expect(await sendDueReminders(intake.db, clock)).toBe(0); // never twice
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      type: 'case.reminder',
      caseNumber: c.caseNumber,
      unit: '物业公司',
      dueAt: new Date(fromWall('2026-10-15', '00:00')).toISOString(),
    });
    expect(JSON.stringify(received[0])).not.toContain('13812345678');
    const hist = await intake.db.selectFrom('case_history').select('action').where('case_id', '=', c.id).execute();
    expect(hist.map((h) => h.action)).toEqual(['assign', 'reminder']);
  });
});
