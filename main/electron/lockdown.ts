// Wires the pure decisions of policy.ts into Electron (the security checklist, REFERENCES 4.1).
// Everything a page could use to leave the app, reach the OS, or ask for a device it should not
// have goes through here. Kept free of app logic so it reads as the checklist it implements.
import { app, Menu, type BrowserWindow, type Session, type WebContents } from 'electron';
import { createLogger } from '../../lib/log.ts';
import { allowNavigation, allowPermission, isAppUrl, isBlockedKey, windowOpenDecision, withCsp } from './policy.ts';

const log = createLogger('kiosk-lockdown');

/** Checklist 5: deny every permission except camera/microphone for the app's origin. Also devices, screen capture, downloads. */
export function lockSession(ses: Session, appOrigin: string): void {
  // Reset first so nothing granted earlier lingers (as Signal does).
  ses.setPermissionRequestHandler(null);
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : undefined;
    const ok = allowPermission(
      { permission, requestingUrl: details.requestingUrl || wc.getURL(), mediaTypes, isMainFrame: details.isMainFrame },
      appOrigin,
    );
    if (!ok) log.warn({ permission }, 'permission request denied');
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) => {
    const mediaTypes = details.mediaType && details.mediaType !== 'unknown' ? [details.mediaType] : [];
    return allowPermission(
      { permission, requestingUrl: details.requestingUrl ?? requestingOrigin, mediaTypes, isMainFrame: details.isMainFrame },
      appOrigin,
    );
  });
  // WebHID / WebSerial / WebUSB from the page: never (the core drives the ID reader).
  ses.setDevicePermissionHandler(() => false);
  ses.on('select-hid-device', (event, _d, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.on('select-serial-port', (event, _p, _wc, callback) => {
    event.preventDefault();
    callback('');
  });
  ses.setDisplayMediaRequestHandler((_req, callback) => callback({}));
  ses.on('will-download', (event) => {
    event.preventDefault();
    log.warn('download blocked');
  });
  // Checklist 7: CSP on every response from the app (the core also sends it; this covers error pages).
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: isAppUrl(details.url, appOrigin) ? withCsp(details.responseHeaders ?? {}) : details.responseHeaders });
  });
  // Nothing but the app's own origin is ever fetched (no external network from the page).
  ses.webRequest.onBeforeRequest((details, callback) => {
    const ok =
      isAppUrl(details.url, appOrigin) ||
      details.url.startsWith('devtools://') ||
      details.url.startsWith('blob:') ||
      details.url.startsWith('data:');
    if (!ok) log.warn({ url: new URL(details.url).origin }, 'request to a foreign origin blocked');
    callback({ cancel: !ok });
  });
}

/** Checklist 12–14 + kiosk keys: no navigation away, no windows, no webviews, no devtools, no context menu. */
export function lockWebContents(wc: WebContents, appOrigin: string, production: boolean): void {
  const guard = (event: { preventDefault(): void }, url: string) => {
    if (!allowNavigation(url, appOrigin)) {
      event.preventDefault();
      log.warn({ origin: safeOrigin(url) }, 'navigation blocked');
    }
  };
  wc.on('will-navigate', (e, url) => guard(e, url));
  wc.on('will-redirect', (e, url) => guard(e, url));
  wc.on('will-frame-navigate', (e) => guard(e, e.url));
  wc.setWindowOpenHandler(() => windowOpenDecision);
  wc.on('will-attach-webview', (e) => e.preventDefault());
  wc.on('before-input-event', (event, input) => {
    if (production && isBlockedKey(input)) event.preventDefault();
  });
  wc.on('context-menu', (e) => e.preventDefault());
  if (production) {
    wc.on('devtools-opened', () => wc.closeDevTools());
  }
  // Pinch zoom would let a resident lose the layout; the app has its own large-text mode.
  void wc.setVisualZoomLevelLimits(1, 1).catch(() => undefined);
}

/** Single instance (a second start just focuses the kiosk) and no application menu in production. */
export function lockApp(production: boolean, getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const w = getWindow();
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });
  if (production) Menu.setApplicationMenu(null);
  // Any web contents created later (there should be none) gets the same treatment.
  app.on('web-contents-created', (_e, wc) => {
    wc.setWindowOpenHandler(() => windowOpenDecision);
    wc.on('will-attach-webview', (ev) => ev.preventDefault());
  });
  return true;
}

/** On touch booths no pointer is drawn (X also runs with -nocursor; this covers dev sessions). */
export async function hideCursor(wc: WebContents): Promise<void> {
  await wc.insertCSS('*, *::before, *::after { cursor: none !important; }', { cssOrigin: 'user' });
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unparsable';
  }
}
