// The resident flow end to end: real booth core + intake + Debian Chromium with fake camera and
// microphone (files made with ffmpeg). Driven by accessible names, as a person would.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKioskBrowser } from '../support/chromium.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { beginAnonymous, finish, offerVillagePlaces, openKiosk, record, screen, tap, takePhotos, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

async function delivered(stack: Stack, caseNumber: string) {
  const row = stack.core.outbox.byCaseNumber(caseNumber);
  expect(row).not.toBeNull();
  await eventually(() => stack.core.outbox.get(row!.id)?.deliveredAt, `delivery of ${caseNumber}`);
  const c = (await stack.intake.store.listCases(50)).find((x) => x.case_number === caseNumber)!;
  expect(c).toBeDefined();
  return { row: row!, case: c, items: await stack.intake.store.items(c.id) };
}

function sessionFiles(stack: Stack): string[] {
  const dir = path.join(stack.core.dataDir, 'sessions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true }).map(String);
}

describe('resident flow in Chromium with fake devices', () => {
  let stack: Stack;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack();
    // The village's quick-pick places arrive with the back-office settings (issue 8's settings sync).
    await offerVillagePlaces(stack, ['8号楼', '12号楼', '南门']);
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('video, anonymous with a phone number, category and place: arrives at the intake with a duration', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '录像', '13812345678');
    await record(page, '开始录像', 2500);
    // Review plays it back.
    const played = await page.locator('.item video').evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      await v.play();
      await new Promise((r) => setTimeout(r, 500));
      return { t: v.currentTime, err: v.error?.code ?? null };
    });
    expect(played).toMatchObject({ err: null });
    // Review plays the browser's own copy at once; the poster comes when the core's checks finish.
    await expect
      .poll(() => page.locator('.item video').evaluate((v: HTMLVideoElement) => v.poster.startsWith('data:image/jpeg')), {
        timeout: 30_000,
        interval: 250,
      })
      .toBe(true);
    expect(played.t).toBeGreaterThan(0);
    await tap(page, '下一步');
    await waitScreen(page, 'details');
    await tap(page, '噪音扰民');
    await tap(page, '8号楼');
    await tap(page, '下一步');
    await waitScreen(page, 'summary');
    await expect.poll(() => page.locator('.summary').textContent()).toContain('138 1234 5678');
    await tap(page, /立即上传/);
    await waitScreen(page, 'receipt');
    const caseNumber = (await page.getByTestId('case-number').textContent())!.trim();
    expect(caseNumber).toMatch(/^SIM01-\d{8}-\d{4}$/);
    await expect.poll(() => page.locator('.qr svg').count()).toBe(1);

    const d = await delivered(stack, caseNumber);
    expect(d.case.category).toBe('noise');
    expect(d.case.location).toBe('8号楼');
    expect(d.case.contact_sealed).not.toBeNull(); // the phone travels sealed, never in clear
    expect(d.items.map((i) => i.kind)).toEqual(['video']);
    expect(d.items[0]!.duration_sec).toBeGreaterThan(1.5); // remuxed on the booth: the webm carries a duration
    await tap(page, '完成');
    await waitScreen(page, 'start');
    expect(sessionFiles(stack)).toEqual([]);
    await page.close();
  });

  it('audio, anonymous without a phone, with the level meter moving', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '录音', null);
    const meter = page.getByRole('meter', { name: '声音大小' });
    await expect.poll(async () => Number(await meter.getAttribute('aria-valuenow')), { timeout: 10_000 }).toBeGreaterThan(0);
    await record(page, '开始录音', 2000);
    const caseNumber = await finish(page);
    await expect.poll(() => page.locator('.screen-receipt').textContent()).toContain('没有留电话');
    const d = await delivered(stack, caseNumber);
    expect(d.case.contact_sealed).toBeNull();
    expect(d.items.map((i) => [i.kind, i.mime.split(';')[0]])).toEqual([['audio', 'audio/webm']]);
    expect(d.case.category).toBeNull();
    await page.close();
  });

  it('several items in one submission, with re-do and delete', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '拍照', null);
    await takePhotos(page, 3);
    await tap(page, '下一步');
    await waitScreen(page, 'review');
    expect(await page.locator('.items > li').count()).toBe(3);
    // Re-do photo 2 (it is thrown away, the new one takes its place), delete photo 3.
    await tap(page, '重录 照片 2');
    await waitScreen(page, 'capture');
    await page.getByRole('button', { name: '拍照', exact: true }).click();
    await tap(page, '就用这张');
    await waitScreen(page, 'review'); // a re-done photo goes straight back to the list
    await tap(page, '删除 照片 3');
    // Deleting asks first (nothing lost by one wrong tap): 是，放弃 confirms.
    await tap(page, '是，放弃');
    expect(await page.locator('.items > li').count()).toBe(2);
    // Add a video to the same submission.
    await tap(page, '再加录像');
    await waitScreen(page, 'capture');
    await record(page, '开始录像', 1500);
    expect(await page.locator('.items > li').count()).toBe(3);
    expect(stack.core.sessions.size).toBe(1);
    // The video's upload runs behind review: wait for it, then the re-done and the deleted photos left no file behind.
    // Once checked, each recording rests sealed (<itemId>.sealed): no clear copy, no poster file.
    const staged = () => sessionFiles(stack).filter((f) => f.includes('.'));
    await eventually(
      () => staged().length === 3 && staged().every((f) => f.endsWith('.sealed')),
      'the video checked and sealed in the core',
    );
    expect(staged()).toHaveLength(3);
    const caseNumber = await finish(page, '环境卫生');
    const d = await delivered(stack, caseNumber);
    expect(d.items.map((i) => i.kind)).toEqual(['photo', 'photo', 'video']);
    expect(d.items.filter((i) => i.kind === 'photo').every((i) => i.camera === 'document')).toBe(true);
    await page.close();
  });

  it('camera missing: the start screen offers only audio, which works', async () => {
    page = await browser.context.newPage();
    // getUserMedia fails for any request that wants a camera, as with an unplugged camera.
    await page.addInitScript(() => {
      const md = navigator.mediaDevices;
      const real = md.getUserMedia.bind(md);
      md.getUserMedia = (c?: MediaStreamConstraints) =>
        c?.video ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : real(c);
    });
    await openKiosk(page, stack.kioskUrl);
    // The start screen probes the devices and offers only what works (no 录像/拍照 loop).
    await page.getByRole('button', { name: '录音', exact: true }).waitFor();
    await expect.poll(() => page.getByRole('button', { name: '录像', exact: true }).count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByRole('button', { name: '拍照', exact: true }).count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/NotFoundError|Requested device/);
    await page.screenshot({ path: path.join('tests/output/resident', 'camera-missing-1280x800-zh-CN.png') });
    await beginAnonymous(page, '录音', null);
    await record(page, '开始录音', 1200);
    const caseNumber = await finish(page);
    expect((await delivered(stack, caseNumber)).items.map((i) => i.kind)).toEqual(['audio']);
    await page.close();
  });

  it('language switch: the whole flow speaks English, then resets to Chinese', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await page.getByRole('button', { name: /Switch to English|English/ }).click();
    await page.getByRole('button', { name: 'Video', exact: true }).click();
    await waitScreen(page, 'identity');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.getByRole('button', { name: /Anonymous/ }).click();
    await page.getByRole('button', { name: 'No number' }).click();
    await page.getByRole('button', { name: 'Start video' }).waitFor();
    await page.getByRole('button', { name: /Start over/ }).click();
    await waitScreen(page, 'start');
    // The start screen first offers to go back (15 s) in the resident's language, then the next
    // person gets Chinese.
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await expect.poll(() => page.evaluate(() => document.documentElement.lang), { timeout: 40_000, interval: 500 }).toBe('zh-CN');
    await page.close();
  });

  it('the printer button is absent when no printer is configured', async () => {
    page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '录音', null);
    await record(page, '开始录音', 800);
    await finish(page);
    expect(await page.getByRole('button', { name: /打印回执/ }).count()).toBe(0);
    await page.close();
  });
});

