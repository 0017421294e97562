// No English in the Chinese staff app and no Chinese in the English one (issue 15 item 8). Real
// Chromium against a real intake: an admin opens every page the navigation offers (it grows with the
// app) plus a case with a full history (dispatch, edit, callback, reveal, note…) after the audit log
// has account, role, unit, settings and calendar changes, and one page shows a server error. The
// visible text and the title / placeholder / aria-label / alt attributes are read; the data the test
// seeded (names, places, case numbers, user names) and numbers are taken out; what is left must be
// Chinese in zh-CN (no Latin words but a few written-as-is acronyms) and English in en (no Han).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { createUser } from '../../intake/staff/accounts.ts';
import { addDays, fromWall, localDate } from '../../intake/casework/time.ts';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { sampleJpeg } from '../support/fakeMedia.ts';
import { TEST_PASSWORD, loginInBrowser, seedCase, seedUnit, staffLogin, type StaffClient } from '../support/staff.ts';

/** Written as-is in Chinese software too: file formats, units, the network address column. */
const ACRONYMS = new Set(['CSV', 'IP', 'GB', 'MB', 'KB', 'PDF', 'JPEG', 'PNG']);

let dir: string;
let intake: Intake;
let base: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
let caseId: string;
/** Everything the test seeded that a page may show as data (names, places, numbers, free text). */
const data: string[] = [];
const seeded = <T extends string>(s: T): T => (data.push(s), s);
// Names: the booth code, the open standard the partners page follows and its field, masked identity.
data.push('SIM01', 'Open311', 'jurisdiction_id', '王**', '北京市丰台区****');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-lang-'));
  intake = await createIntake({ dataDir: dir });
  base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
  const db = intake.db;
  const unit = await seedUnit(db, seeded('物业公司'));
  await seedUnit(db, seeded('城管队'));
  await createUser(
    db,
    { username: seeded('wangadmin'), displayName: seeded('王管理'), role: 'admin', password: TEST_PASSWORD },
    Date.now(),
  );
  const handler = await createUser(
    db,
    { username: seeded('lihandler'), displayName: seeded('李承办'), role: 'handler', password: TEST_PASSWORD, unitIds: [unit] },
    Date.now(),
  );
  const admin: StaffClient = await staffLogin(base, 'wangadmin');

  // A case through its whole cycle, with every kind of history detail.
  const now = Date.now();
  const today = localDate(now);
  const c = await seedCase(
    db,
    {
      receivedAt: new Date(now - 3_600_000).toISOString(),
      summary: seeded('楼道堆放杂物'),
      location: seeded('8号楼2单元'),
      category: 'property',
      identity: {
        name: seeded('王小明'),
        idNumber: seeded('110101199003077571'),
        address: seeded('北京市丰台区某村8号楼3单元201'),
        phone: '13812345678',
      },
    },
    key,
  );
  caseId = c.id;
  data.push(c.caseNumber);
  const v = async () => (await admin.json<{ case: { version: number } }>('GET', `/staff/api/cases/${caseId}`)).case.version;
  const ev = async (event: Record<string, unknown>) =>
    admin.json('POST', `/staff/api/cases/${caseId}/events`, { version: await v(), event });
  await admin.json('PATCH', `/staff/api/cases/${caseId}`, {
    version: await v(),
    summary: seeded('楼道堆放杂物，影响通行'),
    category: 'sanitation',
    territory: seeded('一村'),
  });
  await ev({ type: 'assign', unitId: unit });
  await ev({ type: 'start' });
  await admin.json('POST', `/staff/api/cases/${caseId}/notes`, { text: seeded('已电话联系物业') });
  await admin.json('POST', `/staff/api/cases/${caseId}/reveal`, { reason: seeded('核实诉求人身份') });
  await admin.json('POST', `/staff/api/cases/${caseId}/attachments`, {
    title: seeded('整改后照片'),
    data: readFileSync(sampleJpeg()).toString('base64'),
  });
  await ev({ type: 'answer', result: seeded('杂物已清理') });
  await admin.json('POST', `/staff/api/cases/${caseId}/callback`, {
    version: await v(),
    contacted: true,
    solved: true,
    satisfaction: 'satisfied',
    note: seeded('居民满意'),
  });
  await ev({ type: 'reopen', reason: seeded('居民反映又有杂物') });
  // Data for the reports: recurring noise at one place, callbacks in past weeks.
  for (const d of [-2, -5, -9]) {
    const r = await seedCase(db, {
      receivedAt: new Date(fromWall(addDays(today, d), '21:00')).toISOString(),
      summary: seeded('夜间噪音'),
      location: seeded('3号楼餐馆'),
      category: 'noise',
      unitId: unit,
      territory: '一村',
      status: 'called_back',
    });
    data.push(r.caseNumber);
    await db
      .updateTable('cases')
      .set({
        callback_at: new Date(fromWall(addDays(today, d + 1), '15:00')).toISOString(),
        callback_contacted: 1,
        callback_solved: d === -5 ? 0 : 1,
        callback_satisfaction: 'basically',
      })
      .where('id', '=', r.id)
      .execute();
  }
  // The audit log: an account, a role change, a unit, settings, the calendar, a password reset.
  const created = await admin.json<{ user: { id: string } }>('POST', '/staff/api/admin/users', {
    username: seeded('zhaoview'),
    displayName: seeded('赵查看'),
    role: 'viewer',
    password: TEST_PASSWORD,
    unitIds: [],
  });
  await admin.json('PATCH', `/staff/api/admin/users/${created.user.id}`, { role: 'supervisor', confirmRoleChange: true });
  await admin.json('PATCH', `/staff/api/admin/users/${handler.id}`, { active: false });
  await admin.json('PATCH', `/staff/api/admin/users/${handler.id}`, { password: 'another long secret 42' });
  await admin.json('POST', '/staff/api/admin/units', { name: seeded('社区居委会') });
  await admin.json('PUT', '/staff/api/admin/settings', {
    listCutoff: '11:30',
    dispatchWorkdays: 2,
    territories: [seeded('一村'), seeded('二村')],
  });
  await admin.json('PUT', '/staff/api/admin/calendar', { overrides: [{ date: '2027-01-04', kind: 'holiday', name: seeded('测试假日') }] });

  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
  await loginInBrowser(page, `${base}/staff/`, 'wangadmin');
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The page's words: visible text, option labels, and the attributes a screen reader or hover shows. */
async function pageText(): Promise<string> {
  return page.evaluate(() => {
    const attrs = ['title', 'placeholder', 'aria-label', 'alt'];
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('*'))
      for (const a of attrs) {
        const v = el.getAttribute(a);
        if (v) parts.push(v);
      }
    for (const o of document.querySelectorAll('option')) parts.push(o.textContent ?? '');
    return parts.join('\n');
  });
}

