// Helpers to drive the resident flow in real Chromium as a person would: by accessible names.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { DEFAULT_BOOTH_SETTINGS } from '../../../contract/booth.ts';
import { eventually, type Stack } from '../../support/stack.ts';

export const SHOTS = path.resolve('tests/output/resident');
mkdirSync(SHOTS, { recursive: true });

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeProblem {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** axe-core injected into the page; returns serious and critical violations only. */
export async function axeSerious(page: Page): Promise<AxeProblem[]> {
  const has = await page.evaluate(() => 'axe' in window);
  // Evaluated over the DevTools protocol: the kiosk's CSP (script-src 'self') rightly refuses inline scripts.
  if (!has) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
          opts: object,
        ) => Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }>;
      };
    };
    const r = await w.axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

export async function screen(page: Page): Promise<string> {
  return (await page.locator('.flow').getAttribute('data-screen')) ?? '';
}

export async function waitScreen(page: Page, name: string, timeout = 30_000): Promise<void> {
  await page.locator(`.flow[data-screen="${name}"]`).waitFor({ timeout });
}

export async function openKiosk(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitScreen(page, 'start');
  // The first touch anywhere says the welcome; touch the title like a resident would.
  await page.locator('.start-title').click();
}

export async function tap(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
}

export async function typePhone(page: Page, digits: string): Promise<void> {
  for (const d of digits) await page.getByRole('group').getByRole('button', { name: d, exact: true }).click();
}

/** Start → kind → 匿名 → phone (or none) → capture screen. */
export async function beginAnonymous(page: Page, kind: '录像' | '录音' | '拍照', phone: string | null): Promise<void> {
  await tap(page, kind);
  await waitScreen(page, 'identity');
  await tap(page, /匿名反映/);
  await waitScreen(page, 'phone');
  if (phone) {
    await typePhone(page, phone);
    await tap(page, '确定');
  } else await tap(page, '不留电话');
  await waitScreen(page, 'capture');
}

/** On a video or audio capture screen: 3-2-1, record for `ms`, stop; lands on review. */
export async function record(page: Page, startName: '开始录像' | '开始录音', ms: number): Promise<void> {
  const start = page.getByRole('button', { name: startName });
  await start.waitFor();
  await page.waitForFunction((n) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent?.includes(n));
    return b && !b.hasAttribute('disabled');
  }, startName);
  await start.click();
  const stop = page.getByRole('button', { name: '停止' });
  await stop.waitFor({ timeout: 15_000 });
  await page.waitForTimeout(ms);
  await stop.click();
  await waitScreen(page, 'review');
}

/** On the photo screen: take and keep `n` photos. */
export async function takePhotos(page: Page, n: number, already = 0): Promise<void> {
  for (let i = 0; i < n; i++) {
    const shutter = page.getByRole('button', { name: '拍照', exact: true });
    await page.waitForFunction(() => {
      const v = document.querySelector('video.preview') as HTMLVideoElement | null;
      return v && v.videoWidth > 0;
    });
    await shutter.click();
    await tap(page, '就用这张');
    await page
      .getByText(`已拍 ${already + i + 1}/`)
      .waitFor({ timeout: 8000 })
      .catch(async (e) => {
        await page.screenshot({ path: path.join(SHOTS, 'debug-photo.png') });
        throw e;
      });
  }
}

/** Review → details (category, place) → summary → 立即上传 → receipt; returns the case number. */
export async function finish(page: Page, category: string | null = null): Promise<string> {
  await tap(page, '下一步');
  await waitScreen(page, 'details');
  if (category) await tap(page, category);
  await tap(page, '下一步');
  await waitScreen(page, 'summary');
  await tap(page, /立即上传/);
  await waitScreen(page, 'receipt');
  return (await page.getByTestId('case-number').textContent())!.trim();
}

/**
 * The village's quick-pick places, as the back office's settings would bring them (issue 8). The
 * booth's first heartbeat tick pulls the intake's own default settings; offering before that pull
 * has finished lets the two cross and the defaults win, so this waits for the tick's heartbeat.
 */
export async function offerVillagePlaces(stack: Stack, quickPickPlaces: string[]): Promise<void> {
  await eventually(async () => (await stack.intake.delivery.latestHeartbeats()).length > 0, 'the first heartbeat tick');
  const r = await stack.core.settings.offer({ ...DEFAULT_BOOTH_SETTINGS, revision: 1, quickPickPlaces });
  if (!r.applied) throw new Error(`village settings not applied: ${r.reason}`);
}
