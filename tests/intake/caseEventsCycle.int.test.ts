// Issue 19's promise, whole: a partner system receives a signed event for every step of a case.
// One case goes the full 接诉即办 way through the real HTTP APIs (a partner files it through Open311,
// staff dispatch it, the unit acknowledges and returns it, it is dispatched again, escalated,
// answered, called back; the resident rates it on the public status page; it is closed), and a
// receiver on 127.0.0.1, written from docs/OPEN311.md, checks each delivery's signature.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../intake/server.ts';
import { addStatusToken } from '../../intake/store/residentStatus.ts';
import { CASE_EVENT_TYPES, CaseEventBody } from '../../contract/caseEvents.ts';
import { statusToken, statusTokenHash } from '../../lib/statusToken.ts';
import { seedUnit, seedUser, staffLogin } from '../support/staff.ts';

let dir: string;
let intake: Intake;
let base: string;
const got: { type: string; seq: number; caseNumber: string; data: Record<string, unknown> }[] = [];
let secret = '';
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c: Buffer) => (raw += c.toString()));
  req.on('end', () => {
    const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['sayit-signature'] ?? ''));
    const expected = m ? createHmac('sha256', secret).update(`${m[1]}.${raw}`).digest('hex') : '';
    if (!m || !timingSafeEqual(Buffer.from(expected), Buffer.from(m[2]!))) {
      res.writeHead(400).end();
      return;
    }
    const body = CaseEventBody.parse(JSON.parse(raw));
    got.push({ type: body.type, seq: body.sequence, caseNumber: body.case.service_request_id, data: body.data });
    res.writeHead(204).end();
  });
});

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'case-events-'));
  intake = await createIntake({ dataDir: dir, webhooks: { pollMs: 50, retryBaseMs: 100 } });
  base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  await intake?.close();
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('a partner receives a signed event for every step of a case', () => {
  it('created, dispatched, acknowledged, returned, escalated, answered, called back, evaluated, closed', async () => {
    const unitId = await seedUnit(intake.db, '城管科');
    await seedUser(intake.db, 'root', 'admin');
    const boss = await seedUser(intake.db, 'boss', 'supervisor');
    await seedUser(intake.db, 'clerk', 'handler', [unitId]);
    const admin = await staffLogin(base, 'root');
    expect(
      (
        await admin.fetch('PUT', '/staff/api/admin/settings', {
          escalationOwners: [0, 1, 2, 3].map((level) => ({ level, userId: boss.id, territory: '' })),
        })
      ).status,
    ).toBe(200);
    const hook = await admin.json<{ secret: string }>('POST', '/staff/api/admin/webhooks', {
      name: '区 12345 平台',
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
      eventTypes: [],
    });
    secret = hook.secret;
    const key = await admin.json<{ secret: string }>('POST', '/staff/api/admin/api-keys', {
      name: '热线',
      scopes: ['cases:write'],
      ratePerMinute: 600,
    });

    const filed = await fetch(`${base}/open311/v2/requests.json`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ api_key: key.secret, service_code: 'noise', address_string: '东村 8 号楼', description: '夜间施工噪音' }),
    });
    expect(filed.status).toBe(201);
    const caseNumber = ((await filed.json()) as { service_request_id: string }[])[0]!.service_request_id;
    const sup = await staffLogin(base, 'boss');
    const clerk = await staffLogin(base, 'clerk');
    const { cases } = await sup.json<{ cases: { id: string; caseNumber: string }[] }>('GET', '/staff/api/cases?limit=10');
    const id = cases.find((c) => c.caseNumber === caseNumber)!.id;
    const version = async () => (await sup.json<{ case: { version: number } }>('GET', `/staff/api/cases/${id}`)).case.version;
    const ok = async (r: Promise<Response>) => {
      const res = await r;
      expect(res.status, await res.clone().text()).toBe(200);
    };

    await ok(sup.fetch('POST', `/staff/api/cases/${id}/events`, { version: await version(), event: { type: 'assign', unitId } }));
    await ok(clerk.fetch('POST', `/staff/api/cases/${id}/acknowledge`, { version: await version() }));
    await ok(clerk.fetch('POST', `/staff/api/cases/${id}/return`, { version: await version(), reason: '不属于本单位职责' }));
    await ok(sup.fetch('POST', `/staff/api/cases/${id}/events`, { version: await version(), event: { type: 'assign', unitId } }));
    await ok(sup.fetch('POST', `/staff/api/cases/${id}/escalation`, { version: await version(), reason: '多次反映未解决' }));
    await ok(
      sup.fetch('POST', `/staff/api/cases/${id}/events`, {
        version: await version(),
        event: { type: 'answer', result: '已责令施工方夜间停工' },
      }),
    );
    await ok(
      sup.fetch('POST', `/staff/api/cases/${id}/callback`, {
        version: await version(),
        contacted: true,
        solved: true,
        satisfaction: 'satisfied',
        note: '',
      }),
    );
    // The resident rates the answer on the status page their receipt's QR opens.
    const token = statusToken(randomBytes(32), id);
    await addStatusToken(intake.db, id, statusTokenHash(token));
    const rated = await fetch(`${base}/api/status/${token}/rating`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ rating: 'basically' }),
    });
    expect(rated.status).toBe(200);
    await ok(sup.fetch('POST', `/staff/api/cases/${id}/events`, { version: await version(), event: { type: 'close' } }));

    const end = Date.now() + 30_000;
    while (new Set(got.map((g) => g.type)).size < CASE_EVENT_TYPES.length && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    const mine = got.filter((g) => g.caseNumber === caseNumber);
    expect(mine.map((g) => g.type)).toEqual([
      'case.created',
      'case.dispatched',
      'case.acknowledged',
      'case.returned',
      'case.dispatched',
      'case.escalated',
      'case.answered',
      'case.called_back',
      'case.evaluated',
      'case.closed',
    ]);
    expect(new Set(mine.map((g) => g.type))).toEqual(new Set(CASE_EVENT_TYPES));
    expect(mine.map((g) => g.seq)).toEqual([...mine.map((g) => g.seq)].sort((a, b) => a - b));
    // The resident's evaluation travels as its satisfaction, never with words or identity.
    expect(mine.find((g) => g.type === 'case.evaluated')!.data).toEqual({ satisfaction: 'basically', source: 'resident' });
    expect(JSON.stringify(mine)).not.toContain('不属于本单位职责'); // a return's reason stays inside
  }, 60_000);
});
