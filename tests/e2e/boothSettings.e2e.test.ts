// Booth settings end to end: an admin opens the staff app's booth settings page (Chinese first,
// English one tap away), a bad idle timeout and a too-long place are named next to their fields and
// nothing is saved; the admin then sets the idle timeout to 30 s and adds a quick-pick place. The
// enrolled booth pulls them with its next heartbeat (nobody calls pullSettings), and the kiosk uses
// them: the place is a button on the details screen and reaches the case, and an untouched screen
// goes back to the start after 30 s instead of 90 (the page's clock moved by Playwright).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoothSettings } from '../../contract/booth.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { loginInBrowser, seedUser, staffLogin, type StaffClient } from '../support/staff.ts';
import { beginAnonymous, openKiosk, screen, tap, takePhotos, waitScreen } from './support/resident.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const PLACE = '东门菜市场';

describe('booth settings page → booth → kiosk', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let staff: Page;
  let admin: StaffClient;
  const shot = (name: string) => staff.screenshot({ path: path.join(SHOTS, `staff-booth-settings-${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    // An enrolled booth heartbeating every 10 s (the shortest allowed).
    stack = await startStack({ heartbeatSec: 10 });
    await seedUser(stack.intake.db, 'admin1', 'admin');
    await seedUser(stack.intake.db, 'viewer1', 'viewer');
    admin = await staffLogin(stack.intakeUrl, 'admin1');
    browser = await launchKioskBrowser();
    staff = await browser.context.newPage();
    await staff.setViewportSize({ width: 1280, height: 800 });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('refuses a bad idle timeout and a too-long place next to their fields, and saves nothing', async () => {
    await loginInBrowser(staff, stack.staffUrl, 'admin1');
    await staff.getByRole('link', { name: '设备设置' }).click();
    await staff.getByRole('heading', { name: '设备设置' }).waitFor();
    await expect.poll(() => staff.getByTestId('settings-revision').textContent()).toBe('当前版本：第 0 版');
    const idle = staff.getByLabel('无人操作自动返回首页（秒）');
    expect(await idle.inputValue()).toBe('90');
    await shot('zh');

    await idle.fill('5');
    await staff.getByLabel('居民可直接点选的地点（每行一个）').fill(`村委会门口\n${'很'.repeat(41)}`);
    await staff.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => staff.getByTestId('error-idleTimeoutSec').textContent()).toBe('请填 30 到 600 之间的整数');
    expect(await staff.getByTestId('error-quickPickPlaces').textContent()).toBe('第 2 行：每个地点 1 到 40 个字');
    expect(await idle.getAttribute('aria-invalid')).toBe('true');
    expect(await staff.getByRole('alert').textContent()).toContain('有 2 处需要修改');
    await shot('zh-errors');
    expect((await admin.json<BoothSettings>('GET', '/staff/api/fleet/settings')).revision).toBe(0);
  });

  it('saves the idle timeout and a quick-pick place as revision 1', async () => {
    await staff.getByLabel('无人操作自动返回首页（秒）').fill('30');
    await staff.getByLabel('居民可直接点选的地点（每行一个）').fill(`村委会门口\n${PLACE}`);
    await staff.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => staff.getByRole('status').textContent()).toBe('已保存为第 1 版。设备会在下一次心跳时取到。');
    expect(await staff.getByTestId('error-idleTimeoutSec').count()).toBe(0);
    expect(await admin.json<BoothSettings>('GET', '/staff/api/fleet/settings')).toMatchObject({
      revision: 1,
      idleTimeoutSec: 30,
      quickPickPlaces: ['村委会门口', PLACE],
    });
  });

  it('is in English one tap away, errors included', async () => {
    await staff.getByRole('button', { name: 'English' }).click();
    await staff.getByRole('heading', { name: 'Booth settings' }).waitFor();
    expect(await staff.getByTestId('settings-revision').textContent()).toBe('Current revision: 1');
    expect(await staff.getByLabel('Back to the start screen after no touch for (seconds)').inputValue()).toBe('30');
    await shot('en');
    await staff.getByLabel('Longest video (seconds)').fill('ten');
    await staff.getByLabel('Upload only in these windows (one per line, e.g. 22:00-06:00; empty = any time)').fill('22:00-06:00\nevenings');
    await staff.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => staff.getByTestId('error-videoSec').textContent()).toBe('A whole number from 10 to 900');
    expect(await staff.getByTestId('error-uploadWindows').textContent()).toBe(
      'Line 2: Write start-end, e.g. 22:00-06:00 (times 00:00 to 23:59)',
    );
    await shot('en-errors');
    expect((await admin.json<BoothSettings>('GET', '/staff/api/fleet/settings')).revision).toBe(1);
    await staff.getByRole('button', { name: '中文' }).click();
  });

  it('is for admins only', async () => {
    const viewer = await staffLogin(stack.intakeUrl, 'viewer1');
    expect((await viewer.fetch('GET', '/staff/api/fleet/settings')).status).toBe(403);
  });

  it('the booth pulls them with its heartbeat, and the kiosk offers the new place', async () => {
    // No pullSettings() by hand: the booth's heartbeat tick brings revision 1.
    await eventually(() => stack.core.kioskConfig().backOffice?.revision === 1, 'revision 1 on the booth', 40_000);
    expect(stack.core.kioskConfig()).toMatchObject({ idleTimeoutSec: 30, backOffice: { quickPickPlaces: ['村委会门口', PLACE] } });

    const kiosk = await browser.context.newPage();
    await openKiosk(kiosk, stack.kioskUrl);
    await beginAnonymous(kiosk, '拍照', null);
    await takePhotos(kiosk, 1);
    await tap(kiosk, '下一步');
    await waitScreen(kiosk, 'review');
    await tap(kiosk, '下一步');
    await waitScreen(kiosk, 'details');
    const place = kiosk.getByRole('button', { name: PLACE });
    await place.click();
    await expect.poll(() => place.getAttribute('aria-pressed')).toBe('true');
    await kiosk.screenshot({ path: path.join(SHOTS, 'kiosk-quick-pick-from-settings-1280x800.png') });
    await tap(kiosk, '下一步');
    await waitScreen(kiosk, 'summary');
    await tap(kiosk, /立即上传/);
    await waitScreen(kiosk, 'receipt');
    const caseNumber = (await kiosk.getByTestId('case-number').textContent())!.trim();
    const row = stack.core.outbox.byCaseNumber(caseNumber)!;
    await eventually(() => stack.core.outbox.get(row.id)?.deliveredAt, 'delivery');
    const c = (await stack.intake.store.listCases(50)).find((x) => x.case_number === caseNumber);
    expect(c?.location).toBe(PLACE);
    await kiosk.close();
  });

  it('and the kiosk goes back to the start after 30 s untouched, not 90', async () => {
    const kiosk = await browser.context.newPage();
    await kiosk.clock.install();
    await openKiosk(kiosk, stack.kioskUrl);
    await tap(kiosk, '录像');
    await waitScreen(kiosk, 'identity');
    await kiosk.clock.runFor(25_000);
    expect(await screen(kiosk)).toBe('identity'); // still there at 25 s (the countdown is showing)
    await kiosk.clock.runFor(6_000);
    await waitScreen(kiosk, 'start', 10_000);
    await kiosk.close();
  });
});
