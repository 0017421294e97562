// The window supervisor on a real child process: a window slow to close on shutdown (a browser
// that does not quit on SIGTERM in time, as Chromium on a loaded machine) is killed with its
// process group, and stop() returns only after its exit was seen, so the exit handler that
// removes the throw-away profile (open.ts) has run before the core exits.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { killWindowGroup } from '../../../main/kiosk/open.ts';
import { KioskPresence } from '../../../main/kiosk/presence.ts';
import { KioskSupervisor } from '../../../main/kiosk/supervisor.ts';

const pids: number[] = [];
afterEach(() => {
  for (const pid of pids.splice(0)) killWindowGroup(pid);
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kiosk window supervisor', () => {
  it('kills a window that ignores SIGTERM, with its helpers, and waits for its exit before stop() returns', async () => {
    let exitHandled = false;
    let helper = 0;
    const sup = new KioskSupervisor({
      launch: () => {
        // The "browser" ignores SIGTERM and has a "helper" in its process group.
        const child = spawn('sh', ['-c', 'trap "" TERM; sleep 600 & echo $!; wait'], {
          detached: true,
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        child.stdout.on('data', (d: Buffer) => (helper = Number(d.toString().trim())));
        child.on('exit', () => (exitHandled = true));
        pids.push(child.pid!);
        return child;
      },
      presence: new KioskPresence(),
      clock: systemClock,
      hangWatch: false,
      onGiveUp: () => undefined,
    });
    sup.start();
    const win = sup.window!;
    for (let i = 0; i < 100 && !helper; i++) await new Promise((r) => setTimeout(r, 50));
    expect(helper).toBeGreaterThan(0);
    await sup.stop(300);
    expect(exitHandled).toBe(true);
    expect(win.signalCode).toBe('SIGKILL');
    for (let i = 0; i < 100 && alive(helper); i++) await new Promise((r) => setTimeout(r, 50));
    expect(alive(helper)).toBe(false);
  });
});
