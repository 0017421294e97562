// The intake behind a reverse proxy (docs/DEPLOY.md): with INTAKE_TRUSTED_PROXIES the client's
// address and scheme come from X-Forwarded-For/-Proto (login log, audits, the per-client login rate
// limit), INTAKE_PUBLIC_URL goes into the enrolment QR and is accepted as Origin, cookies are Secure.
// Without trusted proxies the same headers change nothing. The proxy hop is played by the test's
// own requests from 127.0.0.1 carrying the headers nginx and HAProxy set (tests/intake/scale
// runs the real load balancers).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../intake/server.ts';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { seedCase, seedUser, TEST_PASSWORD } from '../support/staff.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-proxy-'));
const PUBLIC = 'https://intake.fengtai.example.cn';
let behind: Intake;
let direct: Intake;
let behindUrl: string;
let directUrl: string;

beforeAll(async () => {
  behind = await createIntake({ dataDir: path.join(root, 'behind'), trustedProxies: ['127.0.0.1'], publicUrl: PUBLIC, loginsPerMinute: 3 });
  behindUrl = await behind.app.listen({ host: '127.0.0.1', port: 0 });
  direct = await createIntake({ dataDir: path.join(root, 'direct'), loginsPerMinute: 3 });
  directUrl = await direct.app.listen({ host: '127.0.0.1', port: 0 });
  for (const i of [behind, direct]) await seedUser(i.db, 'admin', 'admin');
});
afterAll(async () => {
  await behind?.close();
  await direct?.close();
  rmSync(root, { recursive: true, force: true });
});

const forwarded = (client: string) => ({
  'x-forwarded-for': client,
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'intake.fengtai.example.cn',
});

function login(base: string, headers: Record<string, string>, password = TEST_PASSWORD, origin = PUBLIC) {
  return fetch(`${base}/staff/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin, ...headers },
    body: JSON.stringify({ username: 'admin', password }),
  });
}

describe('behind a trusted proxy', () => {
  it('the enrolment QR carries the public URL, not the internal address; the cookie is Secure', async () => {
    const r = await login(behindUrl, forwarded('203.0.113.7'));
    expect(r.status).toBe(200);
    const setCookie = r.headers.getSetCookie().join('\n');
    expect(setCookie).toMatch(/; Secure/);
    const { csrf } = (await r.json()) as { csrf: string };
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const add = await fetch(`${behindUrl}/staff/api/fleet/booths`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC, cookie, 'x-csrf-token': csrf, ...forwarded('203.0.113.7') },
      body: JSON.stringify({ code: 'FT01', village: '某村', location: '村委会' }),
    });
    expect(add.status).toBe(200);
    const body = (await add.json()) as { uri: string; qrSvg: string };
    expect(body.uri).toContain(encodeURIComponent(PUBLIC));
    expect(body.uri).not.toContain('127.0.0.1');
  });

  it('the login log, the reveal audit and the rate limit see the real client', async () => {
    // client A spends its 3 logins a minute; client B still gets in
    for (let i = 0; i < 3; i++) await login(behindUrl, forwarded('198.51.100.1'), 'wrong password!!');
    expect((await login(behindUrl, forwarded('198.51.100.1'))).status).toBe(429);
    const b = await login(behindUrl, forwarded('198.51.100.2'));
    expect(b.status).toBe(200);
    const { csrf } = (await b.json()) as { csrf: string };
    const cookie = b.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const c = await seedCase(
      behind.db,
      {
        receivedAt: new Date().toISOString(),
        identity: { name: '张三', idNumber: '11010519491231002X', address: '北京市丰台区某街1号', phone: '13800000000' },
      },
      await loadOrCreateKey(path.join(root, 'behind', 'keys', 'contact.key')),
    );
    const reveal = await fetch(`${behindUrl}/staff/api/cases/${c.id}/reveal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: PUBLIC, cookie, 'x-csrf-token': csrf, ...forwarded('198.51.100.2') },
      body: JSON.stringify({ reason: '回访核实身份' }),
    });
    expect(reveal.status).toBe(200);
    const audit = await behind.db.selectFrom('audit_log').select(['action', 'ip']).where('action', '=', 'reveal_identity').execute();
    expect(audit).toEqual([{ action: 'reveal_identity', ip: '198.51.100.2' }]);
  });

  it('a cross-site Origin is still refused', async () => {
    const r = await login(behindUrl, forwarded('198.51.100.3'));
    const { csrf } = (await r.json()) as { csrf: string };
    const cookie = r.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const bad = await fetch(`${behindUrl}/staff/api/logout`, {
      method: 'POST',
      headers: { origin: 'https://evil.example', cookie, 'x-csrf-token': csrf, ...forwarded('198.51.100.3') },
    });
    expect(bad.status).toBe(403);
  });
});

describe('without trusted proxies', () => {
  it('forwarded headers are ignored: the connection address is the client, the QR uses the request host', async () => {
    for (let i = 0; i < 3; i++) await login(directUrl, forwarded(`192.0.2.${i}`), 'wrong password!!', directUrl);
    // all three "clients" were 127.0.0.1: the fourth is limited whatever it claims
    expect((await login(directUrl, forwarded('192.0.2.99'), TEST_PASSWORD, directUrl)).status).toBe(429);
  });
});
