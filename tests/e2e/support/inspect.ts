// Issue 4's rules for a resident screen, checked on every element of the screen on show (not
// sampled), at 1280×800 and 1920×1080, with a screenshot of each to look at (tests/output/resident/):
// - axe-core: no serious or critical violation;
// - every control named (translated on English screens), ≥ 96 px in both dimensions, inside the
//   window, its words and icon inside it;
// - every element holding visible text ≥ 28 px, inside the window, not cut off;
// - the screen's spoken prompt started, in the screen's language.
// One implementation for every walk that pictures resident screens (screens.e2e, realname.e2e).
import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { launchKioskBrowser } from '../../support/chromium.ts';
import { axeSerious, openKiosk, SHOTS } from './resident.ts';

export const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
] as const;
export const LANGS = ['zh-CN', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Issue 4's minimums, at 1280×800 (the larger size scales up from there). */
const MIN_TEXT_PX = 28;
const MIN_TARGET_PX = 96;

export interface Finding {
  screen: string;
  problem: string;
}

export interface Look {
  /** The prompt this screen must have started (in the page's language) since the last look. */
  prompt?: string;
  /** A selector that must still be on screen after the picture (short-lived screens: the 3-2-1). */
  still?: string;
  /** Data, not interface, that may stay Chinese on an English control (the village's place names). */
  dataWords?: RegExp;
  /**
   * A web page rather than a kiosk screen (the resident's status page on a phone): its own sizes and
   * minimums, the document may scroll down (only leaving the window sideways counts), no prompts.
   */
  web?: { sizes: readonly { width: number; height: number }[]; minTextPx: number; minTargetPx: number };
}

/**
 * Init script: getUserMedia fails as an unplugged device does (NotFoundError) for the device the
 * test names in window.__failDevice, so one page can reach both device-missing screens mid-flow.
 * Also keeps the path of every prompt the page starts playing.
 */
function kioskProbes(): void {
  const w = window as unknown as { __failDevice: 'camera' | 'microphone' | 'both' | null; __prompts: string[]; __mark: number };
  w.__failDevice = null;
  w.__prompts = [];
  w.__mark = 0;
  const md = navigator.mediaDevices;
  const gum = md.getUserMedia.bind(md);
  md.getUserMedia = (c?: MediaStreamConstraints) => {
    const f = w.__failDevice;
    const fail = ((f === 'camera' || f === 'both') && c?.video) || ((f === 'microphone' || f === 'both') && c?.audio);
    return fail ? Promise.reject(new DOMException('Requested device not found', 'NotFoundError')) : gum(c);
  };
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    if (this.src.includes('/prompts/')) w.__prompts.push(new URL(this.src).pathname);
    return play.call(this);
  };
}

/** Makes getUserMedia fail for `device` from now on (null: works again). Needs a kioskPage. */
export async function failDevice(page: Page, device: 'camera' | 'microphone' | 'both' | null): Promise<void> {
  await page.evaluate((d) => ((window as unknown as { __failDevice: typeof d }).__failDevice = d), device);
}

/** A kiosk page with the probes, touched once (the first touch speaks), in `lang`. */
export async function kioskPage(browser: Awaited<ReturnType<typeof launchKioskBrowser>>, url: string, lang: Lang): Promise<Page> {
  const page = await browser.context.newPage();
  await page.addInitScript(kioskProbes);
  await page.setViewportSize(SIZES[0]);
  await openKiosk(page, url);
  if (lang === 'en') {
    await page.getByRole('button', { name: /English/ }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
  }
  return page;
}

/** Waits for the page to have painted what it shows now (fonts loaded, two frames: no fixed sleep). */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() =>
    document.fonts.ready.then(() => new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => r())))),
  );
}

/**
 * Looks at the screen on show at both sizes (the window is resized in place, and left at the
 * last) and notes every problem in `findings`. The page must come from kioskPage.
 */
