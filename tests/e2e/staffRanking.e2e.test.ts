// A clerk in real Chromium against a real intake (issue 15): opening today's case, the app suggests
// the earlier case at the same place with the same category and links it in one click; the original
// then says 反映 2 次. The three-rate ranking of a chosen week: ranks and changes, the trend with
// values on hover (ECharts), the CSV read back, the print view. Screenshots in both languages go to
// tests/output/screenshots (staff-ranking-*, staff-repeats-*).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { parseCsv } from '../../intake/casework/csv.ts';
import { RANKING_COLUMNS } from '../../intake/casework/ranking.ts';
import { fromWall } from '../../intake/casework/time.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { loginInBrowser, seedCase, seedUnit, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const WEEK_DAY = '2026-11-11'; // a Wednesday: the week of 11-09, the week before 11-02
const iso = (d: string, t: string) => new Date(fromWall(d, t)).toISOString();

let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
let original: { id: string; caseNumber: string };
let repeat: { id: string; caseNumber: string };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-ranking-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  const db = intake.db;
  const [wy, cg, jw] = [await seedUnit(db, '物业公司'), await seedUnit(db, '城管队'), await seedUnit(db, '社区居委会')];
  await seedUser(db, 'clerk', 'supervisor');

  // The same matter twice, ten days apart; and a case elsewhere that is not a repeat.
  const now = Date.now();
  original = await seedCase(db, {
    receivedAt: new Date(now - 10 * 86_400_000).toISOString(),
    summary: '餐馆夜间排风噪音',
    location: '3号楼餐馆',
    category: 'noise',
    unitId: cg,
    status: 'assigned',
    dispatchedAt: new Date(now - 9 * 86_400_000).toISOString(),
  });
  repeat = await seedCase(db, {
    receivedAt: new Date(now - 3_600_000).toISOString(),
    summary: '3号楼餐馆排风又响了',
    location: '3号楼 餐馆',
    category: 'noise',
  });
  await seedCase(db, {
    receivedAt: new Date(now - 5 * 86_400_000).toISOString(),
    summary: '北门噪音',
    location: '北门',
    category: 'noise',
  });

  // Callbacks: the week before, 物业 first and 城管 last; this week the other way round.
  const called = async (unit: string, day: string, contacted: boolean, solved: boolean, satisfaction: string | null, territory: string) => {
    const c = await seedCase(db, {
      receivedAt: iso(day, '08:00'),
      summary: '排名用工单',
      location: '某处',
      category: 'property',
      unitId: unit,
      territory,
      status: 'called_back',
    });
    await db
      .updateTable('cases')
      .set({
        callback_at: iso(day, '16:00'),
        callback_contacted: contacted ? 1 : 0,
        callback_solved: solved ? 1 : 0,
        callback_satisfaction: satisfaction,
      })
      .where('id', '=', c.id)
      .execute();
  };
  await called(wy, '2026-11-03', true, true, 'satisfied', '一村');
  await called(jw, '2026-11-04', true, true, 'basically', '二村');
  await called(jw, '2026-11-04', true, false, 'unsatisfied', '二村');
  await called(cg, '2026-11-05', false, false, 'unsatisfied', '一村');
  await called(cg, '2026-11-10', true, true, 'satisfied', '一村');
  await called(cg, '2026-11-11', true, true, 'satisfied', '二村');
  await called(jw, '2026-11-12', true, false, 'basically', '二村');
  await called(wy, '2026-11-12', true, false, 'unsatisfied', '一村');
  for (const d of ['2026-10-13', '2026-10-20', '2026-10-27'])
    await called([wy, cg, jw][d.charCodeAt(9) % 3]!, d, true, d !== '2026-10-20', 'satisfied', '一村');

  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
  await loginInBrowser(page, staffUrl, 'clerk');
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `staff-${name}.png`), fullPage: true });

