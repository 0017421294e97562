// The thin Electron shell: one locked-down kiosk window on the booth core's URL.
// The core itself runs in plain Node (npm start spawns this with BOOTH_KIOSK_URL).
// Hardening follows Electron's security checklist: the decisions are pure functions in ./policy.ts
// (tested without an Electron binary), wired by ./lockdown.ts; recovery by ./recovery.ts.
import { app, BrowserWindow, session } from 'electron';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { systemClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import { nightlyRestartPolicy } from '../kiosk/nightlyRestart.ts';
import { hideCursor, lockApp, lockSession, lockWebContents } from './lockdown.ts';
import { isProduction, secureWebPreferences } from './policy.ts';
import { scheduleNightlyRestart, watchRenderer } from './recovery.ts';
import { startUpdater } from './updater.ts';
import { startEmbeddedCore } from './embeddedCore.ts';
import { loadConfig } from '../config.ts';
import { linkFromFiles } from '../technician/files.ts';
import { callCore } from '../../contract/kioskClient.ts';

const log = createLogger('kiosk-shell');

const production = isProduction({ isPackaged: app.isPackaged, env: process.env });
const dataDir = process.env.BOOTH_DATA_DIR ?? process.env.BOOTH_DATA ?? path.join(app.getPath('userData'), 'booth');
let win: BrowserWindow | null = null;
// Single instance first: a second start must not start a second core on the same port.
const primary = lockApp(production, () => win);
// npm start runs the core in Node and passes its URL; the packaged app runs the core in here.
// The units' kiosk-session exports BOOTH_PORT (the port the Chromium fallback's policy allows too).
const corePort = process.env.BOOTH_PORT ? Number(process.env.BOOTH_PORT) : undefined;
const kioskUrl = process.env.BOOTH_KIOSK_URL ?? (primary ? (await startEmbeddedCore(dataDir, corePort)).kioskUrl : 'http://127.0.0.1/');
const appOrigin = new URL(kioskUrl).origin;
const touch = process.env.BOOTH_TOUCH !== '0';
/** A resident counts as present while they touched the screen within this long (the idle timeout + margin). */
const PRESENCE_MS = Number(process.env.BOOTH_PRESENCE_MS ?? 120_000);

let lastInputAt = 0;

if (primary) {
  void app.whenReady().then(() => {
    lockSession(session.defaultSession, appOrigin);
    win = new BrowserWindow({
      kiosk: true,
      fullscreen: true,
      frame: false,
      autoHideMenuBar: true,
      backgroundColor: '#ffffff',
      show: false,
      webPreferences: { ...secureWebPreferences(), devTools: !production },
    });
    const w = win;
    w.removeMenu();
    lockWebContents(w.webContents, appOrigin, production);
    watchRenderer(w, kioskUrl, systemClock);
    w.webContents.on('input-event', () => {
      lastInputAt = systemClock.now();
    });
    w.webContents.on('did-finish-load', () => {
      if (touch) void hideCursor(w.webContents);
    });
    w.once('ready-to-show', () => w.show());
    void w.loadURL(kioskUrl);

    const sessionActive = () => systemClock.now() - lastInputAt < PRESENCE_MS;
    // Quiet hours and the nightly-restart switch are the back office's settings: read them from the
    // core's /api/config every few minutes (applied without a restart).
    let policy = nightlyRestartPolicy(null, process.env);
    let updatesEnabled = true;
    let updateAgent: { setPolicy(p: { quietHours: { start: string; end: string }; enabled: boolean }): void } | null = null;
    const coreToken = new URLSearchParams(new URL(kioskUrl).hash.slice(1)).get('token') ?? '';
    const readSettings = async () => {
      const answer = await callCore(appOrigin, coreToken, 'config', {});
      const bo = answer.ok ? answer.value.backOffice : undefined;
      if (bo && bo.revision > 0) {
        policy = nightlyRestartPolicy(bo, process.env);
        updatesEnabled = bo.updatesEnabled;
        updateAgent?.setPolicy({ quietHours: policy.window, enabled: updatesEnabled });
      }
    };
    void readSettings();
    setInterval(() => void readSettings(), 5 * 60_000).unref();
    // Under npm start the core launched this window and restarts it (main/kiosk/supervisor.ts): a
    // relaunch from here would leave a second window the core does not know about.
    if (!process.env.BOOTH_KIOSK_URL) scheduleNightlyRestart(() => policy, sessionActive, systemClock);

    // Updates only in the packaged app (a development run has nothing to replace).
    const intakeUrl = process.env.BOOTH_INTAKE_URL ?? loadConfig(dataDir).intakeUrl;
    if (app.isPackaged && intakeUrl) {
      const keyFile = path.join(process.resourcesPath, 'release-key.pub');
      void startUpdater({
        link: linkFromFiles(dataDir, { ...loadConfig(dataDir), intakeUrl }, 15_000),
        dataDir,
        publicKeyPem: readFileSync(keyFile, 'utf8'),
        config: { quietHours: policy.window, timeZone: policy.timeZone, enabled: updatesEnabled },
        // The new version works if the core answers and the start screen loaded.
        selfTest: async () => {
          const answer = await callCore(appOrigin, coreToken, 'status', {});
          return answer.ok && !w.webContents.isCrashed();
        },
        sessionActive,
      })
        .then((agent) => {
          updateAgent = agent;
          agent.setPolicy({ quietHours: policy.window, enabled: updatesEnabled });
          const tick = () => void agent.tick().catch((e: unknown) => log.warn({ err: e }, 'update check failed'));
          tick();
          setInterval(tick, 3600_000).unref();
        })
        .catch((e: unknown) => log.error({ err: e }, 'updater did not start'));
    }
  });
}

app.on('window-all-closed', () => app.quit());
