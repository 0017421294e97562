// The attract cue (issue 18): with booth.json `resident.welcomeOnMotion` on, the start screen says
// the welcome when the face camera sees someone step in, with no touch; an empty hut stays quiet;
// off (the default) the camera is not opened at the start screen at all. Real booth core + intake +
// Debian Chromium whose fake camera plays a y4m made by ffmpeg (tests/support/fakeMedia.ts).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchKioskBrowser } from '../support/chromium.ts';
import { stillCameraY4m, walkInCameraY4m } from '../support/fakeMedia.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

/** Records every media element the page plays, and every camera the page opens. */
function watchPage(): void {
  const w = window as unknown as { __played: string[]; __cameras: number };
  w.__played = [];
  w.__cameras = 0;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (this.src) w.__played.push(this.src);
    return play.call(this);
  };
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c?: MediaStreamConstraints) => {
    if (c?.video) w.__cameras++;
    return gum(c);
  };
}

const played = (page: Page) => page.evaluate(() => (window as unknown as { __played: string[] }).__played);

/** Opens the kiosk without touching it (a resident who has not touched anything yet). */
async function openUntouched(browser: Browser, url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(watchPage);
  await page.goto(url);
  await waitScreen(page, 'start');
  return page;
}

describe('attract state: the welcome when someone steps in', () => {
  let on: Stack;
  let off: Stack;
  beforeAll(async () => {
    on = await startStack({ resident: { welcomeOnMotion: true } } as never);
    off = await startStack();
  });
  afterAll(async () => {
    await on?.close();
    await off?.close();
  });

  it('someone walking in: the welcome is spoken with no touch, once; the camera closes again', async () => {
    const browser = await launchKioskBrowser({ cameraFile: walkInCameraY4m() });
    try {
      const page = await openUntouched(browser, on.kioskUrl);
      await page.waitForFunction(
        () => (window as unknown as { __played: string[] }).__played.some((s) => s.includes('/welcome.ogg')),
        undefined,
        { timeout: 20_000 },
      );
      await page.locator('.flow:not([data-attract])').waitFor({ timeout: 10_000 });
      expect((await played(page)).filter((s) => s.includes('/welcome.ogg'))).toHaveLength(1);
    } finally {
      await browser.close();
    }
  });

  it('an empty hut: the camera watches and nothing is said; a touch still says the welcome', async () => {
    const browser = await launchKioskBrowser({ cameraFile: stillCameraY4m() });
    try {
      const page = await openUntouched(browser, on.kioskUrl);
      await page.locator('.flow[data-attract="watching"]').waitFor({ timeout: 10_000 });
      // The detector looks 4 times a second; give it 20 looks at a still picture.
      await page.waitForTimeout(5_000);
      expect(await played(page)).toEqual([]);
      await page.locator('.start-title').click();
      await page.waitForFunction(() => (window as unknown as { __played: string[] }).__played.some((s) => s.includes('/welcome.ogg')));
    } finally {
      await browser.close();
    }
  });

  it('off (the default): the start screen never opens the camera for it, even when someone walks in', async () => {
    const browser = await launchKioskBrowser({ cameraFile: walkInCameraY4m() });
    try {
      const page = await openUntouched(browser, off.kioskUrl);
      // The start screen's device probe opens the camera once and closes it; nothing more follows.
      await page.waitForTimeout(5_000);
      expect(await page.locator('.flow[data-attract]').count()).toBe(0);
      expect((await played(page)).filter((s) => s.includes('/welcome.ogg'))).toEqual([]);
      expect(await page.evaluate(() => (window as unknown as { __cameras: number }).__cameras)).toBeLessThanOrEqual(1);
    } finally {
      await browser.close();
    }
  });
});
