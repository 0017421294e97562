// The resident's public status page at the API (issue 18): the per-case secret, the number +
// last-4-digits lookup and its rate limit, the one-time rating, and that nothing personal (phone,
// identity, place, media) ever comes out. Real intake on SQLite, HTTP on 127.0.0.1.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { NumberStore } from '../../../intake/store/numbers.ts';
import { addStatusToken } from '../../../intake/store/residentStatus.ts';
import { loadOrCreateKey } from '../../../lib/sealed.ts';
import { statusToken, statusTokenHash, STATUS_TOKEN } from '../../../lib/statusToken.ts';
import { seedCase } from '../../support/staff.ts';

const PHONE = '13812345678';
const RESIDENT = '10000372';
const IDENTITY = { name: '张三', idNumber: '11010519491231002X', address: '北京市朝阳区8号楼', phone: PHONE };

describe('resident status page (API)', () => {
  let dir: string;
  let intake: Intake;
  let base: string;
  let token: string;
  let caseId: string;
  let caseNumber: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'status-'));
    intake = await createIntake({ dataDir: dir });
    base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
    const c = await seedCase(
      intake.db,
      { receivedAt: '2026-12-01T02:00:00.000Z', summary: '路灯坏了', location: '8号楼南门', identity: IDENTITY },
      key,
    );
    caseId = c.id;
    caseNumber = c.caseNumber;
    await intake.db.updateTable('cases').set({ resident_number: RESIDENT }).where('id', '=', caseId).execute();
    token = statusToken(randomBytes(32), caseId);
    await addStatusToken(intake.db, caseId, statusTokenHash(token));
  });
  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (p: string) => fetch(`${base}${p}`);
  const post = (p: string, body: unknown) =>
    fetch(`${base}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('the token is a 192-bit secret per case, derived from the booth key', () => {
    const k = randomBytes(32);
    expect(statusToken(k, 'a')).toMatch(STATUS_TOKEN);
    expect(statusToken(k, 'a')).toBe(statusToken(k, 'a'));
    expect(statusToken(k, 'b')).not.toBe(statusToken(k, 'a'));
    expect(statusToken(randomBytes(32), 'a')).not.toBe(statusToken(k, 'a'));
  });

  it('the QR token opens the status: steps and dates only, nothing personal, not cached, no referrer', async () => {
    const r = await get(`/api/status/${token}`);
    expect(r.status).toBe(200);
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-store');
    const body = await r.json();
    expect(body).toEqual({
      caseNumber,
      residentNumber: RESIDENT,
      receiptNumber: null,
      receivedAt: '2026-12-01T02:00:00.000Z',
      assignedAt: null,
      answeredAt: null,
      closedAt: null,
      answer: null,
      canRate: false,
      rating: null,
    });
    const text = JSON.stringify(body);
    for (const personal of [PHONE, '5678', IDENTITY.name, IDENTITY.idNumber, '8号楼', '路灯']) expect(text).not.toContain(personal);
  });

  it('a wrong or malformed token finds nothing (404 not_found), never a 500', async () => {
    const wrong = randomBytes(24).toString('base64url');
    expect((await get(`/api/status/${wrong}`)).status).toBe(404);
    const bad = await get(`/api/status/..%2F${'x'.repeat(3)}`);
    expect(bad.status).toBe(404);
    expect(await bad.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('rates once, and only once the case is answered; the answer shows, still nothing personal', async () => {
    const early = await post(`/api/status/${token}/rating`, { rating: 'satisfied' });
    expect(early.status).toBe(409);
    expect((await early.json()).error.code).toBe('not_answered');
    expect((await post(`/api/status/${token}/rating`, { rating: 'great' })).status).toBe(400);
    await intake.db
      .updateTable('cases')
      .set({ status: 'answered', dispatched_at: '2026-12-02T01:00:00.000Z', answered_at: '2026-12-03T06:00:00.000Z', result: '已更换路灯' })
      .where('id', '=', caseId)
      .execute();
    const ok = await post(`/api/status/${token}/rating`, { rating: 'basically' });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      assignedAt: '2026-12-02T01:00:00.000Z',
      answeredAt: '2026-12-03T06:00:00.000Z',
      answer: '已更换路灯',
      rating: 'basically',
      canRate: false,
    });
    const again = await post(`/api/status/${token}/rating`, { rating: 'unsatisfied' });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('already_rated');
    const row = await intake.db.selectFrom('resident_ratings').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(row.rating).toBe('basically');
  });

  it('the page itself: Chinese first, English on request, the same public facts', async () => {
    const zh = await get(`/s/${token}`);
    expect(zh.status).toBe(200);
    expect(zh.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await zh.text();
    expect(html).toContain('lang="zh-CN"');
    expect(html).toContain(caseNumber);
    expect(html).toContain('1000 0372'); // the receipt's number, in its two groups
    expect(html).toContain('已收到');
    expect(html).toContain('已更换路灯');
    for (const personal of [PHONE, IDENTITY.name, '8号楼']) expect(html).not.toContain(personal);
    const en = await (await get(`/s/${token}?lang=en`)).text();
    expect(en).toContain('lang="en"');
    expect(en).toContain('Received');
    expect(en).not.toMatch(/已收到|满意/);
  });

  it('number + last 4 phone digits: found; wrong digits and a wrong number answer alike; then rate-limited', async () => {
    const ok = await post('/api/status/lookup', { number: caseNumber, phoneLast4: '5678' });
    expect(ok.status).toBe(200);
    expect((await ok.json()).caseNumber).toBe(caseNumber);
    // The short resident number, typed as it is printed (with its space), plain, or with a dash;
    // the case number in small letters.
    for (const number of ['1000 0372', RESIDENT, '1000-0372', caseNumber.toLowerCase()]) {
      const r = await post('/api/status/lookup', { number, phoneLast4: '5678' });
      expect(r.status).toBe(200);
      const text = await r.text();
      expect(JSON.parse(text)).toMatchObject({ caseNumber, residentNumber: RESIDENT });
      for (const personal of [PHONE, IDENTITY.name, IDENTITY.idNumber, '8号楼', '路灯坏了']) expect(text).not.toContain(personal);
    }
    expect((await post('/api/status/lookup', { number: '1000 0373', phoneLast4: '5678' })).status).toBe(404);
    const wrongDigits = await post('/api/status/lookup', { number: caseNumber, phoneLast4: '0000' });
    const wrongNumber = await post('/api/status/lookup', { number: 'SIM01-20261201-9999', phoneLast4: '5678' });
    expect(wrongDigits.status).toBe(404);
    expect(await wrongDigits.json()).toEqual(await wrongNumber.json());
    expect((await post('/api/status/lookup', { number: caseNumber, phoneLast4: '12' })).status).toBe(400);
    // 10 looks per address per 15 minutes (8 counted above): the 11th is refused even when right.
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await post('/api/status/lookup', { number: caseNumber, phoneLast4: '5678' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await post('/api/status/lookup', { number: caseNumber, phoneLast4: '5678' });
    expect(await limited.json()).toEqual({ error: { code: 'rate_limited', message: expect.any(String) } });
    // The QR's token is counted apart and still opens.
    expect((await get(`/api/status/${token}`)).status).toBe(200);
  });
});

// A restored or re-imaged booth printed a resident number another case already held; the intake filed
// the case under a new number and kept the receipt's as an alias (docs/DELIVERY.md "Numbers"). The
// resident types what the receipt shows: each resident finds their own case by their own phone
// digits, and the renumbered one is told the number changed.
describe('resident status: a receipt whose number the intake had to change', () => {
  let dir: string;
  let intake: Intake;
  let base: string;
  const printed = '10000555';
  const first = { phone: '13900001111', id: '' };
  const second = { phone: '13700002222', id: '', filedAs: '10000777' };
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'status-alias-'));
    intake = await createIntake({ dataDir: dir });
    base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
    const a = await seedCase(intake.db, { receivedAt: '2026-12-01T02:00:00.000Z', identity: { ...IDENTITY, phone: first.phone } }, key);
    const b = await seedCase(intake.db, { receivedAt: '2026-12-01T03:00:00.000Z', identity: { ...IDENTITY, phone: second.phone } }, key);
    first.id = a.id;
    second.id = b.id;
    await intake.db.updateTable('cases').set({ resident_number: printed }).where('id', '=', a.id).execute();
    await intake.db.updateTable('cases').set({ resident_number: second.filedAs }).where('id', '=', b.id).execute();
    await new NumberStore(intake.db).recordAliases(
      intake.db,
      b.id,
      'SIM01',
      { caseNumber: b.caseNumber, residentNumber: second.filedAs, alias: null, residentAlias: printed, alerts: [] },
      Date.now(),
    );
  });
  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const lookup = (number: string, phoneLast4: string) =>
    fetch(`${base}/api/status/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number, phoneLast4 }),
    });

  it('each resident finds their own case by the printed number and their phone; the page says the number changed', async () => {
    const holder = await lookup('1000 0555', first.phone.slice(-4));
    expect(await holder.json()).toMatchObject({ residentNumber: printed, receiptNumber: null });
    const renumbered = await lookup('1000 0555', second.phone.slice(-4));
    expect(renumbered.status).toBe(200);
    expect(await renumbered.json()).toMatchObject({ residentNumber: second.filedAs, receiptNumber: printed });
    // The new number finds it too; a stranger's digits find neither.
    expect((await (await lookup(second.filedAs, second.phone.slice(-4))).json()).residentNumber).toBe(second.filedAs);
    expect((await lookup('10000555', '0000')).status).toBe(404);
    // The page, in both languages, shows the new number large and names the receipt's as changed.
    const form = (lang: string) =>
      fetch(`${base}/s${lang === 'en' ? '?lang=en' : ''}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ number: '10000555', phoneLast4: second.phone.slice(-4) }).toString(),
      });
    const zh = await (await form('zh-CN')).text();
    expect(zh).toContain('1000 0777');
    expect(zh).toContain('您回执上的编号 1000 0555 和另一件事重了');
    const en = await (await form('en')).text();
    expect(en).toContain('The number on your receipt, 1000 0555, was already used by another case');
  });
});
