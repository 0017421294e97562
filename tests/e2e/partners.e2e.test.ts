// The admin's 系统对接 page in real Chromium: make an API key (shown once), a webhook (its signing
// secret shown once), switch the interface to English while those notices are on screen, and
// revoke the key. Every word on the page follows the language switch (the notices too: they are kept
// as catalogue keys, not as text), and no Han character is left in the English page but the names
// the admin typed. Screenshots in both languages go to tests/output/screenshots.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createIntake, type Intake } from '../../intake/server.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { loginInBrowser, seedUser } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');
let dir: string;
let intake: Intake;
let staffUrl: string;
let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
let page: Page;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(path.join(os.tmpdir(), 'partners-e2e-'));
  intake = await createIntake({ dataDir: dir });
  staffUrl = `${await intake.app.listen({ host: '127.0.0.1', port: 0 })}/staff/`;
  await seedUser(intake.db, 'root', 'admin');
  browser = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 1366, height: 900 } });
  page = await browser.context.newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The page's visible text without what the admin typed (key and webhook names, the secrets). */
const pageText = async (typed: string[]) => {
  let t = await page.locator('main').innerText();
  for (const x of typed) t = t.replaceAll(x, '');
  return t;
};

describe('系统对接 (partner systems) in Chromium', () => {
  it('keys and webhooks are made and shown once, in the language on screen', async () => {
    await loginInBrowser(page, staffUrl, 'root');
    await page.goto(`${staffUrl}#/partners`);
    await page.getByRole('heading', { name: '接入密钥' }).waitFor();
    await page.getByLabel('名称').first().fill('区热线平台');
    await page.getByRole('button', { name: '新增密钥' }).click();
    const once = page.getByTestId('shown-once');
    await once.waitFor();
    const secret = (await once.innerText()).trim();
    expect(secret).toMatch(/^sbk_/);
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('此密钥只显示这一次');
    await page.screenshot({ path: path.join(SHOTS, 'staff-partners-zh.png'), fullPage: true });

    // Switch to English with the notice still on screen: it is re-worded, the secret stays.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'API keys' }).waitFor();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('this key is shown only once');
    expect((await once.innerText()).trim()).toBe(secret);
    const status = page.getByRole('status');
    expect(await status.innerText()).toBe('Saved');
    expect((await pageText(['区热线平台', secret])).match(/\p{Script=Han}+/gu) ?? []).toEqual([]);

    // Dates are one format in both languages (digits, the back office's zone).
    const lastUse = await page.locator('table.cases').first().locator('tbody tr').first().locator('td').nth(5).innerText();
    expect(lastUse).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // The form is cleared for the next key.
    expect(await page.getByLabel('Name').first().inputValue()).toBe('');

    // A webhook for two events: its signing secret is shown once, worded in English.
    await page.locator('form').nth(1).getByLabel('Name').fill('grid-system');
    await page.getByLabel('Receiving URL').fill('https://grid.example.gov.cn/hooks/sayit');
    await page.getByRole('checkbox', { name: 'dispatched' }).check();
    await page.getByRole('checkbox', { name: 'closed' }).check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('The signing secret is shown only once');
    expect((await once.innerText()).trim()).toMatch(/^whsec_/);
    await expect.poll(() => page.locator('table.cases').nth(1).locator('tbody tr').first().innerText()).toContain('dispatched, closed');
    const en = await pageText(['区热线平台', secret, (await once.innerText()).trim()]);
    expect(en.match(/\p{Script=Han}+/gu) ?? []).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'staff-partners-en.png'), fullPage: true });
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.getByRole('alert').innerText()).toContain('签名密钥只显示这一次');
    await page.screenshot({ path: path.join(SHOTS, 'staff-partners-webhook-zh.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();

    // Revoke in English; the confirmation is English too.
    page.once('dialog', (d) => {
      expect(d.message()).toMatch(/^Revoke “区热线平台”\? Systems using it lose access at once\.$/);
      void d.accept();
    });
    await page.getByRole('button', { name: 'Revoke' }).click();
    await expect.poll(() => page.locator('table.cases').first().locator('tbody tr').first().innerText()).toContain('revoked');
    const r = await fetch(`${staffUrl.replace(/\/staff\/$/, '')}/open311/v2/services.json?api_key=${secret}`);
    expect(r.status).toBe(403);
  }, 90_000);
});
