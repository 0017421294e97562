// Debian Chromium driven by playwright-core, with fake camera and microphone (TOOLCHAIN.md 1a/1b).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { fakeCameraY4m, fakeMicWav } from './fakeMedia.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const QUIET_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface LaunchOptions {
  viewport?: { width: number; height: number };
  /** false: no fake camera/mic flags (getUserMedia then fails: "camera missing"). */
  fakeDevices?: boolean;
  /** What the fake camera shows (a y4m file, looped); default: a moving test pattern. */
  cameraFile?: string;
  extraArgs?: string[];
}

export async function launchKioskBrowser(options: LaunchOptions = {}): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'booth-chromium-'));
  const devices =
    options.fakeDevices === false
      ? []
      : [
          '--use-fake-device-for-media-stream',
          '--use-fake-ui-for-media-stream',
          `--use-file-for-fake-video-capture=${options.cameraFile ?? fakeCameraY4m()}`,
          `--use-file-for-fake-audio-capture=${fakeMicWav()}`,
        ];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    args: [...QUIET_FLAGS, '--autoplay-policy=no-user-gesture-required', ...devices, ...(options.extraArgs ?? [])],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
