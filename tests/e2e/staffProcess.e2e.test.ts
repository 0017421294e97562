// The 接诉即办 process in real Chromium against a real intake (issue 15): a supervisor cannot
// dispatch before 诉求内容 is written, dispatches; the unit's handler acknowledges (签收), asks for an
// extension (延期) and returns another case (退单); the supervisor sees both in the inbox, approves
// the extension on 待审批, finds the returned case waiting for dispatch on 即将到期, and escalates
// the first case to its 包案 leader; the leader sees it on 我的包案 with its clock and hands it back
// down to the district department. Screenshots in Chinese and English go to tests/output/screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { writeSettings } from '../../intake/staff/settings.ts';
import { addDays } from '../../intake/casework/time.ts';
import { dueDateOf } from '../../intake/casework/process.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { sampleJpeg } from '../support/fakeMedia.ts';
import { loginInBrowser, seedCase, seedUnit, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');

let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
let caseA: { id: string; caseNumber: string };
let caseB: { id: string; caseNumber: string };

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-process-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  const db = intake.db;
  const wuye = await seedUnit(db, '物业公司');
  await seedUnit(db, '城管队');
  await seedUser(db, 'boss', 'supervisor');
  await seedUser(db, 'clerk', 'handler', [wuye]);
  await seedUser(db, 'admin1', 'admin');
  const town = await seedUser(db, 'town', 'supervisor');
  const district = await seedUser(db, 'district', 'supervisor');
  const leader = await seedUser(db, 'leader', 'handler');
  await db.updateTable('staff_users').set({ display_name: '赵镇长' }).where('id', '=', town.id).execute();
  await db.updateTable('staff_users').set({ display_name: '钱局长' }).where('id', '=', district.id).execute();
  await db.updateTable('staff_users').set({ display_name: '孙书记' }).where('id', '=', leader.id).execute();
  await writeSettings(db, {
    territories: ['一村', '二村'],
    escalationOwners: [
      { level: 1, userId: town.id, territory: '' },
      { level: 2, userId: district.id, territory: '' },
      { level: 3, userId: leader.id, territory: '' },
    ],
  });
  const now = Date.now();
  // A: today's case, no summary yet, with a photo beside the 诉求内容 field.
  caseA = await seedCase(db, {
    receivedAt: new Date(now - 3_600_000).toISOString(),
    summary: '',
    location: '8号楼',
    territory: '一村',
    media: { file: sampleJpeg(), kind: 'photo', mime: 'image/jpeg', mediaRoot: intake.mediaRoot },
  });
  // B: dispatched to 物业公司 this morning; it is a street lamp, the 城管队's duty.
  caseB = await seedCase(db, {
    receivedAt: new Date(now - 7_200_000).toISOString(),
    summary: '北门路灯不亮',
    location: '北门',
    territory: '二村',
    unitId: wuye,
    status: 'assigned',
    dispatchedAt: new Date(now - 5_400_000).toISOString(),
  });
  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `process-${name}.png`), fullPage: true });
const history = () => page.locator('ol.history').textContent();
const openCase = async (id: string) => {
  await page.goto(`${staffUrl}#/case/${id}`);
  await page.locator('article.case .clockbar').waitFor();
};
const logout = async () => {
  await page.getByRole('button', { name: /^(退出|Log out)$/ }).click();
  await page.getByLabel(/用户名|User name/).waitFor();
};

