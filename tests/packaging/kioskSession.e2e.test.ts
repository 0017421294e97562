// The Chromium-kiosk fallback as the systemd unit runs it: packaging/bin/kiosk-session inside an X
// server (Xvfb here, Xorg on a booth) starts the booth core from the source tree and opens the UI
// in Debian Chromium --kiosk --app on the core's URL, full screen. Stopped by process group.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../support/stack.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const root = mkdtempSync(path.join(os.tmpdir(), 'kiosk-session-'));
let child: ChildProcess | null = null;

afterAll(() => {
  if (child?.pid) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  rmSync(root, { recursive: true, force: true });
});

const chromiumArgs = () =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.includes('chromium') && l.includes('--kiosk') && l.includes(`--user-data-dir=`) && l.includes('127.0.0.1:47331'));

describe('kiosk session (Chromium fallback, as the unit starts it)', () => {
  it('starts the core and a full-screen Chromium kiosk on its URL', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const env = { ...process.env, BOOTH_SRC: process.cwd(), BOOTH_DATA: path.join(root, 'booth'), INTAKE_DATA: path.join(root, 'intake'), BOOTH_PORT: '47331', INTAKE_PORT: '47332', BOOTH_SHELL: 'chromium', LOG_LEVEL: 'warn' };
    child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', 'sh', '-c', `sh packaging/bin/kiosk-session & sleep 12; import -window root ${path.join(SHOTS, 'kiosk-session-chromium-1280x800.png')}; wait`], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /kiosk window: chromium/.test(out), 'the kiosk window choice', 60_000);
    const kioskUrl = /kiosk: (http:\/\/127\.0\.0\.1:47331\/#token=\S+)/.exec(out)?.[1];
    expect(kioskUrl).toBeDefined();
    const args = await eventually(() => (chromiumArgs().length ? chromiumArgs() : null), 'Chromium in kiosk mode', 30_000);
    expect(args.some((a) => a.includes(`--app=${kioskUrl}`))).toBe(true);
    expect(await (await fetch('http://127.0.0.1:47331/')).text()).toMatch(/<div id="root">/);
    await eventually(() => existsSync(path.join(SHOTS, 'kiosk-session-chromium-1280x800.png')), 'the screenshot', 30_000);
  });
});
