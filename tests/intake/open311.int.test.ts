// An independent GeoReport v2 client (issue 19): its expectations are written from the spec's
// examples (wiki.open311.org/GeoReport_v2, recorded in docs/OPEN311.md) — field names and types,
// the status values, both the XML and the JSON forms, the error list — not from our code. XML is
// read with a real DOM parser. Also: keys scoped, counted, rate-limited, revoked and expired;
// townships as jurisdiction_id; no personal data in public answers; a partner files a case.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DOMParser } from '@xmldom/xmldom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../intake/server.ts';
import { fromWall } from '../../intake/casework/time.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../support/staff.ts';

let dir: string;
let intake: Intake;
let base: string;
let admin: StaffClient;
let clock = fromWall('2026-10-20', '10:00');
const PHONE = '13912345678';
const keys: Record<string, string> = {};
let unitId: string;

const iso = (s: string) => new Date(fromWall(s.slice(0, 10), s.slice(11, 16))).toISOString();
const W3 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

async function get(pathname: string, headers: Record<string, string> = {}) {
  const r = await fetch(base + pathname, { headers });
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text(), headers: r.headers };
}
async function getJson(pathname: string, headers: Record<string, string> = {}) {
  const r = await get(pathname, headers);
  return { ...r, body: JSON.parse(r.text) as unknown };
}
function xml(text: string) {
  expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const doc = new DOMParser({
    errorHandler: {
      error: (m: string) => {
        throw new Error(m);
      },
      fatalError: (m: string) => {
        throw new Error(m);
      },
    },
  }).parseFromString(text, 'text/xml');
  return doc.documentElement!;
}
const children = (el: Element, tag?: string) =>
  Array.from(el.childNodes as unknown as ArrayLike<Node>).filter(
    (n): n is Element => n.nodeType === 1 && (!tag || (n as Element).tagName === tag),
  );
const text = (el: Element, tag: string) => children(el, tag)[0]?.textContent ?? undefined;
async function post(pathname: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const r = await fetch(base + pathname, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() };
}

// The spec's request fields, in the spec's words (GET Service Requests, Response).
const REQUEST_FIELDS = [
  'service_request_id',
  'status',
  'status_notes',
  'service_name',
  'service_code',
  'description',
  'agency_responsible',
  'service_notice',
  'requested_datetime',
  'updated_datetime',
  'expected_datetime',
  'address',
  'address_id',
  'zipcode',
  'lat',
  'long',
  'media_url',
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'open311-'));
  intake = await createIntake({ dataDir: dir, now: () => clock });
  base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  await seedUser(intake.db, 'root', 'admin');
  await seedUser(intake.db, 'boss', 'supervisor');
  unitId = await seedUnit(intake.db, '城管科');
  admin = await staffLogin(base, 'root');
  for (const [name, scopes] of [
    ['read', ['cases:read']],
    ['write', ['cases:write']],
    ['rates', ['rates:read']],
    ['slow', ['cases:read']],
  ] as const) {
    const r = await admin.json<{ secret: string; key: { prefix: string; state: string } }>('POST', '/staff/api/admin/api-keys', {
      name: `热线${name}`,
      scopes,
      expiresInDays: 30,
      ratePerMinute: name === 'slow' ? 3 : 600,
    });
    expect(r.secret).toMatch(/^sbk_[A-Za-z0-9_-]{32}$/);
    expect(r.secret.startsWith(r.key.prefix)).toBe(true);
    keys[name] = r.secret;
  }
  // A booth case with a phone and words that must never leave in a public answer.
  const c = await seedCase(
    intake.db,
    {
      receivedAt: iso('2026-10-19T09:00'),
      category: '噪音',
      territory: '东村',
      location: '8号楼 302',
      summary: `王先生 ${PHONE} 反映夜间施工噪音`,
      identity: { name: '王小明', idNumber: '11010519491231002X', address: '北京市东城区', phone: PHONE },
    },
    Buffer.alloc(32, 1),
  );
  const boss = await staffLogin(base, 'boss');
  expect((await boss.fetch('POST', `/staff/api/cases/${c.id}/events`, { version: 0, event: { type: 'assign', unitId } })).status).toBe(200);
  expect(
    (await boss.fetch('POST', `/staff/api/cases/${c.id}/events`, { version: 1, event: { type: 'answer', result: '已责令施工方夜间停工' } }))
      .status,
  ).toBe(200);
  await seedCase(intake.db, { receivedAt: iso('2026-10-18T09:00'), category: 'property', territory: '西村', summary: '电梯坏了' });
  await seedCase(intake.db, { receivedAt: iso('2026-05-01T09:00'), category: 'property', territory: '西村', summary: '半年前的' });
});

