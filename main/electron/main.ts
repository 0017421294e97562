// The thin Electron shell: one locked-down kiosk window on the booth core's URL.
// The core itself runs in plain Node (npm start spawns this with BOOTH_KIOSK_URL).
// Hardening follows Electron's security checklist; the decisions are pure functions in
// ./policy.ts so they are tested without an Electron binary.
import { app, BrowserWindow, session } from 'electron';
import { isAllowedNavigation, isAllowedPermission } from './policy.ts';

const kioskUrl = process.env.BOOTH_KIOSK_URL;
if (!kioskUrl) {
  console.error('BOOTH_KIOSK_URL is not set: start the booth with npm start');
  process.exit(2);
}
const appOrigin = new URL(kioskUrl).origin;

if (!app.requestSingleInstanceLock()) app.quit();

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (event, url) => {
    if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(isAllowedPermission(permission, details.requestingUrl ?? contents.getURL(), appOrigin, 'mediaTypes' in details ? details.mediaTypes : undefined));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin, appOrigin));

  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, devTools: !app.isPackaged },
  });
  win.removeMenu();
  void win.loadURL(kioskUrl);
  // A crashed renderer comes back on the start screen rather than leaving a dead window.
  win.webContents.on('render-process-gone', () => void win.loadURL(kioskUrl));
});

app.on('window-all-closed', () => app.quit());