describe('签收, 退单, 延期 and escalation to a 包案 leader and back', () => {
  it('the supervisor cannot dispatch without 诉求内容, writes it beside the photo and dispatches', async () => {
    await loginInBrowser(page, staffUrl, 'boss');
    await openCase(caseA.id);
    expect(await page.locator('.clockbar').textContent()).toContain('待派单');
    const dispatch = page.getByRole('button', { name: '派单', exact: true });
    expect(await dispatch.isDisabled()).toBe(true);
    expect(await page.locator('.actions').first().textContent()).toContain('派单前请先填写诉求内容');
    await page.getByLabel('诉求内容').fill('8号楼电梯停运三天，老人上下楼困难');
    await page.getByRole('button', { name: '保存' }).click();
    await expect.poll(() => dispatch.isDisabled()).toBe(false);
    await page.getByLabel('派给承办单位').selectOption({ label: '物业公司' });
    await dispatch.click();
    await expect.poll(() => page.locator('.clockbar').textContent()).toContain('待签收');
    expect(await page.locator('.process .ack').textContent()).toMatch(/应签收：\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await shot('dispatched-zh');
    await logout();
  });

  it('the unit acknowledges (签收), asks for an extension (延期) and returns another case (退单)', async () => {
    await loginInBrowser(page, staffUrl, 'clerk');
    await openCase(caseA.id);
    await page.getByRole('button', { name: '签收', exact: true }).click();
    await page.locator('.s-in_progress').first().waitFor();
    await expect.poll(history).toContain('签收');
    expect(await page.locator('.clockbar').textContent()).toContain('办理时限');
    const due = (await intake.db.selectFrom('cases').select('due_at').where('id', '=', caseA.id).executeTakeFirstOrThrow()).due_at!;
    const later = addDays(dueDateOf(due), 5);
    await page.getByLabel('申请延至').fill(later);
    await page.getByLabel('延期原因').fill('需协调电梯维保单位更换主板');
    await page.getByRole('button', { name: '申请延期' }).click();
    await expect.poll(() => page.locator('.process ul.extensions').textContent()).toContain('待审批');
    await expect.poll(history).toContain('申请延期');

    await openCase(caseB.id);
    await page.getByLabel('退单原因').fill('路灯归城管队管理，不属于物业职责');
    await page.getByRole('button', { name: '退单', exact: true }).click();
    await page.locator('.s-new').first().waitFor();
    await expect.poll(history).toContain('退单');
    expect(await history()).toContain('路灯归城管队管理');
    await shot('returned-zh');
    await logout();
  });

  it('the supervisor hears of both, approves the extension and finds the returned case waiting for dispatch', async () => {
    await loginInBrowser(page, staffUrl, 'boss');
    await page.getByRole('link', { name: '通知' }).click();
    const inbox = page.locator('section.inbox');
    await expect.poll(() => inbox.textContent()).toContain('退单，请重新派单');
    expect(await inbox.textContent()).toContain('延期申请');
    await shot('inbox-zh');

    await page.getByRole('link', { name: '待审批' }).click();
    const row = page.getByRole('row', { name: new RegExp(caseA.caseNumber) });
    await row.waitFor();
    await row.getByPlaceholder('审批意见').fill('同意，请尽快修复');
    await row.getByRole('button', { name: '批准', exact: true }).click();
    await expect.poll(() => page.locator('section.approvals').textContent()).not.toContain(caseA.caseNumber);
    await openCase(caseA.id);
    await expect.poll(history).toContain('延期审批');
    expect(await history()).toContain('审批结果：批准');

    await page.getByRole('link', { name: '即将到期' }).click();
    const waiting = page.getByRole('row', { name: new RegExp(caseB.caseNumber) });
    await waiting.waitFor();
    expect(await waiting.textContent()).toContain('待派单');
    await shot('due-zh');
  });

  it('the supervisor escalates to the 包案 leader; the leader sees it with its clock and hands it back down', async () => {
    await openCase(caseA.id);
    await page.getByLabel('升级到').selectOption({ label: '包案领导' });
    await page.getByLabel('升级原因').fill('电梯停运影响老人出行，需领导协调');
    await page.getByRole('button', { name: '升级', exact: true }).click();
    await expect.poll(() => page.locator('.process .escalation').textContent()).toContain('包案领导');
    expect(await page.locator('.process .escalation').textContent()).toContain('孙书记');
    await shot('escalated-zh');
    await logout();

    await loginInBrowser(page, staffUrl, 'leader');
    await page.getByRole('link', { name: '我的包案' }).click();
    const mine = page.getByRole('row', { name: new RegExp(caseA.caseNumber) });
    await mine.waitFor();
    expect(await mine.textContent()).toMatch(/包案领导.*办理时限/);
    await shot('mine-zh');
    await page.getByRole('link', { name: '通知' }).click();
    await expect.poll(() => page.locator('section.inbox').textContent()).toContain('升级给您');
    await openCase(caseA.id);
    await page.getByLabel('退回说明').fill('资金已落实，请区级部门督办');
    await page.getByRole('button', { name: '退回下一级' }).click();
    await expect.poll(() => page.locator('.process .escalation').textContent()).toContain('区级部门');
    expect(await page.locator('.process .escalation').textContent()).toContain('钱局长');
    await expect.poll(history).toContain('退回下一级');
    await shot('handed-back-zh');
    await page.getByRole('link', { name: '我的包案' }).click();
    await expect.poll(() => page.locator('section.mine').textContent()).toContain('没有符合条件的工单');
  });

  it('reads the same in English', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await openCase(caseA.id);
    const text = (await page.locator('article.case').textContent()) ?? '';
    expect(text).toContain('District department');
    expect(text).toContain('handed back down');
    await shot('case-en');
    await page.getByRole('link', { name: 'Notices' }).click();
    await expect.poll(() => page.locator('section.inbox').textContent()).toContain('Escalated to you');
    await shot('inbox-en');
    await page.getByRole('button', { name: '中文' }).click();
    await logout();
    await loginInBrowser(page, staffUrl, 'admin1');
    await page.getByRole('link', { name: '流程设置' }).click();
    await page.locator('table.owners').waitFor();
    expect(await page.locator('section.process-settings').textContent()).toContain('包案领导');
    await shot('settings-zh');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('section.process-settings').textContent()).toContain('Leader in charge');
    await shot('settings-en');
  });
});
