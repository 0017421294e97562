// The `npm start` Chromium kiosk's camera/microphone allow-list, in real Debian Chromium: the
// profile main/kiosk/open.ts writes grants the booth's own origin without a prompt, and every other
// origin (another port, or localhost for 127.0.0.1) is refused. No --use-fake-ui-for-media-stream.
import http from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { makeKioskProfile } from '../../../main/kiosk/open.ts';
import { CHROMIUM, QUIET_FLAGS } from '../../support/chromium.ts';

const serve = () =>
  new Promise<http.Server>((resolve) => {
    const s = http.createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>t</title>');
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });

describe('kiosk profile media allow-list', () => {
  let booth: http.Server;
  let other: http.Server;
  let dir: string;
  let context: BrowserContext;
  let page: Page;
  const port = (s: http.Server) => (s.address() as AddressInfo).port;

  beforeAll(async () => {
    booth = await serve();
    other = await serve();
    dir = makeKioskProfile(`http://127.0.0.1:${port(booth)}/#token=x`);
    context = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: [...QUIET_FLAGS, '--use-fake-device-for-media-stream'],
    });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    booth?.close();
    other?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  // An unanswered prompt would hang: after 3 s it counts as not granted.
  const ask = () =>
    page.evaluate(() =>
      Promise.race([
        navigator.mediaDevices.getUserMedia({ video: true, audio: true }).then(
          (s) => (s.getTracks().forEach((t) => t.stop()), 'granted'),
          (e: Error) => e.name,
        ),
        new Promise((r) => setTimeout(() => r('prompt'), 3000)),
      ]),
    );

  it('grants camera and microphone to the booth origin', async () => {
    await page.goto(`http://127.0.0.1:${port(booth)}/`);
    expect(await ask()).toBe('granted');
  });

  it('refuses them to any other origin', async () => {
    await page.goto(`http://127.0.0.1:${port(other)}/`);
    expect(await ask()).toBe('NotAllowedError');
    await page.goto(`http://localhost:${port(booth)}/`);
    expect(await ask()).toBe('NotAllowedError');
  });
});
