// The village clerk's day in real Chromium against a real intake: log in, open today's new case,
// play its video, categorise, assign, advance the status, record the callback, export the daily
// CSV and read it back (columns, and the noon-to-noon window across midnight). Screenshots of the
// list, case view, daily list and reports in Chinese and English go to tests/output/screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { transcodeForPlayback } from '../../drivers/media/index.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { parseCsv } from '../../intake/casework/csv.ts';
import { LIST_COLUMNS, LIST_COLUMNS_EN } from '../../intake/casework/dailyList.ts';
import { addDays, fromWall, localDate } from '../../intake/casework/time.ts';
import { loadOrCreateKey } from '../../lib/sealed.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';
import { loginInBrowser, seedCase, seedUnit, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const LIST_DAY = '2026-11-03';
const iso = (d: string, t: string) => new Date(fromWall(d, t)).toISOString();

let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
let todays: { id: string; caseNumber: string };
const windowCases: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-e2e-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  const key = await loadOrCreateKey(path.join(dir, 'keys', 'contact.key'));
  const units = [await seedUnit(intake.db, '物业公司'), await seedUnit(intake.db, '城管队'), await seedUnit(intake.db, '社区居委会')];
  await seedUser(intake.db, 'zhangsan', 'supervisor');

  // Today's new case, with a real H.264/AAC rendition and a document photo. The identity is made up.
  const mp4 = path.join(dir, 'rendition.mp4');
  await transcodeForPlayback('video', sampleWebm(3), mp4);
  const now = Date.now();
  todays = await seedCase(
    intake.db,
    {
      receivedAt: new Date(now - 3_600_000).toISOString(),
      summary: '',
      location: '8号楼东侧草坪',
      identity: { name: '王小明', idNumber: '110101199003077571', address: '北京市丰台区某村8号楼3单元201', phone: '13812345678' },
      media: { file: mp4, kind: 'video', mime: 'video/mp4', mediaRoot: intake.mediaRoot },
    },
    key,
  );
  const photoCase = await seedCase(intake.db, {
    receivedAt: new Date(now - 7_200_000).toISOString(),
    summary: '小区门口无照游商占道',
    location: '北门',
    category: 'street_vendor',
    media: { file: sampleJpeg(), kind: 'photo', mime: 'image/jpeg', mediaRoot: intake.mediaRoot },
  });
  void photoCase;

  // The daily list of LIST_DAY: 12:00 on the 2nd to 12:00 on the 3rd, across midnight.
  windowCases.before = (
    await seedCase(intake.db, { receivedAt: iso('2026-11-02', '11:59'), summary: '前一天的清单', location: '5号楼' })
  ).caseNumber;
  windowCases.first = (
    await seedCase(intake.db, {
      receivedAt: iso('2026-11-02', '12:00'),
      summary: '夜间施工噪音扰民',
      location: '3号楼南侧工地',
      category: 'noise',
      unitId: units[1],
      territory: '一村',
      status: 'assigned',
      dispatchedAt: iso('2026-11-02', '14:20'),
    })
  ).caseNumber;
  windowCases.night = (
    await seedCase(intake.db, {
      receivedAt: iso('2026-11-03', '00:05'),
      summary: '暖气不热，室温 14 度',
      location: '12号楼2单元',
      category: 'heating',
      unitId: units[0],
      territory: '二村',
      status: 'in_progress',
      dispatchedAt: iso('2026-11-03', '08:40'),
    })
  ).caseNumber;
  windowCases.last = (
    await seedCase(intake.db, {
      receivedAt: iso('2026-11-03', '11:59'),
      summary: '咨询老年卡办理',
      location: '村委会',
      category: 'consultation',
      territory: '一村',
    })
  ).caseNumber;
  windowCases.after = (
    await seedCase(intake.db, { receivedAt: iso('2026-11-03', '12:00'), summary: '下一天的清单', location: '8号楼' })
  ).caseNumber;

  // History for the reports: callbacks over recent weeks, and a place where noise keeps coming back.
  // These days are relative to today, so keep them out of LIST_DAY's noon-to-noon window whatever
  // the date the suite runs on (the CSV test expects exactly the window cases above).
  const outsideList = (day: string) => (day === LIST_DAY || day === addDays(LIST_DAY, -1) ? addDays(day, -2) : day);
  const cats = ['noise', 'property', 'sanitation', 'heating'];
  const places = ['3号楼餐馆', '8号楼', '北门', '12号楼'];
  for (let i = 0; i < 40; i++) {
    const day = outsideList(addDays(localDate(now), -3 - (i % 70) - Math.floor(i / 2) * 2));
    const { id } = await seedCase(intake.db, {
      receivedAt: iso(day, '10:00'),
      summary: `历史工单 ${i}`,
      location: places[i % 4]!,
      category: cats[(i * 7) % 4]!,
      unitId: units[i % 3]!,
      territory: i % 2 ? '一村' : '二村',
      status: 'called_back',
    });
    await intake.db
      .updateTable('cases')
      .set({
        callback_at: iso(addDays(day, 2), '15:00'),
        callback_contacted: i % 9 === 0 ? 0 : 1,
        callback_solved: i % 4 === 0 ? 0 : 1,
        callback_satisfaction: ['satisfied', 'satisfied', 'basically', 'unsatisfied', null][i % 5] ?? null,
      })
      .where('id', '=', id)
      .execute();
  }
  for (const d of [-5, -12, -20])
    await seedCase(intake.db, {
      receivedAt: iso(outsideList(addDays(localDate(now), d)), '21:30'),
      summary: '餐馆夜间排风噪音',
      location: '3号楼餐馆',
      category: 'noise',
    });

  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `staff-${name}.png`), fullPage: true });

