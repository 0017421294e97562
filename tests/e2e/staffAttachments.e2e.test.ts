// Staff attachments in real Chromium against a real intake (issue 15). The unit's handler follows a
// link to a case while logged out, logs in and lands on that case (a case link survives the login;
// anything else opens the home page: tests/e2e/staff.e2e.test.ts); adds an after-photo, has a web
// page dressed as a photo refused in Chinese, adds a PDF; opens the photo full screen and downloads
// the PDF (same bytes, named by its title); the history shows both. The page in English; another
// unit's handler sees the list and no upload form. Screenshots go to tests/output/screenshots.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { sampleJpeg } from '../support/fakeMedia.ts';
import { TEST_PASSWORD, seedCase, seedUnit, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);

let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;
let caseId: string;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-attach-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  const wuye = await seedUnit(intake.db, '物业公司');
  const other = await seedUnit(intake.db, '城管队');
  await seedUser(intake.db, 'clerk', 'handler', [wuye]);
  await seedUser(intake.db, 'street', 'handler', [other]);
  caseId = (
    await seedCase(intake.db, {
      receivedAt: new Date(Date.now() - 7_200_000).toISOString(),
      summary: '8号楼楼道灯不亮',
      location: '8号楼',
      unitId: wuye,
      status: 'in_progress',
      dispatchedAt: new Date(Date.now() - 3_600_000).toISOString(),
    })
  ).id;
  writeFileSync(path.join(dir, '处理意见书.pdf'), PDF);
  writeFileSync(path.join(dir, 'fake.jpg'), '<html><script>alert(1)</script></html>');
  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
});

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `attachments-${name}.png`), fullPage: true });
const section = () => page.locator('section.attachments');
const history = () => page.locator('ol.history').textContent();
const login = async (username: string) => {
  await page.getByLabel(/用户名|User name/).fill(username);
  await page.getByLabel(/密码|Password/).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: /^(登录|Log in)$/ }).click();
  await page.locator('header.top').waitFor();
};

describe('staff attachments: after-photos and documents on a case', () => {
  it('a case link survives the login; the unit adds an after-photo, is refused a fake one, adds a PDF', async () => {
    await page.goto(`${staffUrl}#/case/${caseId}`);
    await login('clerk');
    await section().waitFor();
    expect(new URL(page.url()).hash).toBe(`#/case/${caseId}`);
    expect(await section().textContent()).toContain('暂无附件');

    await section().getByLabel('附件名称').fill('整改后照片');
    await section()
      .getByLabel(/照片或 PDF 文件/)
      .setInputFiles(sampleJpeg());
    await section().getByRole('button', { name: '上传附件' }).click();
    await expect.poll(() => section().locator('ul.attachment-list li').count()).toBe(1);
    await expect.poll(history).toContain('上传附件');

    // A web page named .jpg: the server reads the content and refuses it, in the catalogue's words.
    await section().getByLabel('附件名称').fill('假照片');
    await section()
      .getByLabel(/照片或 PDF 文件/)
      .setInputFiles(path.join(dir, 'fake.jpg'));
    await section().getByRole('button', { name: '上传附件' }).click();
    await expect.poll(() => section().getByRole('alert').textContent()).toBe('只能上传照片（JPEG、PNG、WebP）或 PDF 文件');

    await section().getByLabel('附件名称').fill('处理意见书');
    await section()
      .getByLabel(/照片或 PDF 文件/)
      .setInputFiles(path.join(dir, '处理意见书.pdf'));
    await section().getByRole('button', { name: '上传附件' }).click();
    await expect.poll(() => section().locator('ul.attachment-list li').count()).toBe(2);
    expect(await section().getByRole('alert').count()).toBe(0);
    const text = (await section().textContent()) ?? '';
    expect(text).toMatch(/整改后照片 · 照片.*clerk 上传于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}.*处理意见书 · 文件/);
    await shot('case-zh');
  });

  it('opens the photo full screen and downloads the PDF with its own bytes and name', async () => {
    const thumb = section().locator('img.thumb');
    expect(await thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    await thumb.click();
    const zoom = page.getByRole('dialog');
    await zoom.waitFor();
    await expect.poll(() => zoom.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
    await shot('photo-zh');
    await zoom.getByRole('button', { name: '✕' }).click();

    const [download] = await Promise.all([page.waitForEvent('download'), section().getByRole('link', { name: '下载' }).nth(1).click()]);
    expect(download.suggestedFilename()).toBe('处理意见书.pdf');
    const saved = path.join(dir, 'downloaded.pdf');
    await download.saveAs(saved);
    expect(readFileSync(saved).equals(PDF)).toBe(true);
  });

  it('reads in English; another unit sees the list but cannot add', async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => section().locator('h2').textContent()).toBe('Attachments');
    const text = (await section().textContent()) ?? '';
    expect(text).toContain('Photo');
    expect(text).toContain('Document');
    expect(text).toContain('Add attachment');
    expect(text).not.toMatch(/上传|查看|下载|暂无/); // the titles are data; the interface's words are English
    await shot('case-en');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${staffUrl}#/case/${caseId}`);
    await login('street');
    await section().waitFor();
    await expect.poll(() => section().locator('ul.attachment-list li').count()).toBe(2);
    expect(await section().locator('form').count()).toBe(0);
  });
});
