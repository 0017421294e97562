// Keeps alive the kiosk window main/start.ts launched (Chromium under the fallback unit, Electron
// under npm start): relaunches it when its process exits or its page stops pinging, and past the
// budget asks its owner to exit non-zero so systemd restarts the whole session. The decisions are
// main/kiosk/windowWatch.ts; this file only carries them out on a real child process.
import type { ChildProcess } from 'node:child_process';
import type { Clock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import { Periodic } from '../../lib/periodic.ts';
import { killWindowGroup } from './open.ts';
import type { KioskPresence } from './presence.ts';
import { initialWindowWatch, onWindowEvent, WINDOW_WATCH, type WindowEvent, type WindowWatchState } from './windowWatch.ts';

const log = createLogger('kiosk-window');

export interface KioskSupervisorOptions {
  /** Opens a window on the kiosk URL (open.ts openKiosk). */
  launch: () => ChildProcess;
  presence: KioskPresence;
  clock: Clock;
  /** Relaunch a window whose page stops pinging (off for a debugging session). */
  hangWatch: boolean;
  /** The window kept failing: the owner shuts down and exits non-zero. */
  onGiveUp: () => void;
}

export class KioskSupervisor {
  private child: ChildProcess | null = null;
  private state: WindowWatchState;
  private stopped = false;
  private relaunchTimer: unknown = null;
  private readonly checks: Periodic;
  private offPing: () => void = () => undefined;

  constructor(private readonly o: KioskSupervisorOptions) {
    this.state = initialWindowWatch(o.clock.now());
    this.checks = new Periodic(
      o.clock,
      () => WINDOW_WATCH.checkEveryMs,
      async () => this.handle({ type: 'check' }),
    );
  }

  /** The window process now on screen (null between a crash and its relaunch). */
  get window(): ChildProcess | null {
    return this.child;
  }

  start(): void {
    this.offPing = this.o.presence.onPing(() => this.handle({ type: 'ping' }));
    this.launchNow();
    if (this.o.hangWatch) this.checks.start(WINDOW_WATCH.checkEveryMs);
  }

  private launchNow(): void {
    const child = this.o.launch();
    this.child = child;
    this.handle({ type: 'launched' });
    let gone = false;
    const onGone = (code: number | null, signal: string | null) => {
      if (gone) return;
      gone = true;
      if (this.child === child) this.child = null;
      this.handle({ type: 'exited', code, signal });
    };
    child.once('exit', (code, signal) => onGone(code, signal));
    // A binary that cannot start (removed by an upgrade, say) reports 'error' and maybe no 'exit'.
    child.once('error', (e) => {
      log.error({ err: e.message }, 'kiosk window did not start');
      onGone(null, null);
    });
  }

  private handle(e: WindowEvent): void {
    if (this.stopped) return;
    const r = onWindowEvent(this.state, e, this.o.clock.now());
    this.state = r.state;
    const a = r.action;
    switch (a.type) {
      case 'none':
        return;
      case 'relaunch':
        if (e.type === 'exited') log.warn({ code: e.code, signal: e.signal, afterMs: a.afterMs }, 'kiosk window exited; relaunching it');
        this.relaunchTimer = this.o.clock.setTimeout(() => {
          this.relaunchTimer = null;
          if (!this.stopped) this.launchNow();
        }, a.afterMs);
        return;
      case 'kill':
        log.warn('kiosk page stopped answering; closing its window to relaunch it');
        this.child?.kill('SIGKILL');
        return;
      case 'give-up':
        log.error('kiosk window keeps failing; exiting so the system service restarts the booth');
        this.o.onGiveUp();
        return;
      default: {
        const never: never = a;
        throw new Error(`unhandled ${JSON.stringify(never)}`);
      }
    }
  }

  /** Closes the window for a shutdown (its exit is then not a crash). A window still there after
   *  timeoutMs (a browser slow to quit on a loaded machine) is killed with its process group, and
   *  its exit is awaited too: the exit handler (open.ts) removes the throw-away profile, and a core
   *  that exited first would leave the profile in /tmp and the browser closing on its own. */
  async stop(timeoutMs = 5000): Promise<void> {
    this.stopped = true;
    this.offPing();
    void this.checks.stop();
    if (this.relaunchTimer) this.o.clock.clearTimeout(this.relaunchTimer);
    const w = this.child;
    if (!w || w.exitCode !== null || w.signalCode !== null) return;
    const gone = new Promise((resolve) => w.once('exit', resolve));
    w.kill();
    if (await this.within(gone, timeoutMs)) return;
    log.warn('kiosk window did not close in time; killing it');
    killWindowGroup(w.pid);
    if (!(await this.within(gone, timeoutMs))) log.error('kiosk window did not exit after SIGKILL');
  }

  /** Whether `p` settled within ms on the supervisor's clock. */
  private async within(p: Promise<unknown>, ms: number): Promise<boolean> {
    let timer: unknown = null;
    const settled = await Promise.race([
      p.then(() => true),
      new Promise<boolean>((resolve) => (timer = this.o.clock.setTimeout(() => resolve(false), ms))),
    ]);
    this.o.clock.clearTimeout(timer);
    return settled;
  }
}
