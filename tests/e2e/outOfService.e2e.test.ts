// A booth that is not enrolled, as a resident and a technician see it in Debian Chromium: a calm
// out-of-service screen in Chinese (English one tap away), no way into the resident flow, axe-core
// clean; the technician's hidden corner still opens the PIN pad; and after `booth provision` the
// kiosk shows the start screen by itself, without a reload or a restart.
import { mkdirSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_BOOTH_SETTINGS } from '../../contract/booth.ts';
import { runCli } from '../../main/cli.ts';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import { hashPin } from '../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../main/technician/files.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { seedUser, staffLogin } from '../support/staff.ts';
import { axeSerious, SHOTS } from './support/resident.ts';

const quiet = { out: () => undefined, err: () => undefined };

describe('out-of-service kiosk', () => {
  let stack: Stack;
  let booth: BoothCore;
  let dir: string;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    dir = mkdtempSync(path.join(stack.root, 'ft10-'));
    // A PIN from an earlier enrolment (the booth was revoked, or its credential file lost).
    await writeSecret(techFiles(dir).pin, await hashPin('482916'));
    booth = await BoothCore.create({ dataDir: dir, config: BoothConfig.parse({ port: 0, boothCode: 'FT10' }), intakeUrl: stack.intakeUrl });
    await booth.listen(0);
    browser = await launchKioskBrowser();
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await booth?.close();
    await stack?.close();
  });

  it('says plainly, in Chinese first, that the booth cannot be used, and offers nothing to record', async () => {
    await page.goto(booth.kioskUrl);
    await page.getByTestId('out-of-service').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('本机暂时不能使用');
    expect(await page.getByTestId('out-of-service').textContent()).toContain('请联系村里工作人员');
    expect(await page.getByRole('button', { name: /录像|录音|拍照/ }).count()).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'out-of-service-zh-1280x800.png') });
    expect(await axeSerious(page)).toEqual([]);
  });

  it('has the same in English', async () => {
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('This booth cannot be used right now');
    expect(await page.getByTestId('out-of-service').textContent()).toContain('contact the village staff');
    await page.screenshot({ path: path.join(SHOTS, 'out-of-service-en-1280x800.png') });
    expect(await axeSerious(page)).toEqual([]);
  });

  it('still lets the technician reach the PIN pad through the hidden corner', async () => {
    for (let i = 0; i < 5; i++) await page.mouse.click(1280 - 20, 20);
    await page.getByRole('heading', { name: '请输入维护密码' }).waitFor();
  });

  it('returns to the start screen by itself once booth provision has run', async () => {
    await page.goto('about:blank');
    await page.goto(booth.kioskUrl);
    await page.getByTestId('out-of-service').waitFor();
    await seedUser(stack.intake.db, 'admin1', 'admin');
    const admin = await staffLogin(stack.intakeUrl, 'admin1');
    const added = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
      code: 'FT10',
      village: '东村',
      location: '村委会门口',
    });
    expect(
      await runCli(['provision', '--code', added.enrolmentCode, '--intake', stack.intakeUrl, '--pin', '482916', '--data', dir], quiet),
    ).toBe(0);
    await page.getByRole('button', { name: /录像/ }).waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('out-of-service').count()).toBe(0);
  });

  it("shows the back office's own start-screen words (settings prompts) once in service", async () => {
    const r = await booth.settings.offer({
      ...DEFAULT_BOOTH_SETTINGS,
      revision: 99,
      prompts: { 'start.title': '东村说吧', 'start.line.en': 'Tell the village office what bothers you' },
    });
    expect(r.applied).toBe(true);
    await page.goto('about:blank');
    await page.goto(booth.kioskUrl);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('东村说吧');
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => page.locator('.lead').first().textContent()).toBe('Tell the village office what bothers you');
  });
});