describe('a clerk works a case through the staff app', () => {
  it('logs in on the home page, and sees today’s new case in the list', async () => {
    await loginInBrowser(page, staffUrl, 'zhangsan');
    // After login the app opens on the role's home page, not the case list (issue 15).
    await page.locator('section.home').waitFor();
    expect(new URL(page.url()).hash).toBe('#/home');
    // A case waiting for dispatch has its clock there too, written as everywhere else (it was blank).
    const waiting = page.locator('section.waiting').getByRole('row', { name: new RegExp(todays.caseNumber) });
    expect(await waiting.locator('.clock').textContent()).toMatch(/^待派单 · (时限内|即将到期|已超期) · \d{4}-\d{2}-\d{2} 24:00$/);
    await shot('home-zh');
    await page.getByRole('link', { name: '工单', exact: true }).click();
    const row = page.getByRole('row', { name: new RegExp(todays.caseNumber) });
    await row.waitFor();
    await expect.poll(() => row.textContent()).toContain('新收');
    await shot('list-zh');
  });

  it('opens the case and plays its video', async () => {
    await page.getByRole('link', { name: todays.caseNumber }).click();
    const video = page.locator('article.case video');
    await video.waitFor();
    const played = await video.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 800));
      return { time: v.currentTime, duration: v.duration, error: v.error?.code ?? null };
    });
    expect(played.error).toBeNull();
    expect(played.time).toBeGreaterThan(0);
    expect(played.duration).toBeGreaterThan(2.5);
    await expect.poll(() => page.locator('.identity').textContent()).toContain('110***********7571');
  });

  it('categorises, assigns, advances and records the callback', async () => {
    const saved = () => page.getByRole('status').filter({ hasText: '已保存' }).waitFor();
    await page.getByLabel('诉求内容').fill('居民反映8号楼东侧草坪被踩出小路，希望修步道');
    await page.getByLabel('类别').selectOption('物业管理');
    await page.getByLabel('责任属地').fill('一村');
    await page.getByRole('button', { name: '保存' }).click();
    await saved();
    await page.getByLabel('派给承办单位').selectOption({ label: '物业公司' });
    await page.getByRole('button', { name: '派单', exact: true }).click();
    await page.locator('.deadline').waitFor();
    await expect.poll(() => page.locator('.deadline-detail').textContent()).toMatch(/第4个工作日提醒/);
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await page.locator('.s-in_progress').first().waitFor();
    await page.getByLabel('办理结果').fill('已铺设步道并加装围栏');
    await page.getByRole('button', { name: '答复', exact: true }).click();
    await page.locator('form.callback').waitFor();
    await shot('case-zh');
    await page.getByLabel('已联系诉求人（响应）').check();
    await page.getByLabel('问题已解决（解决）').check();
    await page.getByLabel('满意', { exact: true }).check();
    await page.getByLabel('回访记录').fill('电话回访，居民满意');
    await page.getByRole('button', { name: '记录回访' }).click();
    await page.locator('.s-called_back').first().waitFor();
    const history = await page.locator('ol.history').textContent();
    for (const a of ['修改', '派单', '签收', '答复', '回访']) expect(history).toContain(a);
  });

  it('exports the daily CSV: BOM, columns in order, noon-to-noon across midnight', async () => {
    await page.goto(`${staffUrl}#/lists`);
    await page.getByLabel('日期').fill(LIST_DAY);
    await page.getByRole('cell', { name: windowCases.night! }).waitFor();
    await shot('daily-list-zh');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: '导出 CSV', exact: true }).click(),
    ]);
    const file = path.join(dir, 'daily.csv');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'));
    expect(rows[0]).toEqual([...LIST_COLUMNS]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([windowCases.first, windowCases.night, windowCases.last]);
    expect(rows[2]).toEqual([windowCases.night, '2026-11-03 08:40', '暖气不热，室温 14 度', '12号楼2单元', '物业公司', '二村', '办理中']);
  });

  it('prints the daily list on A4 landscape without the app chrome', async () => {
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
    expect(box).not.toBeNull();
    expect(Number(box![1])).toBeCloseTo(841.89, 0); // A4 landscape, in points
    expect(Number(box![2])).toBeCloseTo(595.28, 0);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.top').isVisible()).toBe(false);
    await shot('daily-list-print');
    await page.emulateMedia({ media: 'screen' });
  });

  it('reports render, and every page has an English version', async () => {
    await page.goto(`${staffUrl}#/rates`);
    await page.locator('.trend svg path').first().waitFor({ state: 'attached' }); // the ECharts trend (SVG renderer)
    await shot('rates-zh');
    await page.goto(`${staffUrl}#/recurring`);
    await page.getByRole('cell', { name: '3号楼餐馆' }).first().waitFor();
    await shot('recurring-zh');

    await page.getByRole('button', { name: 'English' }).click();
    await page.goto(`${staffUrl}#/cases`);
    await page.getByRole('columnheader', { name: 'Case number' }).waitFor();
    await shot('list-en');
    await page.goto(`${staffUrl}#/case/${todays.id}`);
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await shot('case-en');
    await page.goto(`${staffUrl}#/lists`);
    await page.getByLabel('Date').fill(LIST_DAY);
    await page.getByRole('columnheader', { name: 'Territory' }).waitFor();
    await shot('daily-list-en');
    // The English-header CSV is linked next to the (default) Chinese one.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export CSV (English headers)' }).click(),
    ]);
    const file = path.join(dir, 'daily-en.csv');
    await download.saveAs(file);
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(bytes.toString('utf8'));
    expect(rows[0]).toEqual([...LIST_COLUMNS_EN]);
    expect(rows.slice(1).map((r) => r[0])).toEqual([windowCases.first, windowCases.night, windowCases.last]);
    expect(await page.getByRole('link', { name: 'Export CSV (Chinese headers)' }).getAttribute('href')).not.toContain('lang=');
    await page.goto(`${staffUrl}#/rates`);
    await page.getByRole('heading', { name: 'Definitions' }).waitFor();
    await shot('rates-en');
    await page.goto(`${staffUrl}#/recurring`);
    await page.getByRole('heading', { name: 'Category × place × month' }).waitFor();
    await shot('recurring-en');
  });
});
