// Debian Chromium for the bench (playwright-core), with a fake camera and microphone whose feed is
// what a booth's camera gives: 1280×720 at 30 fps, so a recording is the size the goal is about.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { cachedMedia } from './rig.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchBenchBrowser(fakeDevices = true): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-chromium-'));
  const camera = cachedMedia('camera-1280x720.y4m', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30',
    '-t',
    '2',
    '-pix_fmt',
    'yuv420p',
  ]);
  const mic = cachedMedia('mic-440.wav', [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '4',
    '-ac',
    '1',
    '-c:a',
    'pcm_s16le',
  ]);
  const devices = fakeDevices
    ? [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${camera}`,
        `--use-file-for-fake-audio-capture=${mic}`,
      ]
    : [];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--autoplay-policy=no-user-gesture-required',
      ...devices,
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
