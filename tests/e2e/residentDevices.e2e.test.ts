// The resident flow when devices fail, when a recording is too large, and whether the spoken
// welcome really plays: real booth core + intake + Debian Chromium with fake devices.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPTS_DIST } from '../../main/server.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { beginAnonymous, openKiosk, SHOTS, tap, takePhotos, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

/** Makes every getUserMedia that asks for audio fail as an absent microphone does; the camera keeps working. */
function noMicrophone(): void {
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c?: MediaStreamConstraints) =>
    c?.audio ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : gum(c);
  const list = md.enumerateDevices.bind(md);
  md.enumerateDevices = async () => (await list()).filter((d) => d.kind !== 'audioinput');
}

/** Keeps every media element the page plays, so the test can ask whether the prompt advanced. */
function watchAudio(): void {
  const w = window as unknown as { __played: HTMLMediaElement[] };
  w.__played = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    w.__played.push(this);
    return play.call(this);
  };
}

async function startRecording(page: Page, name: '开始录像' | '开始录音'): Promise<void> {
  const start = page.getByRole('button', { name });
  await page.waitForFunction(
    (n) => [...document.querySelectorAll('button')].some((b) => b.textContent?.includes(n) && !b.hasAttribute('disabled')),
    name,
  );
  await start.click();
  await page.getByRole('button', { name: '停止' }).waitFor({ timeout: 15_000 });
}

describe('resident flow: devices, size limit, spoken prompts', () => {
  let stack: Stack;
  let tiny: Stack;
  let browser: Browser;

  beforeAll(async () => {
    stack = await startStack({ resident: { promptVolume: 0.6 } } as never);
    // A booth whose item limit is smaller than any recording: the resident must see the plain message.
    tiny = await startStack({ limits: { itemBytes: 2_000 } } as never);
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    await tiny?.close();
  });

  it('no microphone, camera works: the start screen offers photos only (video and voice need it), and they work', async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(noMicrophone);
    await openKiosk(page, stack.kioskUrl);
    await expect
      .poll(() => page.locator('.kinds button').allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringContaining('拍照')]);
    await page.screenshot({ path: path.join(SHOTS, 'no-microphone.png') });
    await beginAnonymous(page, '拍照', null);
    await takePhotos(page, 1);
    await page.close();
  });

  it('camera unplugged mid-recording: plain words, what was recorded is kept, redo possible', async () => {
    const page = await browser.context.newPage();
    await openKiosk(page, stack.kioskUrl);
    await beginAnonymous(page, '录像', null);
    await startRecording(page, '开始录像');
    await page.waitForTimeout(2000);
    // An unplugged camera ends its track. track.stop() alone fires no 'ended' (spec), so fire it as the device would.
    await page.locator('video.preview').evaluate((v: HTMLVideoElement) => {
      const tr = (v.srcObject as MediaStream).getVideoTracks()[0]!;
      tr.stop();
      tr.dispatchEvent(new Event('ended'));
    });
    await waitScreen(page, 'review');
    await page.getByText('录到一半设备断开了').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'unplugged-review.png') });
    expect(await page.locator('.item').count()).toBe(1);
    // The session is no longer held by a recording: back and home are offered again, and redo works.
    await page.getByRole('button', { name: /^重录/ }).click();
    await waitScreen(page, 'capture');
    await page.close();
  });

  it('recording larger than the booth allows: the plain Chinese message, and the resident can record again', async () => {
    const page = await browser.context.newPage();
    await openKiosk(page, tiny.kioskUrl);
    await beginAnonymous(page, '录音', null);
    await startRecording(page, '开始录音');
    await page.waitForTimeout(1500);
    await tap(page, '停止');
    await page.getByRole('alert').getByText('这段内容太大了，请录短一点。').waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'too-large.png') });
    expect(await page.locator('.flow').getAttribute('data-screen')).toBe('capture');
    // Record again: the button is back, the session not held (back is offered).
    await page.waitForFunction(() =>
      [...document.querySelectorAll('button')].some((b) => b.textContent?.includes('开始录音') && !b.hasAttribute('disabled')),
    );
    await page.close();
  });

  it('the welcome prompt plays in Chromium on the first touch, at the configured volume', async () => {
    expect(existsSync(path.join(PROMPTS_DIST, 'zh-CN', 'welcome.ogg')), 'run bash scripts/setup.d/prompts.sh first').toBe(true);
    const page = await browser.context.newPage();
    await page.addInitScript(watchAudio);
    await openKiosk(page, stack.kioskUrl); // touches the start screen
    const heard = await page.waitForFunction(
      () => {
        const a = (window as unknown as { __played: HTMLMediaElement[] }).__played.find((x) => x.src.includes('/welcome.ogg'));
        return a && (a.currentTime > 0 || a.ended)
          ? { src: a.src, volume: a.volume, error: a.error?.code ?? null, t: a.currentTime }
          : null;
      },
      undefined,
      { timeout: 10_000 },
    );
    const v = (await heard.jsonValue())!;
    expect(v.src).toContain('/prompts/zh-CN/welcome.ogg');
    expect(v.error).toBeNull();
    expect(v.volume).toBeCloseTo(0.6, 5);
    // The receipt reads the booth code's letters too: their clips are served like the others.
    const letter = await page.evaluate(async () => {
      const r = await fetch('prompts/zh-CN/letter_s.ogg');
      return { status: r.status, bytes: (await r.arrayBuffer()).byteLength };
    });
    expect(letter.status).toBe(200);
    expect(letter.bytes).toBeGreaterThan(500);
    await page.close();
  });
});
