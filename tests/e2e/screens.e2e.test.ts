// Every screen of the resident flow at 1280×800 and 1920×1080, in Chinese and English:
// a screenshot to look at (tests/output/resident/), axe-core with no serious or critical
// violation, every button named and translated, touch targets ≥ 96 px and body type ≥ 28 px.
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOOTH_SETTINGS } from '../../intake/contract.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { axeSerious, openKiosk, SHOTS, waitScreen } from './support/resident.ts';

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
const LANGS = ['zh-CN', 'en'] as const;
type Lang = (typeof LANGS)[number];

const W: Record<Lang, Record<string, string | RegExp>> = {
  'zh-CN': { video: '录像', anonymous: /匿名反映/, realname: /实名反映/, back: '返回', ok: '确定', startVideo: '开始录像', stop: '停止', addPhoto: '再加拍照', addAudio: '再加录音', shutter: '拍照', keep: '就用这张', next: '下一步', noise: '噪音扰民', upload: /立即上传/, done: '完成' },
  en: { video: 'Video', anonymous: /Anonymous/, realname: /Real name/, back: 'Back', ok: 'OK', startVideo: 'Start video', stop: 'Stop', addPhoto: 'Add photo', addAudio: 'Add voice', shutter: 'Take photo', keep: 'Use this photo', next: 'Next', noise: 'Noise', upload: /Upload now/, done: 'Done' },
};

interface Finding {
  screen: string;
  problem: string;
}

async function inspect(page: Page, name: string, size: { width: number; height: number }, lang: Lang, findings: Finding[]) {
  await page.waitForTimeout(250); // let transitions and fonts settle for the picture
  await page.screenshot({ path: path.join(SHOTS, `${name}-${size.width}x${size.height}-${lang}.png`) });
  const where = `${name} ${size.width}x${size.height} ${lang}`;
  for (const v of await axeSerious(page)) findings.push({ screen: where, problem: `axe ${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(', ')}` });
  const controls = await page.evaluate(() =>
    [...document.querySelectorAll('button')]
      .filter((b) => b.offsetParent !== null && !b.closest('[data-testid="service-corner"]'))
      .map((b) => {
        const r = b.getBoundingClientRect();
        return { text: (b.getAttribute('aria-label') ?? b.textContent ?? '').trim(), w: r.width, h: r.height, lang: b.getAttribute('lang') };
      }),
  );
  for (const c of controls) {
    if (!c.text) findings.push({ screen: where, problem: 'a button without a name' });
    if (c.w < 95.5 || c.h < 95.5) findings.push({ screen: where, problem: `button "${c.text}" is ${Math.round(c.w)}×${Math.round(c.h)} px (< 96)` });
    // English screens: no Chinese left on a control, except the language toggle (it names 中文) and
    // the village's own place names (data, not interface).
    if (lang === 'en' && /[\u4e00-\u9fff]/.test(c.text) && !c.lang && !/号楼|南门|村委会/.test(c.text)) findings.push({ screen: where, problem: `untranslated button "${c.text}"` });
  }
  const bodyPx = await page.evaluate(() => parseFloat(getComputedStyle(document.querySelector('.flow')!).fontSize));
  if (bodyPx < 28) findings.push({ screen: where, problem: `body type ${bodyPx}px < 28px` });
}

describe('every screen, both sizes, both languages', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  beforeAll(async () => {
    stack = await startStack();
    await stack.core.settings.offer({ ...DEFAULT_BOOTH_SETTINGS, revision: 1, quickPickPlaces: ['8号楼', '12号楼', '南门', '村委会'] });
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  for (const size of SIZES) {
    for (const lang of LANGS) {
      it(`${size.width}x${size.height} ${lang}`, async () => {
        const w = W[lang];
        const findings: Finding[] = [];
        const page = await browser.context.newPage();
        await page.setViewportSize(size);
        const button = (name: string | RegExp) => page.getByRole('button', { name, exact: typeof name === 'string' });
        await openKiosk(page, stack.kioskUrl);
        if (lang === 'en') {
          await page.getByRole('button', { name: /English/ }).click();
          await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
        }
        await inspect(page, '01-start', size, lang, findings);
        await button(w.video!).click();
        await waitScreen(page, 'identity');
        await inspect(page, '02-identity', size, lang, findings);
        await button(w.realname!).click();
        await waitScreen(page, 'realname');
        await inspect(page, '03-realname', size, lang, findings);
        await button(w.back!).click();
        await waitScreen(page, 'identity');
        await button(w.anonymous!).click();
        await waitScreen(page, 'phone');
        for (const d of '1381234') await page.getByRole('group').getByRole('button', { name: d, exact: true }).click();
        await button(w.ok!).click(); // too short: the plain-language error shows
        await inspect(page, '04-phone-error', size, lang, findings);
        for (const d of '5678') await page.getByRole('group').getByRole('button', { name: d, exact: true }).click();
        await button(w.ok!).click();
        await waitScreen(page, 'capture');
        await page.waitForFunction(() => (document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth);
        await inspect(page, '05-capture-video', size, lang, findings);
        await button(w.startVideo!).click();
        await button(w.stop!).waitFor();
        await page.waitForTimeout(1200);
        await inspect(page, '06-recording', size, lang, findings);
        await button(w.stop!).click();
        await waitScreen(page, 'review');
        await inspect(page, '07-review', size, lang, findings);
        await button(w.addAudio!).click();
        await waitScreen(page, 'capture');
        await inspect(page, '08-capture-audio', size, lang, findings);
        await button(w.back!).click();
        await waitScreen(page, 'review');
        await button(w.addPhoto!).click();
        await page.waitForFunction(() => (document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth);
        await inspect(page, '09-capture-photo', size, lang, findings);
        await button(w.shutter!).click();
        await button(w.keep!).waitFor();
        await inspect(page, '10-photo-freeze', size, lang, findings);
        await button(w.keep!).click();
        await button(w.next!).click();
        await waitScreen(page, 'review');
        await inspect(page, '11-review-two', size, lang, findings);
        await button(w.next!).click();
        await waitScreen(page, 'details');
        await button(w.noise!).click();
        await button('8号楼').click();
        await inspect(page, '12-details', size, lang, findings);
        await button(w.next!).click();
        await waitScreen(page, 'summary');
        await inspect(page, '13-summary', size, lang, findings);
        await button(w.upload!).click();
        await waitScreen(page, 'receipt');
        await page.locator('.qr svg').waitFor();
        await inspect(page, '14-receipt', size, lang, findings);
        await button(w.done!).click();
        await waitScreen(page, 'start');
        await page.close();
        expect(findings).toEqual([]);
      });
    }
  }
});