export async function inspect(page: Page, name: string, lang: Lang, findings: Finding[], look: Look = {}): Promise<void> {
  // What this screen may have said: from the start of the previous look (a prompt may start while
  // that one is still being taken) to the end of this one.
  const since = await page.evaluate(() => {
    const w = window as unknown as { __prompts?: string[]; __mark: number };
    const from = w.__mark ?? 0;
    w.__mark = w.__prompts?.length ?? 0;
    return from;
  });
  let heard: string[] = [];
  const minText = look.web?.minTextPx ?? MIN_TEXT_PX;
  const minTarget = look.web?.minTargetPx ?? MIN_TARGET_PX;
  for (const size of look.web?.sizes ?? SIZES) {
    await page.setViewportSize(size);
    await settled(page);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${size.width}x${size.height}-${lang}.png`), fullPage: look.web !== undefined });
    const where = `${name} ${size.width}x${size.height} ${lang}`;
    if (look.still && (await page.locator(look.still).count()) === 0)
      findings.push({ screen: where, problem: `${look.still} was gone before its picture` });
    for (const v of await axeSerious(page))
      findings.push({ screen: where, problem: `axe ${v.impact} ${v.id}: ${v.help} @ ${v.nodes.join(', ')}` });
    const seen = await page.evaluate(
      ({ from, web }) => {
        const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible';
        // The technician's corner is a deliberately hidden gesture (renderer/service/), not a resident control.
        const ours = (el: Element) => !el.closest('[data-testid="service-corner"]');
        const scrolled = (el: Element) => {
          for (let p = el.parentElement; p; p = p.parentElement) if (/(auto|scroll)/.test(getComputedStyle(p).overflowY)) return true;
          return false;
        };
        const outside = (el: Element) => {
          const r = el.getBoundingClientRect();
          if (web) return r.left < -0.5 || r.right > innerWidth + 0.5; // a web page scrolls down, never sideways
          return !scrolled(el) && (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5);
        };
        const controls = [
          ...document.querySelectorAll(
            'button, [role="button"], a[href], input, select, textarea, video[controls], audio[controls], [tabindex]:not([tabindex="-1"])',
          ),
        ]
          .filter((el) => visible(el) && ours(el))
          .map((el) => {
            const r = el.getBoundingClientRect();
            // Words or icons wider or taller than their button spill out of it (or are cut off).
            const spills = el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
            // A form field is named by its <label> (the status page's lookup form).
            const label = (el as HTMLInputElement).labels?.[0]?.textContent;
            return {
              text: (el.getAttribute('aria-label') ?? label ?? el.textContent ?? '').trim(),
              w: r.width,
              h: r.height,
              lang: el.getAttribute('lang'),
              outside: outside(el),
              spills,
            };
          });
        // Every element that itself holds visible text (not only its children), wherever it is.
        const texts = [...document.body.querySelectorAll('*')]
          .filter(
            (el) =>
              ours(el) &&
              visible(el) &&
              [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== ''),
          )
          .map((el) => {
            const st = getComputedStyle(el);
            const clipped =
              st.overflowX !== 'visible' && st.overflowX !== 'auto' && st.overflowX !== 'scroll' && el.scrollWidth > el.clientWidth + 1;
            return { text: (el.textContent ?? '').trim().slice(0, 40), px: parseFloat(st.fontSize), outside: outside(el), clipped };
          });
        const prompts = ((window as unknown as { __prompts?: string[] }).__prompts ?? []).slice(from);
        return { controls, texts, prompts };
      },
      { from: since, web: look.web !== undefined },
    );
    for (const c of seen.controls) {
      if (!c.text) findings.push({ screen: where, problem: 'a control without a name' });
      if (c.w < minTarget - 0.5 || c.h < minTarget - 0.5)
        findings.push({ screen: where, problem: `control "${c.text}" is ${Math.round(c.w)}×${Math.round(c.h)} px (< ${minTarget})` });
      if (c.outside) findings.push({ screen: where, problem: `control "${c.text}" is outside the window` });
      if (c.spills) findings.push({ screen: where, problem: `control "${c.text}": its content spills out of it` });
      // English screens: no Chinese left on a control, except the language toggle (it names 中文,
      // marked with its own lang) and the data the caller names.
      if (lang === 'en' && /[\u4e00-\u9fff]/.test(c.text) && !c.lang && !look.dataWords?.test(c.text))
        findings.push({ screen: where, problem: `untranslated control "${c.text}"` });
    }
    for (const t of seen.texts) {
      if (t.px < minText - 0.25) findings.push({ screen: where, problem: `text "${t.text}" is ${t.px}px (< ${minText})` });
      if (t.outside) findings.push({ screen: where, problem: `text "${t.text}" is outside the window` });
      if (t.clipped) findings.push({ screen: where, problem: `text "${t.text}" is cut off` });
    }
    heard = seen.prompts;
  }
  if (look.prompt && !heard.includes(`/prompts/${lang}/${look.prompt}.ogg`))
    findings.push({ screen: `${name} ${lang}`, problem: `prompt ${look.prompt} not spoken (heard: ${heard.join(' ') || 'nothing'})` });
}
