// The receipt a villager can keep (issue 18): real booth core + intake + Debian Chromium with fake
// devices. The receipt shows the short resident number (8 digits, two groups) and a QR code that,
// read back from the screen's pixels with jsQR, is the intake's status page for this very case; that
// page opens in the browser. The printed receipt (a file-backed ESC/POS printer) carries the same
// number and, read back from its raster image, the same QR.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import jsQRModule from 'jsqr';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKioskBrowser } from '../support/chromium.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { type Finding, inspect, type Lang, LANGS } from './support/inspect.ts';
import { beginAnonymous, finish, openKiosk, SHOTS, takePhotos, tap, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

// jsqr is a CommonJS bundle whose types declare an ES default export: take whichever the loader gives.
type JsQR = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;
const jsQR: JsQR = (jsQRModule as unknown as { default?: JsQR }).default ?? (jsQRModule as unknown as JsQR);

/** The QR code in a PNG screenshot, decoded: Chromium turns the PNG into pixels (a blank page, no CSP), jsQR reads them. */
async function decodePng(context: BrowserContext, png: Buffer): Promise<string | null> {
  const blank = await context.newPage();
  try {
    const { width, height, data } = await blank.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.naturalWidth;
      c.height = img.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(img, 0, 0);
      return { width: c.width, height: c.height, data: [...g.getImageData(0, 0, c.width, c.height).data] };
    }, png.toString('base64'));
    return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
  } finally {
    await blank.close();
  }
}

/** The first GS v 0 raster image in ESC/POS bytes, as RGBA for jsQR, decoded. */
function decodePrintedQr(bytes: Buffer): string | null {
  const at = bytes.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]));
  if (at < 0) return null;
  const bytesPerRow = bytes[at + 4]! + 256 * bytes[at + 5]!;
  const height = bytes[at + 6]! + 256 * bytes[at + 7]!;
  const width = bytesPerRow * 8;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const black = (bytes[at + 8 + y * bytesPerRow + (x >> 3)]! & (0x80 >> (x & 7))) !== 0;
      rgba.fill(black ? 0 : 255, (y * width + x) * 4, (y * width + x) * 4 + 3);
      rgba[(y * width + x) * 4 + 3] = 255;
    }
  }
  return jsQR(rgba, width, height)?.data ?? null;
}

describe('the receipt a villager can keep', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;
  let printed: string;
  let printerDir: string;

  beforeAll(async () => {
    printerDir = mkdtempSync(path.join(os.tmpdir(), 'receipt-printer-'));
    printed = path.join(printerDir, 'printer.bin');
    stack = await startStack({ printer: { kind: 'file', path: printed } });
    // The first heartbeat brings a block of resident numbers, the settings pull the status page's address.
    await eventually(() => stack.core.outbox.residentNumbersLeft() > 0, 'a block of resident numbers');
    await eventually(() => stack.core.settings.value.statusBaseUrl, 'the status page address in the settings');
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(printerDir, { recursive: true, force: true });
  });

  it('shows the resident number and a QR that opens this case’s status page; prints both', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '拍照', '13812345678');
    await takePhotos(page, 1);
    await tap(page, '下一步');
    await waitScreen(page, 'review');
    const caseNumber = await finish(page);
    expect(caseNumber).toMatch(/^SIM01-\d{8}-\d{4}$/);

    const shown = (await page.getByTestId('resident-number').textContent())!;
    const digits = shown.replace(/\s/g, '');
    expect(digits).toMatch(/^\d{8}$/);
    expect(await page.getByTestId('resident-number').innerText()).toMatch(/^\d{4}\s+\d{4}$/);
    const row = stack.core.outbox.byCaseNumber(caseNumber)!;
    expect(row.residentNumber).toBe(digits);
    await page.screenshot({ path: path.join(SHOTS, 'receipt-number-1280x800.png') });

    // The QR as drawn on screen, read back from its pixels.
    await expect.poll(() => page.locator('.qr svg').count()).toBe(1);
    const url = await decodePng(browser.context, await page.locator('.qr svg').screenshot());
    expect(url).toMatch(new RegExp(`^${stack.intakeUrl}/s/[A-Za-z0-9_-]{32}$`));
    await expect.poll(() => page.locator('.qr figcaption').textContent()).toContain('查看办理进度');

    // Printed: the number large in its two groups, the case number, and the same QR.
    await tap(page, '打印回执');
    await page.getByText('已打印，请取走回执').waitFor();
    const bytes = readFileSync(printed);
    const text = iconv.decode(bytes, 'gb18030');
    expect(text).toContain(`${digits.slice(0, 4)} ${digits.slice(4)}`);
    expect(text).toContain(caseNumber);
    expect(text).not.toContain('138'); // no phone on paper
    expect(decodePrintedQr(bytes)).toBe(url);

    // Once delivered, the QR's address is this case's status page (and before, an honest 404).
    await eventually(() => stack.core.outbox.get(row.id)?.deliveredAt, `delivery of ${caseNumber}`);
    const status = await browser.context.newPage();
    await status.setViewportSize({ width: 390, height: 844 });
    const answer = await status.goto(url!);
    expect(answer!.status()).toBe(200);
    await expect.poll(() => status.locator('main').innerText()).toContain('已收到');
    const body = await status.locator('main').innerText();
    expect(body).toContain(caseNumber);
    expect(body).toContain(`${digits.slice(0, 4)} ${digits.slice(4)}`);
    expect(body).not.toContain('13812345678');
    await status.screenshot({ path: path.join(SHOTS, 'status-from-qr-390x844.png'), fullPage: true });
    // Without the QR: the number as printed and the phone's last 4 digits on the lookup form.
    await status.goto(`${stack.intakeUrl}/s`);
    await status.getByLabel('编号').fill(`${digits.slice(0, 4)} ${digits.slice(4)}`);
    await status.getByLabel('电话后四位').fill('5678');
    await status.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => status.locator('main').innerText()).toContain(caseNumber);

    // The status page in the screen grid's inspection (support/inspect.ts): both languages, a phone
    // and a desktop window, axe, sizes and clipping; as it first is, answered with the rating
    // buttons, and the lookup form.
    const findings: Finding[] = [];
    const web = {
      sizes: [
        { width: 390, height: 844 },
        { width: 1280, height: 800 },
      ],
      minTextPx: 20,
      minTargetPx: 48,
    } as const;
    const look = async (name: string, href: string, lang: Lang) => {
      await status.goto(href);
      await inspect(status, name, lang, findings, { web });
    };
    const en = (href: string, lang: Lang) => (lang === 'en' ? `${href}?lang=en` : href);
    for (const lang of LANGS) await look('40-status-received', en(url!, lang), lang);
    const c = (await stack.intake.store.listCases(5)).find((x) => x.case_number === caseNumber)!;
    await stack.intake.db
      .updateTable('cases')
      .set({
        status: 'answered',
        dispatched_at: new Date().toISOString(),
        answered_at: new Date().toISOString(),
        result: '村委会已经派人修好了南门的路灯，请您看一下。',
      })
      .where('id', '=', c.id)
      .execute();
    for (const lang of LANGS) await look('41-status-answered', en(url!, lang), lang);
    for (const lang of LANGS) await look('42-status-lookup', en(`${stack.intakeUrl}/s`, lang), lang);
    expect(findings).toEqual([]);
    await status.close();
  });
});