afterAll(async () => {
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Open311 GeoReport v2, read as an independent client would', () => {
  it('discovery lists the endpoint and its formats in JSON and XML', async () => {
    const j = await getJson('/open311/discovery.json');
    expect(j.status).toBe(200);
    expect(j.type).toMatch(/^application\/json; charset=utf-8/);
    const d = j.body as Record<string, unknown>;
    for (const f of ['changeset', 'contact', 'key_service', 'endpoints'])
      expect(typeof d[f] === 'string' || Array.isArray(d[f])).toBe(true);
    const ep = (d.endpoints as Record<string, unknown>[])[0]!;
    expect(ep).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', url: `${base}/open311/v2`, type: 'production' });
    expect(ep.formats).toEqual(expect.arrayContaining(['text/xml', 'application/json']));
    const x = await get('/open311/v2/discovery.xml');
    expect(x.type).toMatch(/^text\/xml; charset=utf-8/);
    const root = xml(x.text);
    expect(root.tagName).toBe('discovery');
    const endpoint = children(children(root, 'endpoints')[0]!, 'endpoint')[0]!;
    expect(text(endpoint, 'specification')).toBe('http://wiki.open311.org/GeoReport_v2');
    expect(children(children(endpoint, 'formats')[0]!, 'format').map((f) => f.textContent)).toEqual(
      expect.arrayContaining(['text/xml', 'application/json']),
    );
  });

  it('services: codes with names in zh-CN and en, spec fields and types', async () => {
    const zh = (await getJson('/open311/v2/services.json')).body as Record<string, unknown>[];
    const en = (await getJson('/open311/v2/services.json?lang=en')).body as Record<string, unknown>[];
    expect(zh.length).toBeGreaterThanOrEqual(7);
    for (const s of zh) {
      expect(Object.keys(s).sort()).toEqual(['description', 'group', 'keywords', 'metadata', 'service_code', 'service_name', 'type']);
      expect(typeof s.metadata).toBe('boolean');
      expect(['realtime', 'batch', 'blackbox']).toContain(s.type);
    }
    expect(zh.find((s) => s.service_code === 'noise')?.service_name).toBe('噪音扰民');
    expect(en.find((s) => s.service_code === 'noise')?.service_name).toBe('Noise');
    const root = xml((await get('/open311/v2/services.xml', { 'accept-language': 'en' })).text);
    expect(root.tagName).toBe('services');
    const noise = children(root, 'service').find((s) => text(s, 'service_code') === 'noise')!;
    expect(text(noise, 'service_name')).toBe('Noise');
    expect(text(noise, 'metadata')).toBe('false');
    const def = (await getJson('/open311/v2/services/noise.json')).body as Record<string, unknown>;
    expect(def).toMatchObject({ service_code: 'noise', attributes: [] });
    expect((await getJson('/open311/v2/services/potholes.json')).status).toBe(404);
  });

  it('requests: public answers in both forms, open/closed only, w3 datetimes, no personal data or media', async () => {
    const j = await getJson('/open311/v2/requests.json');
    expect(j.status).toBe(200);
    const list = j.body as Record<string, unknown>[];
    expect(list).toHaveLength(2); // the May case is outside the default 90 days
    for (const r of list) {
      for (const f of REQUEST_FIELDS) expect(r).toHaveProperty(f);
      expect(['open', 'closed']).toContain(r.status);
      expect(r.requested_datetime).toMatch(W3);
      expect(r.updated_datetime).toMatch(W3);
      expect(typeof r.service_request_id).toBe('string');
      expect(r.media_url).toBeNull();
      expect(r.description).toBeNull();
    }
    expect(j.text).not.toContain(PHONE);
    expect(j.text).not.toContain('王');
    expect(j.text).not.toContain('302');
    const answered = list.find((r) => r.service_code === 'noise')!;
    expect(answered).toMatchObject({
      status: 'closed',
      status_notes: '已责令施工方夜间停工',
      agency_responsible: '城管科',
      address: '东村',
      service_name: '噪音扰民',
    });
    expect(answered.expected_datetime).toMatch(W3);
    expect(answered.extended_attributes).toMatchObject({ status_detail: 'answered', status_label: '已答复', source: 'booth' });
    expect(list.find((r) => r.service_code === 'property')).toMatchObject({ status: 'open', status_notes: null, agency_responsible: null });

    const x = await get('/open311/v2/requests.xml?status=closed');
    const root = xml(x.text);
    expect(root.tagName).toBe('service_requests');
    const reqs = children(root, 'request');
    expect(reqs).toHaveLength(1);
    for (const f of REQUEST_FIELDS) expect(children(reqs[0]!, f)).toHaveLength(1);
    expect(text(reqs[0]!, 'status')).toBe('closed');
    expect(text(reqs[0]!, 'media_url')).toBe('');
    expect(x.text).not.toContain(PHONE);

    const id = answered.service_request_id as string;
    const one = (await getJson(`/open311/v2/requests/${id}.json`)).body as Record<string, unknown>[];
    expect(one).toHaveLength(1);
    expect(one[0]!.service_request_id).toBe(id);
    expect(xml((await get(`/open311/v2/requests/${id}.xml`)).text).tagName).toBe('service_requests');
  });

  it('requests filters: service_code, status, start_date / end_date within 90 days', async () => {
    const byCode = (await getJson('/open311/v2/requests.json?service_code=property')).body as Record<string, unknown>[];
    expect(byCode.map((r) => r.service_code)).toEqual(['property']);
    expect(((await getJson('/open311/v2/requests.json?status=open,closed')).body as unknown[]).length).toBe(2);
    const may = (await getJson(`/open311/v2/requests.json?start_date=2026-04-20T00:00:00Z&end_date=2026-06-01T00:00:00%2B08:00`))
      .body as Record<string, unknown>[];
    expect(may.map((r) => r.status)).toEqual(['open']);
    const far = await getJson('/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-10-01T00:00:00Z');
    expect(far.status).toBe(400);
    expect(far.body).toEqual([{ code: 400, description: expect.stringContaining('90 days'), reason: 'date_range_too_long' }]);
    expect((await getJson('/open311/v2/requests.json?status=pending')).status).toBe(400);
    expect((await getJson('/open311/v2/requests.json?start_date=yesterday')).status).toBe(400);
  });

  it('errors: the spec list in JSON and XML, 404 for what does not exist', async () => {
    const j = await getJson('/open311/v2/requests/SIM01-20990101-0001.json');
    expect(j.status).toBe(404);
    expect(j.body).toEqual([{ code: 404, description: expect.any(String), reason: 'request_not_found' }]);
    const x = await get('/open311/v2/requests/SIM01-20990101-0001.xml');
    expect(x.status).toBe(404);
    const root = xml(x.text);
    expect(root.tagName).toBe('errors');
    expect(text(children(root, 'error')[0]!, 'code')).toBe('404');
    expect((await getJson('/open311/v2/tokens/00000000-0000-4000-8000-000000000000.json')).status).toBe(404);
  });

  it('a key with cases:read reads more; keys are counted and shown with their last use', async () => {
    const full = (await getJson('/open311/v2/requests.json?service_code=noise', { authorization: `Bearer ${keys.read}` })).body as Record<
      string,
      unknown
    >[];
    expect(full[0]).toMatchObject({ description: expect.stringContaining('施工噪音'), address: '8号楼 302, 东村' });
    expect((full[0]!.extended_attributes as { notes: { type: string }[] }).notes.map((n) => n.type)).toEqual(['assign', 'answer']);
    // A key without cases:read sees the public answer; a wrong key is refused (403, spec error).
    expect(
      ((await getJson(`/open311/v2/requests.json?service_code=noise&api_key=${keys.rates}`)).body as Record<string, unknown>[])[0]!
        .description,
    ).toBeNull();
    const bad = await getJson('/open311/v2/requests.json?api_key=sbk_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(bad.status).toBe(403);
    expect(bad.body).toEqual([{ code: 403, description: 'invalid api_key', reason: 'api_key_unknown' }]);
    const listed = await admin.json<{ keys: { name: string; useCount: number; lastUsedAt: string | null; state: string }[] }>(
      'GET',
      '/staff/api/admin/api-keys',
    );
    expect(listed.keys.find((k) => k.name === '热线read')).toMatchObject({
      useCount: 1,
      lastUsedAt: new Date(clock).toISOString(),
      state: 'active',
    });
    expect(JSON.stringify(listed)).not.toContain(keys.read!);
  });

  it('rate-limits per key (429 with Retry-After)', async () => {
    for (let i = 0; i < 3; i++) expect((await get(`/open311/v2/services.json?api_key=${keys.slow}`)).status).toBe(200);
    const r = await getJson(`/open311/v2/services.json?api_key=${keys.slow}`);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await get(`/open311/v2/services.json?api_key=${keys.read}`)).status).toBe(200); // another key is not affected
  });

  it('a partner files a case with a cases:write key (form-urlencoded, JSON and XML answers)', async () => {
    const form = {
      service_code: 'sanitation',
      address_string: '东村 村口 垃圾站',
      description: '垃圾站三天没有清运',
      first_name: '小红',
      last_name: '李',
      phone: PHONE,
    };
    const refused = await post('/open311/v2/requests.json', form);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toEqual([{ code: 403, description: 'api_key required', reason: 'api_key_missing' }]);
    expect((await post('/open311/v2/requests.json', { ...form, api_key: keys.read! })).status).toBe(403); // wrong scope
    expect((await post('/open311/v2/requests.json', { ...form, service_code: 'potholes', api_key: keys.write! })).status).toBe(404);
    expect((await post('/open311/v2/requests.json', { service_code: 'noise', api_key: keys.write! })).status).toBe(400); // no location
    expect((await post('/open311/v2/requests.json', { ...form, description: 'x'.repeat(4001), api_key: keys.write! })).status).toBe(400);

    const ok = await post('/open311/v2/requests.json', { ...form, api_key: keys.write! });
    expect(ok.status).toBe(201);
    const answer = JSON.parse(ok.text) as Record<string, unknown>[];
    expect(answer).toEqual([
      { service_request_id: expect.stringMatching(/^PARTNER-20261020-0001$/), service_notice: expect.any(String), account_id: null },
    ]);
    const x = await post('/open311/v2/requests.xml', { ...form, description: '垃圾站旁边又堆了建筑垃圾', api_key: keys.write! });
    const root = xml(x.text);
    expect(text(children(root, 'request')[0]!, 'service_request_id')).toBe('PARTNER-20261020-0002');
    expect(children(children(root, 'request')[0]!, 'token')).toHaveLength(0); // realtime: an id, not a token

    const row = await intake.db
      .selectFrom('cases')
      .selectAll()
      .where('case_number', '=', answer[0]!.service_request_id as string)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ source: 'partner', category: 'sanitation', summary: '垃圾站三天没有清运', status: 'new' });
    expect(row.contact_sealed).not.toContain(PHONE);
    const hist = await intake.db.selectFrom('case_history').select(['action', 'detail']).where('case_id', '=', row.id).execute();
    expect(hist.map((h) => h.action)).toEqual(['created']);
    expect(JSON.parse(hist[0]!.detail)).toMatchObject({ source: 'partner', partner: '热线write' });
    // The new case reads back publicly without the caller's name or phone; its token is its id.
    const pub = await get(`/open311/v2/requests/${row.case_number}.json`);
    expect(pub.text).not.toContain(PHONE);
    expect(pub.text).not.toContain('小红');
    expect(JSON.parse((await get(`/open311/v2/tokens/${row.id}.json`)).text)).toEqual([
      { service_request_id: row.case_number, token: row.id },
    ]);
  });

  it('several townships: jurisdiction_id required, unknown 404, each sees its own; a key bound to one', async () => {
    await admin.json('PUT', '/staff/api/admin/partner-settings', {
      jurisdictions: [
        { id: 'dong.example.gov.cn', nameZh: '东镇', nameEn: 'Dong', villages: ['东村'] },
        { id: 'xi.example.gov.cn', nameZh: '西镇', nameEn: 'Xi', villages: ['西村'] },
      ],
    });
    const missing = await getJson('/open311/v2/requests.json');
    expect(missing.status).toBe(400);
    expect((missing.body as { reason: string }[])[0]!.reason).toBe('jurisdiction_id_missing');
    expect((await getJson('/open311/v2/requests.json?jurisdiction_id=nan.example.gov.cn')).status).toBe(404);
    const xi = (await getJson('/open311/v2/requests.json?jurisdiction_id=xi.example.gov.cn')).body as Record<string, unknown>[];
    expect(xi.map((r) => r.address)).toEqual(['西村']);
    expect((xi[0]!.extended_attributes as { jurisdiction_id: string }).jurisdiction_id).toBe('xi.example.gov.cn');
    const disc = (await getJson('/open311/discovery.json')).body as { jurisdictions: { jurisdiction_id: string }[] };
    expect(disc.jurisdictions.map((j) => j.jurisdiction_id)).toEqual(['dong.example.gov.cn', 'xi.example.gov.cn']);
    const bound = await admin.json<{ secret: string }>('POST', '/staff/api/admin/api-keys', {
      name: '东镇网格',
      scopes: ['cases:read'],
      jurisdictionId: 'dong.example.gov.cn',
    });
    expect((await getJson(`/open311/v2/requests.json?jurisdiction_id=xi.example.gov.cn&api_key=${bound.secret}`)).status).toBe(403);
    expect((await getJson(`/open311/v2/requests.json?jurisdiction_id=dong.example.gov.cn&api_key=${bound.secret}`)).status).toBe(200);
    // A partner filing names the township; the case is that township's.
    const ok = await post('/open311/v2/requests.json', {
      service_code: 'heating',
      address_string: '西村 3 组',
      jurisdiction_id: 'xi.example.gov.cn',
      api_key: keys.write!,
    });
    expect(ok.status).toBe(201);
    const id = (JSON.parse(ok.text) as { service_request_id: string }[])[0]!.service_request_id;
    expect(((await getJson(`/open311/v2/requests/${id}.json?jurisdiction_id=xi.example.gov.cn`)).body as unknown[]).length).toBe(1);
    expect((await getJson(`/open311/v2/requests/${id}.json?jurisdiction_id=dong.example.gov.cn`)).status).toBe(404);
    await admin.json('PUT', '/staff/api/admin/partner-settings', { jurisdictions: [] });
  });

  it('the rates route needs rates:read', async () => {
    expect((await getJson(`/partner/v1/rates?api_key=${keys.read}`)).status).toBe(403);
    const r = await getJson('/partner/v1/rates?period=month', { 'x-api-key': keys.rates! });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ period: 'month', groupBy: 'unit', rows: expect.any(Array), definitions: expect.anything() });
  });

  it('revoked and expired keys are refused; creation and revocation are audited; only admins manage keys', async () => {
    const made = await admin.json<{ key: { id: string }; secret: string }>('POST', '/staff/api/admin/api-keys', {
      name: '短期',
      scopes: ['cases:read'],
      expiresInDays: 1,
    });
    expect((await get(`/open311/v2/services.json?api_key=${made.secret}`)).status).toBe(200);
    const listed = await admin.json<{ keys: { id: string; name: string }[] }>('GET', '/staff/api/admin/api-keys');
    const writeKey = listed.keys.find((k) => k.name === '热线write')!;
    await admin.json('POST', `/staff/api/admin/api-keys/${writeKey.id}/revoke`, {});
    const revoked = await post('/open311/v2/requests.json', { service_code: 'noise', address_string: '东村', api_key: keys.write! });
    expect(revoked.status).toBe(403);
    expect(JSON.parse(revoked.text)[0].reason).toBe('api_key_revoked');
    expect((await admin.fetch('POST', `/staff/api/admin/api-keys/${writeKey.id}/revoke`, {})).status).toBe(409);
    clock += 2 * 86_400_000;
    const expired = await getJson(`/open311/v2/services.json?api_key=${made.secret}`);
    expect(expired.status).toBe(403);
    expect((expired.body as { reason: string }[])[0]!.reason).toBe('api_key_expired');
    admin = await staffLogin(base, 'root'); // the session ended with the two days
    const audit = await admin.json<{ entries: { action: string; reason: string }[] }>('GET', '/staff/api/audit');
    expect(audit.entries.filter((e) => e.action === 'api_key_created').length).toBeGreaterThanOrEqual(5);
    expect(audit.entries.find((e) => e.action === 'api_key_revoked')?.reason).toBe('热线write');
    const boss = await staffLogin(base, 'boss');
    expect((await boss.fetch('GET', '/staff/api/admin/api-keys')).status).toBe(403);
    expect((await boss.fetch('POST', '/staff/api/admin/api-keys', { name: 'x', scopes: ['cases:read'] })).status).toBe(403);
  });

  it('the OpenAPI 3.1 document describes the Open311 and partner routes and the webhooks', async () => {
    const doc = (await getJson('/open311/v2/openapi.json')).body as {
      openapi: string;
      paths: Record<string, unknown>;
      webhooks: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/open311/v2/requests.{format}',
        '/open311/v2/requests/{service_request_id}.{format}',
        '/open311/v2/tokens/{token}.{format}',
        '/partner/v1/rates',
      ]),
    );
    expect(doc.webhooks.caseEvent).toBeDefined();
  });
  it('services are the back office category list: a new category from an admin is a service at once, a removed one is gone', async () => {
    const before = (
      await admin.json<{ settings: { categories: { code: string; name: string; short: string; shortEn: string }[] } }>(
        'GET',
        '/staff/api/admin/settings',
      )
    ).settings.categories;
    const water = { code: 'water_supply', name: '供水', short: '自来水', shortEn: 'Water supply' };
    const edited = [...before.filter((c) => c.code !== 'heating'), water];
    expect((await admin.fetch('PUT', '/staff/api/admin/settings', { categories: edited })).status).toBe(200);
    const writer = (
      await admin.json<{ secret: string }>('POST', '/staff/api/admin/api-keys', {
        name: '热线供水',
        scopes: ['cases:write'],
        expiresInDays: 30,
        ratePerMinute: 600,
      })
    ).secret;
    try {
      const zh = (await getJson('/open311/v2/services.json')).body as Record<string, unknown>[];
      expect(zh.map((s) => s.service_code)).toEqual(edited.map((c) => c.code));
      expect(zh.find((s) => s.service_code === 'water_supply')).toMatchObject({
        service_name: '供水',
        keywords: '供水, 自来水, Water supply',
      });
      const en = (await getJson('/open311/v2/services.json?lang=en')).body as Record<string, unknown>[];
      expect(en.find((s) => s.service_code === 'water_supply')?.service_name).toBe('Water supply');
      expect((await getJson('/open311/v2/services/water_supply.json')).status).toBe(200);
      expect((await getJson('/open311/v2/services/heating.json')).status).toBe(404);
      const filed = await post('/open311/v2/requests.json', {
        api_key: writer,
        service_code: 'water_supply',
        address_string: '东村 3 号井',
        description: '停水两天',
      });
      expect(filed.status).toBe(201);
      const refused = await post('/open311/v2/requests.json', {
        api_key: writer,
        service_code: 'heating',
        address_string: '东村',
        description: '暖气不热',
      });
      expect(refused.status).toBe(404);
      expect(JSON.parse(refused.text)).toMatchObject([{ code: 404, description: 'service_code heating was not found' }]);
    } finally {
      expect((await admin.fetch('PUT', '/staff/api/admin/settings', { categories: before })).status).toBe(200);
    }
  });
  it('a lost answer never files a second case: Idempotency-Key replays, a repeat without one within 10 minutes answers the first', async () => {
    const writer = (
      await admin.json<{ secret: string }>('POST', '/staff/api/admin/api-keys', {
        name: '热线重试',
        scopes: ['cases:write'],
        expiresInDays: 30,
        ratePerMinute: 600,
      })
    ).secret;
    const count = async () =>
      Number(
        (
          await intake.db
            .selectFrom('cases')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('source', '=', 'partner')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const form = {
      api_key: writer,
      service_code: 'property',
      address_string: '西村 5 号楼',
      description: '楼道灯不亮',
      phone: '13700001111',
    };
    const n0 = await count();
    const first = await post('/open311/v2/requests.json', form);
    expect(first.status).toBe(201);
    const id = (JSON.parse(first.text) as { service_request_id: string }[])[0]!.service_request_id;
    const again = await post('/open311/v2/requests.xml', form);
    expect(again.status).toBe(200);
    expect(text(children(xml(again.text), 'request')[0]!, 'service_request_id')).toBe(id);
    expect(await count()).toBe(n0 + 1);
    // Another request from the same key is a new case; so is the same one after the window.
    expect((await post('/open311/v2/requests.json', { ...form, description: '楼道灯不亮，已经三天' })).status).toBe(201);
    const saved = clock;
    clock += 11 * 60_000;
    try {
      expect((await post('/open311/v2/requests.json', form)).status).toBe(201);
    } finally {
      clock = saved;
    }
    expect(await count()).toBe(n0 + 3);

    // With an Idempotency-Key: the first answer replayed as is, a different body refused, no new case;
    // two at once under one key file one case.
    const withKey = { ...form, description: '井盖松动' };
    const k1 = await post('/open311/v2/requests.json', withKey, { 'idempotency-key': '"hotline-0001"' });
    expect(k1.status).toBe(201);
    const k1Id = (JSON.parse(k1.text) as { service_request_id: string }[])[0]!.service_request_id;
    const k1Again = await post('/open311/v2/requests.json', withKey, { 'idempotency-key': '"hotline-0001"' });
    expect(k1Again.status).toBe(201);
    expect((JSON.parse(k1Again.text) as { service_request_id: string }[])[0]!.service_request_id).toBe(k1Id);
    const reused = await post('/open311/v2/requests.json', { ...withKey, description: '别的事' }, { 'idempotency-key': 'hotline-0001' });
    expect(reused.status).toBe(422);
    expect(JSON.parse(reused.text)).toMatchObject([{ code: 422, reason: 'idempotency_key_reused' }]);
    expect((await post('/open311/v2/requests.json', withKey, { 'idempotency-key': 'bad key with spaces' })).status).toBe(400);
    const racing = await Promise.all(
      [0, 1, 2].map(() =>
        post('/open311/v2/requests.json', { ...withKey, description: '同时提交' }, { 'idempotency-key': 'hotline-0002' }),
      ),
    );
    expect(racing.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of racing) expect([201, 409]).toContain(r.status);
    expect(
      new Set(
        racing.filter((r) => r.status === 201).map((r) => (JSON.parse(r.text) as { service_request_id: string }[])[0]!.service_request_id),
      ).size,
    ).toBe(1);
    expect(await count()).toBe(n0 + 5);
  });
});
