// Helpers for back-office tests: seed units, staff users and cases straight into a real intake
// store, and talk to the staff API as a logged-in browser would (cookie + CSRF header + Origin).
import { randomUUID } from 'node:crypto';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import { sealJson } from '../lib/sealed.ts';
import { createUser, type StaffUser } from '../intake/staff/accounts.ts';
import type { Role } from '../intake/staff/roles.ts';
import type { IntakeDatabase } from '../intake/store/schema.ts';

export const TEST_PASSWORD = 'correct horse battery';

export async function seedUnit(db: Kysely<IntakeDatabase>, name: string): Promise<string> {
  const id = randomUUID();
  await db.insertInto('units').values({ id, name }).execute();
  return id;
}

export function seedUser(db: Kysely<IntakeDatabase>, username: string, role: Role, unitIds: string[] = []): Promise<StaffUser> {
  return createUser(db, { username, displayName: username, role, password: TEST_PASSWORD, unitIds }, Date.now());
}

let seq = 0;
export interface SeedCase {
  receivedAt: string;
  caseNumber?: string;
  boothCode?: string;
  summary?: string;
  location?: string | null;
  category?: string | null;
  unitId?: string | null;
  territory?: string | null;
  status?: string;
  dispatchedAt?: string;
  /** Made-up identity (the ID number passes its check digit); sealed with `key`. */
  identity?: { name: string; idNumber: string; address: string; phone: string };
  media?: { file: string; kind: 'video' | 'audio' | 'photo'; mime: string; mediaRoot: string };
}

export async function seedCase(db: Kysely<IntakeDatabase>, c: SeedCase, key?: Buffer): Promise<{ id: string; caseNumber: string }> {
  const id = randomUUID();
  const caseNumber = c.caseNumber ?? `SIM01-${c.receivedAt.slice(0, 10).replaceAll('-', '')}-${String(++seq).padStart(4, '0')}`;
  const { phone, ...identity } = c.identity ?? { phone: undefined };
  await db
    .insertInto('cases')
    .values({
      id,
      case_number: caseNumber,
      booth_code: c.boothCode ?? 'SIM01',
      language: 'zh-CN',
      started_at: c.receivedAt,
      saved_at: c.receivedAt,
      received_at: c.receivedAt,
      category: c.category ?? null,
      location: c.location ?? null,
      manifest_hash: 'x'.repeat(64),
      contact_sealed: phone && key ? sealJson({ phone }, key).toString('base64') : null,
      identity_sealed: c.identity && key ? sealJson(identity, key).toString('base64') : null,
      real_name: c.identity ? 1 : 0,
      summary: c.summary ?? '',
      unit_id: c.unitId ?? null,
      territory: c.territory ?? null,
      status: c.status ?? 'new',
      dispatched_at: c.dispatchedAt ?? null,
      search_text: `${caseNumber} ${c.summary ?? ''} ${c.location ?? ''}`.toLowerCase(),
    })
    .execute();
  if (c.media) {
    const rel = path.join(id, `0${path.extname(c.media.file)}`);
    mkdirSync(path.join(c.media.mediaRoot, id), { recursive: true });
    copyFileSync(c.media.file, path.join(c.media.mediaRoot, rel));
    await db
      .insertInto('case_items')
      .values({
        case_id: id,
        idx: 0,
        kind: c.media.kind,
        mime: c.media.mime,
        camera: null,
        size: 1,
        sha256: 'x'.repeat(64),
        duration_sec: null,
        file: rel,
        playback_state: 'ready',
        playback_file: rel,
        poster_file: null,
      })
      .execute();
  }
  return { id, caseNumber };
}

export interface StaffClient {
  csrf: string;
  cookie: string;
  fetch(method: string, pathname: string, body?: unknown, opts?: { csrf?: string | null; origin?: string }): Promise<Response>;
  json<T = Record<string, unknown>>(method: string, pathname: string, body?: unknown): Promise<T>;
}

/** Logs in over HTTP and returns a client that sends the cookie and the CSRF token. */
export async function staffLogin(baseUrl: string, username: string, password = TEST_PASSWORD): Promise<StaffClient> {
  const r = await fetch(`${baseUrl}/staff/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: baseUrl },
    body: JSON.stringify({ username, password }),
  });
  if (!r.ok) throw new Error(`login ${username}: ${r.status} ${await r.text()}`);
  const { csrf } = (await r.json()) as { csrf: string };
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const client: StaffClient = {
    csrf,
    cookie,
    async fetch(method, pathname, body, opts = {}) {
      const headers: Record<string, string> = { cookie, origin: opts.origin ?? baseUrl };
      if (opts.csrf !== null) headers['x-csrf-token'] = opts.csrf ?? csrf;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(baseUrl + pathname, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      // Read the body now: a response left unread keeps its connection busy, and the server's
      // close() would wait for it at the end of the test.
      const buf = await res.arrayBuffer();
      return new Response([204, 304].includes(res.status) ? null : buf, { status: res.status, headers: res.headers });
    },
    async json(method, pathname, body) {
      const res = await client.fetch(method, pathname, body);
      const data = (await res.json()) as Record<string, unknown>;
      if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${JSON.stringify(data)}`);
      return data as never;
    },
  };
  return client;
}

/** Logs in through the staff app's login form, in Chinese (the default language). */
export async function loginInBrowser(page: Page, staffUrl: string, username: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(staffUrl);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.locator('header.top').waitFor();
}
