// Wires main/kiosk/rendererRecovery.ts and main/kiosk/nightlyRestart.ts into a kiosk window: a crashed or hung page is
// reloaded to the start screen; past the budget the app exits and systemd starts it fresh; every
// night in quiet hours the app relaunches itself when nobody is using it.
import { app, type BrowserWindow } from 'electron';
import { createLogger } from '../../lib/log.ts';
import type { Clock } from '../../lib/clock.ts';
import { initialRecovery, onRendererTrouble, type RendererTrouble } from '../kiosk/rendererRecovery.ts';
import type { NightlyRestartPolicy } from '../kiosk/nightlyRestart.ts';
import { startNightlyRestart } from '../kiosk/nightlyTimer.ts';

const log = createLogger('kiosk-recovery');

export function watchRenderer(win: BrowserWindow, startUrl: string, clock: Clock): void {
  let state = initialRecovery();
  let timer: unknown = null;
  const handle = (t: RendererTrouble) => {
    const r = onRendererTrouble(state, t, clock.now());
    state = r.state;
    const a = r.action;
    switch (a.type) {
      case 'reload-start-screen':
        log.warn({ trouble: t.type }, 'reloading the start screen');
        void win.loadURL(startUrl);
        break;
      case 'reload-later':
        clock.clearTimeout(timer);
        timer = clock.setTimeout(() => void win.loadURL(startUrl), a.afterMs);
        break;
      case 'wait-for-hang':
        clock.clearTimeout(timer);
        timer = clock.setTimeout(() => handle({ type: 'unresponsive' }), a.afterMs);
        break;
      case 'exit-for-service-restart':
        log.error('renderer keeps failing; exiting so the system service restarts the kiosk');
        app.exit(1);
        break;
      case 'none':
        clock.clearTimeout(timer);
        break;
      default: {
        const never: never = a;
        throw new Error(String(never));
      }
    }
  };
  win.webContents.on('render-process-gone', (_e, d) => handle({ type: 'gone', reason: d.reason }));
  win.on('unresponsive', () => handle({ type: 'unresponsive' }));
  win.on('responsive', () => handle({ type: 'responsive' }));
  win.webContents.on('did-fail-load', (_e, code, _desc, _url, isMainFrame) => {
    // -3 is ERR_ABORTED (a navigation replaced by another), not a failure.
    if (isMainFrame && code !== -3) handle({ type: 'load-failed' });
  });
}

export function scheduleNightlyRestart(policy: () => NightlyRestartPolicy, sessionActive: () => boolean, clock: Clock): void {
  startNightlyRestart(policy, sessionActive, clock, () => {
    log.info('nightly restart');
    app.relaunch();
    app.exit(0);
  });
}
