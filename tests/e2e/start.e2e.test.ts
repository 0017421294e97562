// `npm start`'s program as a user runs it: under a display (Xvfb) it prints the two URLs and opens
// Chromium in --kiosk --app mode on the kiosk URL; without a display it says it runs headless.
// SIGTERM stops the kiosk window with it.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../support/stack.ts';

let child: ChildProcess | null = null;
let dir = '';
afterEach(async () => {
  if (child && child.exitCode === null) {
    process.kill(-child.pid!, 'SIGKILL');
  }
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

function start(withDisplay: boolean): { out: () => string } {
  dir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-'));
  const env = {
    ...process.env,
    BOOTH_DATA: path.join(dir, 'booth'),
    INTAKE_DATA: path.join(dir, 'intake'),
    BOOTH_PORT: '0',
    INTAKE_PORT: '0',
    DISPLAY: '',
  };
  const tsx = path.resolve('node_modules/.bin/tsx');
  const cmd = withDisplay ? 'xvfb-run' : tsx;
  const args = withDisplay ? ['-a', '-s', '-screen 0 1280x800x24', tsx, 'main/start.ts'] : ['main/start.ts'];
  let out = '';
  child = spawn(cmd, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { out: () => out };
}

const chromiumFor = (url: string): string[] => {
  try {
    return execFileSync('pgrep', ['-f', '--', `--app=${url}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
};

describe('npm start', () => {
  it('without a display: prints kiosk and staff URLs and says it runs headless', async () => {
    const s = start(false);
    await eventually(() => /kiosk window: none/.test(s.out()), 'the kiosk window line');
    expect(s.out()).toMatch(/^kiosk: http:\/\/127\.0\.0\.1:\d+\/#token=\S+$/m);
    expect(s.out()).toMatch(/^staff: http:\/\/127\.0\.0\.1:\d+\/staff\/$/m);
    expect(s.out()).toMatch(/running headless/);
    // A fresh back office has no account and no default password: the newcomer is told what to type.
    const hint =
      /^staff: no account yet; make the first admin with: (npm run intake:cli -- create-admin --username admin --data \S+)$/m.exec(s.out());
    expect(hint).not.toBeNull();
    expect(hint![1]).toContain(path.join(dir, 'intake'));
  });

  // The core waits for the window's exit (killing it if it is slow to quit) before it exits
  // itself, so the exit handler removing the profile has run (tests/main/kiosk/supervisor.int.test.ts).
  it('under a display: opens Chromium in kiosk app mode on the kiosk URL, and closes it on SIGTERM', async () => {
    const s = start(true);
    await eventually(() => /kiosk window: chromium/.test(s.out()), 'the kiosk window line').catch((e: Error) => {
      throw new Error(`${e.message}; output was:\n${s.out()}`);
    });
    const url = /^kiosk: (\S+)$/m.exec(s.out())![1]!;
    const pids = await eventually(() => (chromiumFor(url).length ? chromiumFor(url) : null), 'a Chromium kiosk process');
    const cmdline = execFileSync('ps', ['-o', 'args=', '-p', pids[0]!], { encoding: 'utf8' });
    expect(cmdline).toContain('--kiosk');
    const profile = /--user-data-dir=(\S+)/.exec(cmdline)![1]!;
    expect(existsSync(profile)).toBe(true);
    // Stop the booth the way systemd would: SIGTERM to the booth process only (not its window),
    // found inside this test's own process group so nothing else on the machine is touched.
    const booth = execFileSync('pgrep', ['-a', '-g', String(child!.pid), '-f', 'main/start.ts'], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter((line) => !line.includes('xvfb-run'))
      .map((line) => Number(line.split(' ')[0]));
    for (const pid of booth) process.kill(pid, 'SIGTERM');
    await eventually(() => chromiumFor(url).length === 0, 'Chromium to close with the booth');
    // The kiosk's throw-away profile goes with it.
    await eventually(() => !existsSync(profile), 'the kiosk profile to be removed');
  });
});
