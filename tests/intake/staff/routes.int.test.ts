// Every staff route × every role (and no login): allowed routes never answer 401/403, refused ones
// always do. The route list comes from the app itself, so a new route cannot skip this table.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { staffRoutes, type RouteDef } from '../../../intake/staff/http.ts';
import { ROLES, can, type Permission, type Role } from '../../../intake/staff/roles.ts';
import { sampleJpeg } from '../../support/fakeMedia.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';

let dir: string;
let intake: Intake;
let base: string;
const clients = {} as Record<Role, StaffClient>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-routes-'));
  intake = await createIntake({ dataDir: dir });
  base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const unit = await seedUnit(intake.db, '物业');
  for (const role of ROLES) {
    const u = await seedUser(intake.db, role, role, role === 'handler' ? [unit] : []);
    ids[role] = u.id;
  }
  const c = await seedCase(intake.db, {
    receivedAt: '2026-10-09T02:00:00.000Z',
    unitId: unit,
    status: 'assigned',
    media: { file: sampleJpeg(), kind: 'photo', mime: 'image/jpeg', mediaRoot: intake.mediaRoot },
  });
  ids.case = c.id;
  for (const role of ROLES) clients[role] = await staffLogin(base, role);
});

afterAll(async () => {
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

function url(r: RouteDef): string {
  return r.url
    .replace(':caseId', ids.case!)
    .replace(':idx', '0')
    .replace(':variant', 'original')
    .replace(':id', r.url.includes('/admin/users/') ? ids.viewer! : ids.case!);
}

// Bodies that pass authorisation and then fail validation (400) or change nothing, so the table
// can run every route for every role without one row changing what the next one sees.
const body = (r: RouteDef): unknown => (r.method === 'GET' ? undefined : r.url.includes('/admin/users/:id') ? {} : { invalid: true });

describe('route × role', () => {
  it('has the routes of the back office', () => {
    const routes = staffRoutes(intake.app);
    expect(routes.length).toBeGreaterThanOrEqual(25);
    expect(routes.filter((r) => r.access === 'public').map((r) => r.url)).toEqual(['/staff/api/login']);
  });

  it('has the 接诉即办 process routes, each with its least permission (issue 15)', () => {
    const got = staffRoutes(intake.app).map((r) => `${r.method} ${r.url} ${r.access}`);
    expect(got).toEqual(
      expect.arrayContaining([
        'POST /staff/api/cases/:id/acknowledge case:work',
        'POST /staff/api/cases/:id/return case:work',
        'GET /staff/api/cases/:id/process case:read',
        'POST /staff/api/cases/:id/extensions case:work',
        'GET /staff/api/extensions case:assign',
        'POST /staff/api/extensions/:id/decision case:assign',
        'POST /staff/api/cases/:id/escalation case:read',
        'POST /staff/api/cases/:id/escalation/return case:read',
        'GET /staff/api/escalations/mine case:read',
        'GET /staff/api/escalation-proposals case:assign',
        'POST /staff/api/escalation-proposals/:id/dismiss case:assign',
        'GET /staff/api/notices authenticated',
        'POST /staff/api/notices/read authenticated',
        // Staff attachments: added by the case's unit (case:work, then the unit check), read by all who read the case.
        'GET /staff/api/cases/:id/attachments case:read',
        'POST /staff/api/cases/:id/attachments case:work',
        'GET /staff/api/cases/:id/attachments/:attachmentId case:read',
      ]),
    );
  });

  it('refuses every non-public route without a login', async () => {
    for (const r of staffRoutes(intake.app).filter((x) => x.access !== 'public')) {
      const res = await fetch(base + url(r), {
        method: r.method,
        headers: { 'content-type': 'application/json', origin: base },
        body: r.method === 'GET' ? undefined : '{}',
      });
      await res.arrayBuffer(); // read every body: an unread one keeps the connection busy and close() waits
      expect(res.status, `${r.method} ${r.url}`).toBe(401);
    }
  });

  for (const role of ROLES) {
    it(`${role}: allowed exactly where its role may`, async () => {
      const table: string[] = [];
      for (const r of staffRoutes(intake.app).filter((x) => x.access !== 'public' && x.url !== '/staff/api/logout')) {
        const res = await clients[role].fetch(r.method, url(r), body(r));
        await res.arrayBuffer();
        const allowed = r.access === 'authenticated' || can(role, r.access as Permission);
        table.push(`${r.method} ${r.url} ${res.status}`);
        if (allowed) expect([401, 403], `${role} ${r.method} ${r.url} → ${res.status}`).not.toContain(res.status);
        else expect(res.status, `${role} ${r.method} ${r.url}`).toBe(403);
      }
      expect(table.length).toBeGreaterThan(20);
    });
  }

  it('refuses a change without the CSRF token, or from another origin', async () => {
    const admin = clients.admin;
    const noToken = await admin.fetch('POST', '/staff/api/admin/units', { name: '城管' }, { csrf: null });
    await noToken.arrayBuffer();
    expect(noToken.status).toBe(403);
    const wrong = await admin.fetch('POST', '/staff/api/admin/units', { name: '城管' }, { csrf: 'x'.repeat(32) });
    await wrong.arrayBuffer();
    expect(wrong.status).toBe(403);
    const cross = await admin.fetch('POST', '/staff/api/admin/units', { name: '城管' }, { origin: 'http://evil.example' });
    await cross.arrayBuffer();
    expect(cross.status).toBe(403);
    const ok = await admin.fetch('POST', '/staff/api/admin/units', { name: '城管' });
    await ok.arrayBuffer();
    expect(ok.status).toBe(200);
  });

  it('logout ends the session', async () => {
    const c = await staffLogin(base, 'viewer');
    expect((await c.fetch('POST', '/staff/api/logout', {})).status).toBe(200);
    expect((await c.fetch('GET', '/staff/api/me')).status).toBe(401);
  });
});