/** Keeps each prompt the page starts playing, with the idle countdown's number on screen at that moment. */
function watchPrompts(): void {
  const w = window as unknown as { __heard: { id: string; shown: string | null }[] };
  w.__heard = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    const id = /\/prompts\/[^/]+\/(\w+)\.ogg$/.exec(this.src)?.[1];
    if (id) w.__heard.push({ id, shown: document.querySelector('.idle-count')?.textContent ?? null });
    return play.call(this);
  };
}

describe('idle reset with a short configured timeout', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    // The warning shows 2 s after the last touch, with the shortest countdown allowed (20 s).
    stack = await startStack({ idleTimeoutSec: 22, idleWarningSec: 20 });
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('warns with a visible and spoken countdown and 继续, then discards the session and leaves no file behind', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(watchPrompts);
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '录音', null);
    await record(page, '开始录音', 1000);
    // Review shows the browser's copy at once; the upload to the core follows behind it.
    await eventually(() => sessionFiles(stack).length > 0, 'the recording staged in the core');
    const dialog = page.getByRole('alertdialog');
    await dialog.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join('tests/output/resident', 'idle-warning-1280x800-zh-CN.png') });
    await dialog.getByRole('button', { name: '继续' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await screen(page)).toBe('review');
    await dialog.waitFor({ timeout: 15_000 });
    await waitScreen(page, 'start', 30_000);
    // Spoken: the warning sentence, then the seconds as they appear (renderer/flow/spoken.ts), each
    // the number on screen as it was said, down to the last ones.
    const heard = await page.evaluate(() => (window as unknown as { __heard: { id: string; shown: string | null }[] }).__heard);
    const fromWarning = heard.slice(heard.map((h) => h.id).lastIndexOf('idle_warning') + 1);
    const counts = fromWarning.filter((h) => h.id.startsWith('count_'));
    expect(counts.length, JSON.stringify(heard)).toBeGreaterThanOrEqual(3);
    for (const c of counts) expect(c.id).toBe(`count_${c.shown}`);
    const numbers = counts.map((c) => Number(c.shown));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(Math.min(...numbers)).toBeLessThanOrEqual(2);
    await eventually(() => stack.core.sessions.size === 0 && sessionFiles(stack).length === 0, 'the discarded session to leave nothing');
    expect(stack.core.outbox.summary().waiting + stack.core.outbox.summary().delivered).toBe(0);
    await page.close();
  });
});

