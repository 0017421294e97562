// A stale or refused kiosk token (issue 14, seen item 8): the booth core restarts (new per-boot
// token) while the kiosk page stays open, or a page holds a token that is not the core's. The page
// must notice at once and never leave a resident on a start screen whose every call fails: a token
// of an earlier boot is renewed by itself (main/kiosk/tokenHistory.ts, POST /api/kiosk/renew) and a
// resident then submits as usual; any other token shows out of service at once and keeps trying.
// Real booth core + intake on 127.0.0.1, Debian Chromium with a fake camera; the restart is a real
// close and a new core on the same port and data folder.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { startStack, type Stack } from '../support/stack.ts';
import { beginAnonymous, finish, takePhotos, tap, waitScreen } from './support/resident.ts';

type Browser = Awaited<ReturnType<typeof launchKioskBrowser>>;

describe('kiosk page with a stale or refused token', () => {
  let stack: Stack;
  let browser: Browser;
  let restarted: BoothCore | null = null;
  let earlierToken = '';
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchKioskBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await restarted?.close();
    await stack?.close().catch(() => undefined);
  });

  it('the core restarts while the page is open: the page renews its token by itself and a resident submits', async () => {
    const page = await browser.context.newPage();
    await page.goto(stack.kioskUrl);
    await waitScreen(page, 'start');
    const oldToken = stack.core.token;
    earlierToken = oldToken;
    const port = new URL(stack.core.url).port;
    const dataDir = stack.core.dataDir;
    await stack.core.close();
    const config = BoothConfig.parse({
      port: Number(port),
      upload: { retryBaseMs: 200, retryCapMs: 2_000, pollMs: 500, idleTimeoutMs: 5_000, inRequestDelaysMs: [0, 100] },
    });
    const intakeToken = await issueCredential(stack.intake.delivery, config.boothCode, Date.now());
    restarted = await BoothCore.create({ dataDir, config, intakeUrl: stack.intakeUrl, intakeToken });
    await restarted.listen(Number(port));
    expect(restarted.token).not.toBe(oldToken);
    // Only hashes of earlier boots' tokens are kept, readable by the core's user alone.
    const history = path.join(dataDir, 'keys', 'kiosk-tokens.json');
    expect(statSync(history).mode & 0o777).toBe(0o600);
    expect(readFileSync(history, 'utf8')).not.toContain(oldToken);

    // The page's next call (its sign-of-life ping, every 5 s) is refused, renewed, and made again.
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('booth-token')), { timeout: 20_000 }).toBe(restarted.token);
    await waitScreen(page, 'start');
    await beginAnonymous(page, '拍照', null);
    await takePhotos(page, 1);
    await tap(page, '下一步');
    await waitScreen(page, 'review');
    const caseNumber = await finish(page);
    expect(caseNumber).toMatch(/^SIM01-\d{8}-\d{4}$/);
    await page.close();
  });

  it('a token the core never issued: out of service at once, never a start screen that fails later', async () => {
    const core = restarted!;
    const page = await browser.context.newPage();
    await page.goto(`${core.url}/#token=${'x'.repeat(32)}`);
    await page.locator('[data-screen="refused"] [data-testid="out-of-service"]').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-screen="start"]').count()).toBe(0);
    expect(await page.getByText('本机暂时不能使用').count()).toBe(1);
    // The renewal endpoint opens for earlier boots' tokens only: this one is refused there too.
    const r = await fetch(`${core.url}/api/kiosk/renew`, {
      method: 'POST',
      headers: { 'x-booth-token': 'x'.repeat(32), 'content-type': 'application/json' },
      body: '{}',
    });
    expect(r.status).toBe(401);
    // …and an earlier boot's token opens nothing else.
    const other = await fetch(`${core.url}/api/config`, { headers: { 'x-booth-token': earlierToken } });
    expect(other.status).toBe(401);
    await page.close();
  });
});
