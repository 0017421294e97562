// 停止 → review does not wait for the upload of the recording to the booth core (issue 17): the
// review plays the browser's own copy while the PUT to the core is held back by the test (a
// Playwright route that neither answers nor forwards it until told). Submit waits for that upload;
// a recording the core could not take leaves the list and the resident reads why, in Chinese.
// Real booth core + intake + Debian Chromium with the fake camera; the only stand-in is the held
// (or, in the second case, answered) PUT, which is how "the upload has not finished" is made certain
// without timing anything.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, Request, Route } from 'playwright-core';
import { zhCN } from '../../renderer/i18n/zh-CN.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';

const VIDEO_PUT = /\/api\/sessions\/[^/]+\/items\?.*kind=video/;

/** Holds the next video PUT in the browser until `release` (forward it) or `answer` (a made-up core answer). */
async function holdVideoPut(page: Page): Promise<{ arrived: Promise<Route> }> {
  let arrive!: (r: Route) => void;
  const arrived = new Promise<Route>((r) => (arrive = r));
  await page.route(VIDEO_PUT, (route) => arrive(route), { times: 1 });
  return { arrived };
}

async function recordTwoSeconds(page: Page, kioskUrl: string): Promise<void> {
  await page.goto(kioskUrl);
  await page.getByRole('button', { name: '录像', exact: true }).click();
  await page.getByRole('button', { name: /匿名反映/ }).click();
  await page.getByRole('button', { name: '不留电话' }).click();
  await page.getByRole('button', { name: '开始录像' }).click();
  const stop = page.getByRole('button', { name: '停止' });
  await expect.poll(() => stop.isEnabled(), { timeout: 15_000 }).toBe(true);
  await page.waitForTimeout(2000); // the resident speaks for two seconds (not an assertion)
  await stop.click();
}

/** The review's player has decoded the recording's first frames (what the resident sees playing). */
async function reviewPlays(page: Page): Promise<void> {
  await page.waitForFunction(() => ((document.querySelector('.item video') as HTMLVideoElement | null)?.readyState ?? 0) >= 2, null, {
    timeout: 15_000,
  });
}

describe('停止 → review plays the browser copy while the upload to the core runs behind', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;

  beforeAll(async () => {
    stack = await startStack();
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows review before the core has the recording, and submit waits for the upload', async () => {
    const page = await browser.context.newPage();
    const submits: Request[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/submit$/.test(new URL(r.url()).pathname)) submits.push(r);
    });
    const { arrived } = await holdVideoPut(page);
    await recordTwoSeconds(page, stack.kioskUrl);
    const put = await arrived; // the kiosk sent the recording; the test holds it in the browser
    await reviewPlays(page); // … and review plays it all the same
    expect(await page.locator('.item video').count()).toBe(1);

    await page.getByRole('button', { name: '下一步' }).click(); // review → details
    await page.getByRole('button', { name: '下一步' }).click(); // details → summary
    await page.getByRole('button', { name: /立即上传/ }).click();
    await page.getByRole('status').filter({ hasText: zhCN.submittingTitle }).waitFor();
    // Submit is waiting for the held upload: the kiosk has not asked the core to submit.
    expect(submits).toHaveLength(0);

    await put.continue();
    const caseNumber = (await page.getByTestId('case-number').textContent({ timeout: 30_000 }))!.trim();
    expect(submits).toHaveLength(1);
    const row = stack.core.outbox.byCaseNumber(caseNumber)!;
    expect(stack.core.outbox.items(row.id).map((i) => i.kind)).toEqual(['video']);
    await page.close();
  }, 120_000);

  it('takes a recording the core could not take out of review and says why in Chinese', async () => {
    const page = await browser.context.newPage();
    const { arrived } = await holdVideoPut(page);
    await recordTwoSeconds(page, stack.kioskUrl);
    const put = await arrived;
    await reviewPlays(page);
    await put.fulfill({
      status: 507,
      contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: { code: 'disk_full', message: 'made up by the test' } }),
    });
    // The only item is gone, the resident is back at the camera and reads the reason.
    await page.getByText(zhCN.errors.disk_full!).waitFor({ timeout: 15_000 });
    expect(await page.locator('.item video').count()).toBe(0);
    await expect.poll(() => page.getByRole('button', { name: '开始录像' }).isVisible()).toBe(true);
    await page.close();
  }, 120_000);
});