describe('document camera chosen by the technician mapping', () => {
  let stack: Stack;
  let browser: Browser;
  beforeAll(async () => {
    stack = await startStack();
    // As the service screen assigns them (by label here: Chromium's fake devices have stable names).
    stack.core.hardware.set({
      faceCamera: { deviceId: '', label: 'fake_device_0' },
      documentCamera: { deviceId: '', label: 'fake_device_1' },
      microphone: null,
      readerPort: null,
    });
    // Chromium's built-in fake devices: two cameras named fake_device_0 and fake_device_1.
    browser = await launchKioskBrowser({
      fakeDevices: false,
      extraArgs: ['--use-fake-device-for-media-stream=device-count=2', '--use-fake-ui-for-media-stream'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('photos use the mapped document camera; 拍人像 switches to the face camera', async () => {
    const page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '拍照', null);
    const preview = page.locator('video.preview');
    await expect.poll(() => preview.getAttribute('data-device-label'), { timeout: 10_000 }).toBe('fake_device_1');
    await takePhotos(page, 1);
    await tap(page, /拍人像/);
    await expect.poll(() => preview.getAttribute('data-device-label'), { timeout: 10_000 }).toBe('fake_device_0');
    await takePhotos(page, 1, 1);
    await tap(page, '下一步');
    const caseNumber = await finish(page);
    const d = await delivered(stack, caseNumber);
    expect(d.items.map((i) => i.camera)).toEqual(['document', 'face']);
    await page.close();
  });
});

describe('disk nearly full', () => {
  it('says so on the start screen and takes no recording', async () => {
    const stack = await startStack({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const browser = await launchKioskBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(stack.kioskUrl);
      await page.getByRole('alert').getByText('存储空间快满了').waitFor();
      expect(await page.getByRole('button', { name: '录像', exact: true }).count()).toBe(0);
      await page.screenshot({ path: path.join('tests/output/resident', 'storage-low-1280x800-zh-CN.png') });
      expect(stack.core.status().disk.low).toBe(true);
    } finally {
      await browser.close();
      await stack.close();
    }
  });
});
