// The technician's service screen in Debian Chromium with two fake cameras: a few stray corner
// taps do nothing; five open the PIN pad; a wrong PIN is refused; the right one opens the screen;
// the second camera is assigned as the face camera and saved; the next resident recording opens
// exactly that camera; a native-USB reader port named in plain words and checked; a real test read
// of the simulator's test card, shown masked.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hashPin } from '../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../main/technician/files.ts';
import { loadMapping, saveMapping } from '../../main/technician/mapping.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const PIN = '482916';

declare global {
  interface Window {
    __gum: { videoDeviceId: string | null }[];
  }
}

async function cornerTaps(page: Page, n: number) {
  for (let i = 0; i < n; i++) await page.mouse.click(1280 - 20, 20);
}

async function typePin(page: Page, pin: string) {
  for (const d of pin) await page.getByRole('button', { name: d, exact: true }).click();
  await page.getByRole('button', { name: '确定' }).click();
}

describe('service screen', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    // What `booth provision` leaves behind: the technician PIN's hash.
    await writeSecret(techFiles(stack.core.dataDir).pin, await hashPin(PIN));
    browser = await launchKioskBrowser({
      fakeDevices: false,
      extraArgs: ['--use-fake-device-for-media-stream=device-count=2', '--use-fake-ui-for-media-stream'],
    });
    page = await browser.context.newPage();
    // Record which camera every getUserMedia call actually opened.
    await page.addInitScript(() => {
      window.__gum = [];
      const orig = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (c) => {
        const s = await orig(c);
        window.__gum.push({ videoDeviceId: s.getVideoTracks()[0]?.getSettings().deviceId ?? null });
        return s;
      };
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('stays hidden from stray taps, refuses a wrong PIN, opens with the right one', async () => {
    await page.goto(stack.kioskUrl);
    await page.getByRole('button', { name: /录像/ }).waitFor();
    await cornerTaps(page, 3);
    await expect.poll(() => page.getByText('请输入维护密码').count()).toBe(0);
    await page.waitForTimeout(3100); // the gesture window passes
    await cornerTaps(page, 5);
    await page.getByRole('heading', { name: '请输入维护密码' }).waitFor();
    await typePin(page, '111111');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('密码不正确');
    await typePin(page, PIN);
    await page.getByRole('heading', { name: '维护界面' }).waitFor();
    // The stack's booth holds a credential handed over at start (as `npm start`'s embedded intake
    // does, not a provisioning token file): it is enrolled, and its back office answers.
    await expect.poll(() => page.getByTestId('service-network').textContent()).toMatch(/后台可以连接.*待上传 0 件/);
  });

  it('assigns the second camera as the face camera, and the next recording uses it', async () => {
    const faceButtons = page.getByRole('button', { name: '人脸摄像头' });
    await expect.poll(() => faceButtons.count(), { timeout: 15_000 }).toBe(2);
    await expect
      .poll(
        () => page.locator('video.service-preview').evaluateAll((vs) => vs.filter((v) => (v as HTMLVideoElement).readyState >= 2).length),
        { timeout: 15_000 },
      )
      .toBe(2);
    await faceButtons.nth(1).click();
    await page.getByRole('button', { name: '证件摄像头' }).nth(0).click();
    await page.getByRole('button', { name: '保存设置' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toContain('已保存');
    await page.screenshot({ path: path.join(SHOTS, 'service-screen-1280x800.png') });

    const saved = JSON.parse(readFileSync(techFiles(stack.core.dataDir).hardware, 'utf8')) as {
      faceCamera: { deviceId: string; label: string };
    };
    expect(saved.faceCamera.label).toBe('fake_device_1');

    await page.getByRole('button', { name: '退出维护' }).click();
    await page.getByRole('button', { name: /录像/ }).click();
    // The resident flow (renderer/flow/): identity, optional phone, then the camera's preview.
    await page.getByRole('button', { name: /匿名反映/ }).click();
    await page.getByRole('button', { name: '不留电话' }).click();
    await page.getByRole('button', { name: '开始录像' }).click();
    await expect.poll(() => page.getByRole('button', { name: '停止' }).isEnabled(), { timeout: 15_000 }).toBe(true);
    const last = await page.evaluate(() => window.__gum.at(-1));
    expect(last?.videoDeviceId).toBe(saved.faceCamera.deviceId);
    await page.getByRole('button', { name: '停止' }).click();
  });

  it('reads a real card, shown masked; the simulator’s test card switch lays its card on and takes it off', async () => {
    expect(stack.core.realname.info().simulated).toBe(true);
    // A native-USB reader mapped as the port (the live session keeps the simulator until a restart).
    await saveMapping(stack.core.dataDir, { ...(await loadMapping(stack.core.dataDir)), readerPort: 'usb:0400:c35a' });
    // A fresh kiosk page at its start screen (the last test left the old one mid-recording).
    await page.close();
    page = await browser.context.newPage();
    await page.goto(stack.kioskUrl);
    await page.getByRole('button', { name: /录像/ }).waitFor();
    await cornerTaps(page, 5);
    await typePin(page, PIN);
    await page.getByRole('heading', { name: '维护界面' }).waitFor();
    const port = page.getByRole('combobox', { name: '端口' });
    await expect.poll(() => port.inputValue()).toBe('usb:0400:c35a');
    expect(await port.locator('option:checked').textContent()).toBe('USB 读卡器（直连） · 精伦 iDR200 family (SAM_V) · usb:0400:c35a');
    // No such reader on this machine: the check says so, naming it.
    await page.getByRole('button', { name: '检查读卡器' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent())
      .toBe('找不到读卡器（USB 读卡器（直连） · 精伦 iDR200 family (SAM_V) · usb:0400:c35a）：请检查读卡器的线。');
    const testCard = page.getByRole('button', { name: /放上测试卡|拿走测试卡/ });
    await expect.poll(() => testCard.getAttribute('aria-pressed')).toBe('false');
    await testCard.click();
    await expect.poll(() => testCard.getAttribute('aria-pressed')).toBe('true');
    expect(stack.core.realname.simulator!.reader.presented?.id).toBe('resident');

    // One SW3 41 (the card moved during the read): read all the same, and the count shows.
    stack.core.realname.simulator!.reader.faultOnce('readBase', { sw3: 0x41 });
    await page.getByRole('button', { name: '读一张卡' }).click();
    const result = page.getByTestId('service-read-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toBe('读到了：居民身份证 · 张** · 110***********1235');
    await expect.poll(() => page.getByTestId('reader-retries').textContent()).toMatch(/^开机以来：重发命令 0 次，重新读卡 [1-9]\d* 次$/);
    // Masked on the screen, and the full record never reached the page.
    const html = await page.content();
    expect(html).not.toContain('张测试');
    expect(html).not.toContain('110106199003071235');
    await page.screenshot({ path: path.join(SHOTS, 'service-read-card-1280x800.png') });

    await testCard.click();
    await expect.poll(() => testCard.getAttribute('aria-pressed')).toBe('false');
    expect(stack.core.realname.simulator!.reader.presented).toBeNull();
    await page.getByRole('spinbutton', { name: '最多等（秒）' }).fill('2');
    await page.getByRole('button', { name: '读一张卡' }).click();
    await expect.poll(() => result.textContent(), { timeout: 10_000 }).toContain('2 秒内没有读到卡');
    await page.getByRole('button', { name: '退出维护' }).click();
  });

  it('the self-test, reader list, printer settings and CA field, in Chinese and in English (issue 20)', async () => {
    await saveMapping(stack.core.dataDir, { ...(await loadMapping(stack.core.dataDir)), readerPort: null });
    await page.close();
    page = await browser.context.newPage();
    await page.goto(stack.kioskUrl);
    await page.getByRole('button', { name: /录像/ }).waitFor();
    await cornerTaps(page, 5);
    await typePin(page, PIN);
    await page.getByRole('heading', { name: '维护界面' }).waitFor();
    // The doctor's checks as the running core sees them, in plain Chinese, and 重新检查 runs them again.
    const checks = page.getByTestId('service-checks').locator('li');
    await expect.poll(() => checks.count(), { timeout: 30_000 }).toBe(9);
    expect(await page.locator('[data-check="intake"]').textContent()).toBe('后台连接 正常');
    expect(await page.locator('[data-check="credential"]').getAttribute('data-status')).toBe('ok');
    // This machine has no cameras: a plain action, no English.
    expect(await page.locator('[data-check="cameras"]').textContent()).toMatch(/^摄像头 故障 摄像头没有连接或分配不对/);
    const zhChecks = (await page.getByTestId('service-checks').textContent()) ?? '';
    expect(zhChecks.replace(/USB/g, '')).not.toMatch(/[A-Za-z]{2,}/);
    await page.screenshot({ path: path.join(SHOTS, 'service-selftest-zh-1280x800.png') });
    await page.getByTestId('service-recheck').click();
    await expect.poll(() => page.getByTestId('service-recheck').textContent(), { timeout: 30_000 }).toBe('重新检查');
    // The simulator's port is in the reader list (development), so 检查读卡器 can check it.
    const port = page.getByRole('combobox', { name: '端口' });
    const sim = stack.core.realname.simulator!.portPath;
    expect(await port.locator(`option[value="${sim}"]`).textContent()).toBe(`模拟读卡器 · ${sim}`);
    await port.selectOption(sim);
    await page.getByRole('button', { name: '检查读卡器' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`读卡器（模拟读卡器 · ${sim}）正常，正在为本机工作。`);
    // Printer settings: a network printer, saved, then the test page in Chinese.
    await page.getByTestId('printer-kind').selectOption('tcp');
    await page.getByRole('textbox', { name: '网络地址' }).fill('127.0.0.1');
    await page.getByRole('spinbutton', { name: '端口' }).fill('9');
    await page.getByRole('button', { name: '保存打印机设置' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe('打印机设置已保存，下一张回执起生效。');
    expect(stack.core.config.printer).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 9 });
    await page.getByRole('button', { name: '打印测试页' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toBe('打印机没有接收测试页：请检查纸、电源和线。');
    // Re-enrolment to plain http elsewhere is refused before the code is spent, in Chinese.
    await page.getByRole('textbox', { name: '登记码' }).fill('ABCDE-12345');
    await page.getByRole('textbox', { name: '后台地址' }).fill('http://192.0.2.7:8080');
    await page.getByRole('button', { name: '登记', exact: true }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(/^后台地址必须以 https:\/\/ 开头/);
    await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
    await page.screenshot({ path: path.join(SHOTS, 'service-screen-zh-1280x800.png') });

    // English for a visiting support engineer: every message follows.
    await page.getByTestId('service-language').click();
    await page.getByRole('heading', { name: 'Service' }).waitFor();
    expect(await page.locator('[data-check="intake"]').textContent()).toMatch(/^Back office OK/);
    await page.getByRole('button', { name: 'Print test page' }).click();
    await expect
      .poll(() => page.getByRole('status').textContent(), { timeout: 20_000 })
      .toBe('The printer did not take the test receipt: check paper, power and cable.');
    const main =
      (await page.locator('main').evaluate((m) => {
        const clone = m.cloneNode(true) as HTMLElement;
        clone.querySelectorAll('select, [data-testid="service-language"]').forEach((e) => e.remove());
        return clone.textContent;
      })) ?? '';
    expect(main).not.toMatch(/\p{Script=Han}/u);
    await page.locator('main').evaluate((m) => m.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, 'service-selftest-en-1280x800.png') });
    await page.locator('main').evaluate((m) => m.scrollTo(0, m.scrollHeight));
    await page.screenshot({ path: path.join(SHOTS, 'service-screen-en-1280x800.png') });
    await stack.core.savePrinter(null);
    await page.getByRole('button', { name: 'Exit service' }).click();
  });

  it('locks again: the service API refuses calls without a fresh unlock', async () => {
    const res = await fetch(`${stack.core.url}/api/service/state?serviceToken=${'x'.repeat(32)}`, {
      headers: { 'x-booth-token': stack.core.token },
    });
    expect(res.status).toBe(403);
  });
});