/** Waits until the page has loaded its data: no "loading" text and the same text twice in a row. */
async function settled(loading: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 40; i++) {
    await page.waitForTimeout(250);
    const now = await pageText();
    if (now === last && !now.includes(loading)) return now;
    last = now;
  }
  return last;
}

function strip(text: string): string {
  let s = text;
  for (const d of [...data].sort((a, b) => b.length - a.length)) s = s.split(d).join(' ');
  return s
    .replace(/https?:\/\/\S*/g, ' ') // an address is a name
    .replace(/[A-Za-z_]*(\.[A-Za-z_]+)+/g, ' ') // a dotted name: a prompt key (start.title), a host name
    .replace(/(::ffff:)?\d{1,3}(\.\d{1,3}){3}/g, ' ') // a client IP address
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ');
}

/** Latin words in a Chinese page (acronyms allowed), Han characters in an English one; with context. */
function foreign(text: string, lang: 'zh' | 'en'): string[] {
  const s = strip(text);
  const out = new Set<string>();
  const re = lang === 'zh' ? /[A-Za-z][A-Za-z_-]*/g : /[\u3000-\u303f\u3400-\u9fff\uff08-\uff1b]+/g;
  for (const m of s.matchAll(re)) {
    if (lang === 'zh' && ACRONYMS.has(m[0])) continue;
    out.add(`${m[0]} «${s.slice(Math.max(0, m.index - 20), m.index + m[0].length + 20).replace(/\s+/g, ' ')}»`);
  }
  return [...out];
}

async function visitAll(lang: 'zh' | 'en'): Promise<Record<string, string[]>> {
  const loading = lang === 'zh' ? '加载中' : 'Loading';
  await page.evaluate((l) => localStorage.setItem('sb.lang', l), lang);
  await page.goto(`${base}/staff/#/cases`);
  await page.reload();
  await page.locator('header.top').waitFor();
  const hrefs = await page.locator('header.top nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  expect(hrefs.length).toBeGreaterThan(5);
  const found: Record<string, string[]> = {};
  for (const h of [...hrefs, `#/case/${caseId}`]) {
    await page.goto(`${base}/staff/${h}`);
    const words = foreign(await settled(loading), lang);
    if (words.length) found[h] = words;
  }
  // A server error is shown in the page's language (a weak password for a new account).
  await page.goto(`${base}/staff/#/admin`);
  await settled(loading);
  const form = page.locator('form.inline').first();
  await form.locator('input[name=username]').fill('weakling');
  await form.locator('input[name=displayName]').fill('弱密码');
  await form.locator('input[name=password]').fill('aaaaaaaaaa');
  await form.getByRole('button').click();
  const msg = page.getByRole('status');
  await msg.waitFor();
  const err = foreign((await msg.textContent()) ?? '', lang);
  if (err.length) found['server error'] = err;
  expect(await msg.textContent()).toBe(
    lang === 'zh' ? '密码至少 10 位，且不能太容易猜' : 'The password needs at least 10 characters and must not be easy to guess',
  );
  return found;
}

describe('the staff app speaks one language at a time', () => {
  it('zh-CN: no Latin words on any page except names, numbers and acronyms', async () => {
    data.push('English', 'weakling'); // the language switch names the other language
    expect(await visitAll('zh')).toEqual({});
  });

  it('en: no Chinese on any page except the data', async () => {
    data.push('中文', '弱密码');
    expect(await visitAll('en')).toEqual({});
  });
});
