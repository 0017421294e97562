// Staff web security: the headers every answer carries, and login throttling that slows and alerts
// but cannot lock a user out (per account + client, growing delays, admins told). Clients are told
// apart by X-Forwarded-For from a trusted proxy (127.0.0.1, the test); the webhook is a real HTTP
// server on 127.0.0.1; time is the intake's injected clock.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { writeSettings } from '../../../intake/staff/settings.ts';
import { delayAfter, THROTTLE } from '../../../intake/staff/loginThrottle.ts';
import { seedUser, TEST_PASSWORD } from '../../support/staff.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-security-'));
let t = Date.parse('2026-12-07T02:00:00Z');
let intake: Intake;
let url: string;
let hook: Server;
const posted: Record<string, unknown>[] = [];

beforeAll(async () => {
  hook = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      posted.push(JSON.parse(b) as Record<string, unknown>);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  intake = await createIntake({ dataDir: root, now: () => t, trustedProxies: ['127.0.0.1'], loginsPerMinute: 1000 });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  await seedUser(intake.db, 'admin', 'admin');
  await writeSettings(intake.db, { webhookUrl: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook` });
});
afterAll(async () => {
  await intake?.close();
  hook?.close();
  rmSync(root, { recursive: true, force: true });
});

const login = (client: string, password: string, proto = 'http') =>
  fetch(`${url}/staff/api/login`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: `${proto}://${new URL(url).host}`,
      'x-forwarded-for': client,
      'x-forwarded-proto': proto,
    },
    body: JSON.stringify({ username: 'admin', password }),
  });

describe('security headers', () => {
  it('CSP with frame-ancestors none, nosniff, no-referrer, framing refused; no HSTS over plain http', async () => {
    for (const p of ['/staff/', '/staff/api/me', '/api/v1/health']) {
      const r = await fetch(url + p);
      const csp = r.headers.get('content-security-policy') ?? '';
      expect(csp, p).toContain("frame-ancestors 'none'");
      expect(csp, p).toContain("default-src 'self'");
      expect(csp, p).toContain("script-src 'self'");
      expect(csp, p).toContain("object-src 'none'");
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), p).toBe('no-referrer');
      expect(r.headers.get('x-frame-options'), p).toBe('SAMEORIGIN');
      expect(r.headers.get('strict-transport-security'), p).toBeNull();
      await r.arrayBuffer();
    }
  });

  it('HSTS when the request came over TLS (X-Forwarded-Proto https from the trusted proxy)', async () => {
    const r = await fetch(`${url}/staff/api/me`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(r.headers.get('strict-transport-security')).toMatch(/^max-age=31536000/);
    await r.arrayBuffer();
  });
});

describe('login throttling', () => {
  it('delays grow per account + client; another client is never held up; a right password after the wait works', async () => {
    const attacker = '203.0.113.66';
    const statuses: number[] = [];
    for (let i = 0; i < THROTTLE.free; i++) statuses.push((await login(attacker, 'wrong password!!')).status);
    expect(statuses).toEqual([401, 401, 401]);
    // the third failure set a delay of delayAfter(3) s: even the right password waits
    const held = await login(attacker, TEST_PASSWORD);
    expect(held.status).toBe(429);
    expect(Number(held.headers.get('retry-after'))).toBe(delayAfter(THROTTLE.free));
    // the owner, elsewhere, logs in at once: no lockout
    expect((await login('198.51.100.10', TEST_PASSWORD)).status).toBe(200);
    // the attacker keeps failing (waiting out each delay): the delays double
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      t += delayAfter(THROTTLE.free + i) * 1000;
      const r = await login(attacker, 'wrong password!!');
      expect(r.status).toBe(401);
      waits.push(Number(r.headers.get('retry-after')));
    }
    expect(waits).toEqual([2, 4, 8]);
    expect((await login(attacker, 'wrong password!!')).status).toBe(429); // too soon: not even counted
    expect((await login('198.51.100.10', TEST_PASSWORD)).status).toBe(200);
    t += 8_000;
    expect((await login(attacker, TEST_PASSWORD)).status).toBe(200); // the count starts again
    expect((await login(attacker, 'wrong password!!')).status).toBe(401);
    expect((await login(attacker, TEST_PASSWORD)).status).toBe(200); // one failure: no delay
  });

  it('admins are told at the alert threshold: the audit log and the webhook, without the password', async () => {
    const audit = await intake.db.selectFrom('audit_log').selectAll().where('action', '=', 'login_throttled').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      username: 'admin',
      ip: '203.0.113.66',
      reason: `${THROTTLE.alertAt} failed logins from 203.0.113.66`,
    });
    const alerts = posted.filter((p) => p.type === 'staff.login_failures');
    expect(alerts).toEqual([expect.objectContaining({ username: 'admin', client: '203.0.113.66', failures: THROTTLE.alertAt })]);
    expect(JSON.stringify(posted)).not.toContain('wrong password');
  });

  it('delays are capped', () => {
    expect([0, 1, 2, 3, 4, 5, 12, 13, 50].map(delayAfter)).toEqual([0, 0, 0, 1, 2, 4, 512, THROTTLE.maxDelaySec, THROTTLE.maxDelaySec]);
  });
});
