// The side exits of a case, in real Chromium against a real intake: a supervisor escalates one
// (吹哨, to a named agency), marks one invalid with a reason, and marks one a duplicate — whose case
// view then links to the case it duplicates. Same helpers as staff.e2e.test.ts.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { loginInBrowser, seedCase, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');

let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
const c: Record<'escalate' | 'invalid' | 'original' | 'dupe', { id: string; caseNumber: string }> = {} as never;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-exits-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  await seedUser(intake.db, 'zhangsan', 'supervisor');
  const at = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
  c.escalate = await seedCase(intake.db, {
    receivedAt: at(1),
    summary: '河道有人倾倒建筑垃圾',
    location: '村东河道',
    category: 'sanitation',
  });
  c.invalid = await seedCase(intake.db, { receivedAt: at(2), summary: '测试录音，无内容', location: '村委会' });
  c.original = await seedCase(intake.db, { receivedAt: at(5), summary: '8号楼路灯不亮', location: '8号楼' });
  c.dupe = await seedCase(intake.db, { receivedAt: at(3), summary: '8号楼门口路灯坏了', location: '8号楼' });
  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
  await loginInBrowser(page, staffUrl, 'zhangsan');
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const open = async (id: string, caseNumber: string) => {
  await page.goto(`${staffUrl}#/case/${id}`);
  await page.getByRole('heading', { name: new RegExp(caseNumber) }).waitFor();
};
const statusOf = () => page.locator('h1 .status').getAttribute('class');
const history = () => page.locator('ol.history').textContent();

describe('a supervisor takes a case out of the normal flow', () => {
  it('escalates (吹哨) to a named agency', async () => {
    await open(c.escalate.id, c.escalate.caseNumber);
    await page.getByLabel('接收部门').fill('区城管执法局');
    await page.getByRole('button', { name: '吹哨（上报其他部门）' }).click();
    await expect.poll(statusOf).toContain('s-escalated');
    await expect.poll(() => page.locator('h1 .status').textContent()).toBe('已吹哨');
    await expect.poll(() => page.getByText('接收部门: 区城管执法局').count()).toBe(1);
    await expect.poll(history).toContain('吹哨');
    await page.screenshot({ path: path.join(SHOTS, 'staff-escalated-zh.png'), fullPage: true });
    expect(
      await intake.db.selectFrom('cases').select(['status', 'escalated_to']).where('id', '=', c.escalate.id).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'escalated', escalated_to: '区城管执法局' });
  });

  it('marks a case invalid with a reason, and can restore it', async () => {
    await open(c.invalid.id, c.invalid.caseNumber);
    await page.getByLabel('原因', { exact: true }).fill('测试录音');
    await page.getByRole('button', { name: '标为无效' }).click();
    await expect.poll(statusOf).toContain('s-invalid');
    await expect.poll(history).toContain('标为无效');
    await page.getByRole('button', { name: '恢复' }).click();
    await expect.poll(statusOf).toContain('s-new');
    await page.getByLabel('原因', { exact: true }).fill('测试录音');
    await page.getByRole('button', { name: '标为无效' }).click();
    await expect.poll(statusOf).toContain('s-invalid');
  });

  it('refuses a duplicate of an unknown case, then marks it a duplicate that links to the original', async () => {
    await open(c.dupe.id, c.dupe.caseNumber);
    await page.getByLabel('重复于工单编号').fill('XX99-20260101-0001');
    await page.getByRole('button', { name: '标为重复' }).click();
    await expect.poll(() => page.getByText('找不到被重复的工单').count()).toBeGreaterThan(0);
    expect(await statusOf()).toContain('s-new');

    await page.getByLabel('重复于工单编号').fill(c.original.caseNumber);
    await page.getByRole('button', { name: '标为重复' }).click();
    await expect.poll(statusOf).toContain('s-duplicate');
    const link = page.locator('a.duplicate-of');
    await expect.poll(() => link.textContent()).toBe(c.original.caseNumber);
    await page.screenshot({ path: path.join(SHOTS, 'staff-duplicate-zh.png'), fullPage: true });
    await link.click();
    await page.getByRole('heading', { name: new RegExp(c.original.caseNumber) }).waitFor();
    expect(page.url()).toContain(`#/case/${c.original.id}`);
    expect(await statusOf()).toContain('s-new');
  });

  it('the case list shows the escalated case as 已吹哨', async () => {
    await page.goto(`${staffUrl}#/cases`);
    await page.getByRole('row', { name: new RegExp(c.escalate.caseNumber) }).waitFor();
    await expect.poll(() => page.getByRole('row', { name: new RegExp(c.escalate.caseNumber) }).textContent()).toContain('已吹哨');
  });
});
