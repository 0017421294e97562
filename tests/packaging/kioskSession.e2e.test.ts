// The Chromium-kiosk fallback as the systemd unit runs it: packaging/bin/kiosk-session inside an X
// server (Xvfb here, Xorg on a booth) starts the booth core from the source tree and opens the UI
// in Debian Chromium --kiosk --app on the core's URL, full screen. Like a booth before `booth
// provision`, it embeds no back office and shows the out-of-service screen. Stopped by process group.
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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
    const env = {
      ...process.env,
      BOOTH_SRC: process.cwd(),
      BOOTH_DATA: path.join(root, 'booth'),
      BOOTH_PORT: '47331',
      BOOTH_SHELL: 'chromium',
      LOG_LEVEL: 'warn',
    };
    child = spawn(
      'xvfb-run',
      [
        '-a',
        '-s',
        '-screen 0 1280x800x24',
        'sh',
        '-c',
        `sh packaging/bin/kiosk-session & sleep 20; import -window root ${path.join(SHOTS, 'kiosk-session-chromium-out-of-service-1280x800.png')} && echo screenshot-written; wait`,
      ],
      { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /kiosk window: chromium/.test(out), 'the kiosk window choice', 60_000);
    const kioskUrl = /kiosk: (http:\/\/127\.0\.0\.1:47331\/#token=\S+)/.exec(out)?.[1];
    expect(kioskUrl).toBeDefined();
    const args = await eventually(() => (chromiumArgs().length ? chromiumArgs() : null), 'Chromium in kiosk mode', 30_000);
    expect(args.some((a) => a.includes(`--app=${kioskUrl}`))).toBe(true);
    expect(await (await fetch('http://127.0.0.1:47331/')).text()).toMatch(/<div id="root">/);
    // Production: no back office of its own, out of service until provisioned.
    expect(out).not.toMatch(/^staff: /m);
    const token = new URLSearchParams(new URL(kioskUrl!).hash.slice(1)).get('token')!;
    const config = (await (await fetch('http://127.0.0.1:47331/api/config', { headers: { 'x-booth-token': token } })).json()) as {
      value: { outOfService: string | null };
    };
    expect(config.value.outOfService).toBe('not_enrolled');
    // Written, not just created: the process group is killed right after this test.
    await eventually(() => /screenshot-written/.test(out), 'the screenshot', 30_000);
    expect(statSync(path.join(SHOTS, 'kiosk-session-chromium-out-of-service-1280x800.png')).size).toBeGreaterThan(0);
  });
});
