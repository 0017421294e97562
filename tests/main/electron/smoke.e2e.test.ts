// Playwright's Electron support against the real shell, where an Electron binary exists.
// Here (no binary can be downloaded) it is skipped, and says so.
import { describe, expect, it } from 'vitest';
import { electronBinary } from '../../../main/kiosk/open.ts';
import { contentSecurityPolicy } from '../../../main/electron/policy.ts';

const binary = electronBinary();
if (!binary)
  console.log(
    '[skip] Electron smoke test: no Electron binary in node_modules/electron/dist (it cannot be downloaded on this machine; the kiosk runs in Chromium instead)',
  );

describe.skipIf(!binary)('Electron kiosk shell', () => {
  it('opens one locked-down window on the core URL', async () => {
    const { _electron } = await import('playwright-core');
    const { startStack } = await import('../../support/stack.ts');
    const { execFileSync } = await import('node:child_process');
    execFileSync('npx', ['tsx', 'scripts/build-electron.ts']);
    const stack = await startStack();
    const app = await _electron.launch({
      executablePath: binary!,
      args: ['dist-electron/main.mjs', '--no-sandbox', '--use-fake-device-for-media-stream'],
      env: { ...process.env, BOOTH_KIOSK_URL: stack.kioskUrl, BOOTH_NIGHTLY_RESTART: '0' },
    });
    try {
      const win = await app.firstWindow();
      await win.getByRole('button', { name: /录像/ }).waitFor();
      const prefs = await app.evaluate(({ BrowserWindow }) => {
        const w = BrowserWindow.getAllWindows()[0]!;
        return { kiosk: w.isKiosk(), count: BrowserWindow.getAllWindows().length };
      });
      expect(prefs).toEqual({ kiosk: true, count: 1 });
      expect(await win.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
      // No Node in the page, no new windows, no navigation away, CSP present.
      expect(await win.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
      expect(await win.evaluate(() => window.open('https://example.com/') === null)).toBe(true);
      await win.evaluate(() => {
        location.href = 'https://example.com/';
      });
      await win.waitForTimeout(500);
      expect(new URL(win.url()).origin).toBe(new URL(stack.kioskUrl).origin);
      // CSP: the core sends none, so this is the session's onHeadersReceived (lockdown.ts) at work,
      // and it is enforced: an inline script injected into the page does not run.
      expect(await win.evaluate(async () => (await fetch(location.origin + '/')).headers.get('content-security-policy'))).toBe(
        contentSecurityPolicy(),
      );
      const inlineRan = await win.evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'document.documentElement.dataset.inlineRan = "yes"';
        document.head.append(s);
        return document.documentElement.dataset.inlineRan ?? 'no';
      });
      expect(inlineRan).toBe('no');
      // Camera allowed for the app origin; geolocation denied.
      expect(
        await win.evaluate(
          async () =>
            await navigator.mediaDevices.getUserMedia({ video: true }).then(
              () => 'ok',
              (e: Error) => e.name,
            ),
        ),
      ).not.toBe('NotAllowedError');
      expect(
        await win.evaluate(
          () =>
            new Promise((r) =>
              navigator.geolocation.getCurrentPosition(
                () => r('granted'),
                (e) => r(e.code === 1 ? 'denied' : 'other'),
              ),
            ),
        ),
      ).toBe('denied');
    } finally {
      await app.close();
      await stack.close();
    }
  });
});