describe('repeats: suggested when a case is opened, linked in one click, seen from both', () => {
  it('suggests the earlier case at the same place and category, and links it', async () => {
    await page.goto(`${staffUrl}#/case/${repeat.id}`);
    const suggestion = page.locator(`.suggestions li[data-case="${original.caseNumber}"]`);
    await suggestion.waitFor();
    await expect.poll(() => suggestion.textContent()).toContain('同地点、同类别');
    expect(await page.locator('.suggestions li').count()).toBe(1); // not the case at the north gate
    await shot('repeats-suggested-zh');
    await suggestion.getByRole('button', { name: '关联为重复诉求' }).click();
    await page.locator('.repeat-of').waitFor();
    expect(await page.locator('.repeat-of').textContent()).toContain(original.caseNumber);
    await expect.poll(() => page.locator('ol.history').textContent()).toContain('关联重复诉求');
  });

  it('the original shows its repeat and 反映 2 次', async () => {
    await page.locator('.repeat-of a').click();
    await page.locator('.times-raised').waitFor();
    expect(await page.locator('.times-raised').textContent()).toContain('反映 2 次');
    expect(await page.locator('.repeat-list').textContent()).toContain(repeat.caseNumber);
    await shot('repeats-original-zh');
  });
});

describe('the three-rate ranking of a chosen week', () => {
  it('ranks units with the change against the week before, and shows values on hover', async () => {
    await page.goto(`${staffUrl}#/rates`);
    await page.getByLabel('时段内任一天').fill(WEEK_DAY);
    await expect.poll(() => page.locator('p.window').textContent()).toContain('2026-11-09 至 2026-11-15');
    const rows = page.locator('table.ranking tbody tr');
    await expect.poll(() => rows.count()).toBe(3);
    const cells = async (i: number) => (await rows.nth(i).locator('td').allTextContents()).slice(0, 3);
    expect(await cells(0)).toEqual(['1', '↑ 上升 2 位', '城管队']);
    expect(await cells(1)).toEqual(['2', '持平', '社区居委会']);
    expect(await cells(2)).toEqual(['3', '↓ 下降 2 位', '物业公司']);
    // The trend: hovering over the chart shows the period's values.
    const chart = page.locator('.trend');
    await chart.locator('svg path').first().waitFor({ state: 'attached' });
    const box = (await chart.boundingBox())!;
    await page.mouse.move(box.x + box.width - 40, box.y + box.height / 2);
    await expect
      .poll(async () => (await page.locator('.trend').innerText()) + (await page.locator('body').innerText()))
      .toMatch(/响应率[\s\S]*\d+\.\d%/);
    await shot('ranking-zh');
  });

  it('exports the ranking as CSV (BOM, columns, rank order)', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV', exact: true }).click(),
    ]);
    const file = path.join(dir, 'ranking.csv');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(bytes.toString('utf8'));
    expect(csv[0]).toEqual([...RANKING_COLUMNS.zh]);
    expect(csv.slice(1).map((r) => [r[0], r[1], r[2], r[3]])).toEqual([
      ['1', '3', '2', '城管队'],
      ['2', '2', '0', '社区居委会'],
      ['3', '1', '-2', '物业公司'],
    ]);
  });

  it('prints without the app chrome', async () => {
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    expect(await page.locator('.toolbar').isVisible()).toBe(false);
    await shot('ranking-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('by village, and in English', async () => {
    await page.getByRole('button', { name: '按村（社区）' }).click();
    await expect.poll(() => page.locator('table.ranking tbody tr').count()).toBe(2);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Three-rate ranking' }).waitFor();
    await page.getByRole('button', { name: 'By handling unit' }).click();
    await expect.poll(() => page.locator('table.ranking tbody tr').first().locator('td').nth(1).textContent()).toBe('↑ up 2');
    await shot('ranking-en');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV (English headers)' }).click(),
    ]);
    const file = path.join(dir, 'ranking-en.csv');
    await download.saveAs(file);
    expect(parseCsv(readFileSync(file, 'utf8'))[0]).toEqual([...RANKING_COLUMNS.en]);
  });
});

describe('the home page', () => {
  it('shows the day’s numbers and the cases waiting for dispatch, in both languages', async () => {
    await page.goto(`${staffUrl}#/home`);
    await page.getByRole('heading', { name: 'Home' }).waitFor();
    expect(await page.locator('.home .tile').count()).toBe(7); // 4 numbers + this week's 3 rates
    expect(await page.locator('.home .waiting').textContent()).toContain(repeat.caseNumber);
    await shot('home-en');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('heading', { name: '首页' }).waitFor();
    for (const label of ['今日新收', '待派单', '即将到期', '已超期', '响应率'])
      expect(await page.locator('.home .tiles').first().locator('..').textContent()).toContain(label);
    await shot('home-zh');
  });
});
