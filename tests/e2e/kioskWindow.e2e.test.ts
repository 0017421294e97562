// The core keeps its Chromium kiosk window alive (main/kiosk/supervisor.ts), as under the Chromium
// unit: main/start.ts under Xvfb with KIOSK=chromium. A browser killed outright comes back on the
// same core; a page whose renderer stops (SIGSTOP: no more pings) has its window killed and
// relaunched, and the stopped renderer goes with it (the window's process group is ended).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/stack.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'booth-kiosk-window-'));
let child: ChildProcess | null = null;
const stopped: number[] = [];

afterAll(async () => {
  for (const pid of stopped) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone with its window, as it should be
    }
  }
  if (child?.pid && child.exitCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await gone;
  }
  rmSync(dir, { recursive: true, force: true });
});

interface Proc {
  pid: number;
  ppid: number;
  state: string;
  args: string;
}

function processes(): Proc[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ pid: Number(m[1]), ppid: Number(m[2]), state: m[3]!, args: m[4]! }));
}

/** The kiosk's browser process for this URL (not its helpers, which carry --type=). */
function browserFor(url: string): Proc | null {
  return processes().find((p) => p.args.includes(`--app=${url}`) && !p.args.includes('--type=')) ?? null;
}

const profileOf = (p: Proc) => /--user-data-dir=(\S+)/.exec(p.args)![1]!;
const renderersOf = (profile: string) =>
  processes().filter((p) => p.args.includes('--type=renderer') && p.args.includes(`--user-data-dir=${profile}`));

describe('kiosk window recovery (Chromium, as under the fallback unit)', () => {
  it('relaunches a killed browser, and a window whose page stopped answering', async () => {
    const env = {
      ...process.env,
      BOOTH_DATA: path.join(dir, 'booth'),
      INTAKE_DATA: path.join(dir, 'intake'),
      BOOTH_PORT: '0',
      INTAKE_PORT: '0',
      KIOSK: 'chromium',
      LOG_LEVEL: 'warn',
    };
    child = spawn('xvfb-run', ['-a', '-s', '-screen 0 1280x800x24', path.resolve('node_modules/.bin/tsx'), 'main/start.ts'], {
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(() => /kiosk window: chromium/.test(out), 'the kiosk window line', 60_000).catch((e: Error) => {
      throw new Error(`${e.message}; output was:\n${out}`);
    });
    const url = /^kiosk: (\S+)$/m.exec(out)![1]!;
    const first = await eventually(() => browserFor(url), 'the first Chromium window');
    const core = first.ppid;

    // 1. The browser dies (as after a GPU fault or an OOM kill): a new one opens on the same core.
    process.kill(first.pid, 'SIGKILL');
    const second = await eventually(() => {
      const b = browserFor(url);
      return b && b.pid !== first.pid ? b : null;
    }, 'a relaunched Chromium window');
    expect(second.ppid).toBe(core);
    // The log line reaches us through the child's stderr pipe: it may arrive after ps shows the new window.
    await eventually(() => /kiosk window exited; relaunching it/.test(out), 'the relaunch log line');
    await eventually(() => !existsSync(profileOf(first)), "the killed window's profile to be removed");

    // 2. The page stops: once it has pinged, freeze its renderers. No more pings → the window is
    //    killed and relaunched (15 s without a ping + 10 s grace), the frozen renderers with it.
    const profile = profileOf(second);
    await eventually(() => renderersOf(profile).length > 0, 'the page renderer');
    await new Promise((r) => setTimeout(r, 6_000)); // at least one ping from the loaded page
    // Every renderer of this window is frozen, also one Chromium starts after this point (on a
    // loaded machine the page's own renderer can come after the first one listed: freezing only
    // a snapshot left the page pinging, and the window was rightly never relaunched).
    const freeze = () => {
      for (const r of renderersOf(profile)) {
        if (stopped.includes(r.pid)) continue;
        process.kill(r.pid, 'SIGSTOP');
        stopped.push(r.pid);
      }
    };
    const third = await eventually(
      () => {
        const b = browserFor(url);
        if (b && b.pid !== second.pid) return b;
        freeze();
        return null;
      },
      'the window of the frozen page to be relaunched',
      90_000,
    );
    const renderers = [...stopped];
    expect(third.ppid).toBe(core);
    await eventually(() => /kiosk page stopped answering; closing its window to relaunch it/.test(out), 'the hang log line');
    // A killed renderer may linger a moment as a zombie (state Z) until it is reaped: that is gone too.
    await eventually(
      () => renderers.every((pid) => !processes().some((p) => p.pid === pid && !p.state.startsWith('Z'))),
      'the frozen renderers to be gone',
    );

    // The core never restarted: the kiosk URL (per-boot token) still answers.
    const u = new URL(url);
    const status = await fetch(`${u.origin}/api/status`, {
      headers: { 'x-booth-token': new URLSearchParams(u.hash.slice(1)).get('token')! },
    });
    expect(status.status).toBe(200);
    expect(out).not.toMatch(/keeps failing/);
  });
});
