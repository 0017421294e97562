// The wiring of the lockdown into Electron's session/webContents, with Electron replaced by
// recording fakes (no Electron binary on these machines; the real one runs in the smoke test).
import { describe, expect, it, vi } from 'vitest';
import { EventEmitter } from 'node:events';

vi.mock('electron', () => ({
  app: Object.assign(new EventEmitter(), { requestSingleInstanceLock: vi.fn(() => true), quit: vi.fn() }),
  Menu: { setApplicationMenu: vi.fn() },
}));

const { lockSession, lockWebContents, lockApp } = await import('../../../main/electron/lockdown.ts');
const electron = await import('electron');

const APP = 'http://127.0.0.1:47300';

function fakeSession() {
  const h: Record<string, (...a: unknown[]) => unknown> = {};
  const ses = Object.assign(new EventEmitter(), {
    setPermissionRequestHandler: (f: never) => (h.request = f),
    setPermissionCheckHandler: (f: never) => (h.check = f),
    setDevicePermissionHandler: (f: never) => (h.device = f),
    setDisplayMediaRequestHandler: (f: never) => (h.display = f),
    webRequest: { onHeadersReceived: (f: never) => (h.headers = f), onBeforeRequest: (f: never) => (h.before = f) },
  });
  return { ses, h };
}

function fakeWebContents() {
  const wc = Object.assign(new EventEmitter(), {
    openHandler: null as null | (() => unknown),
    setWindowOpenHandler(f: () => unknown) {
      this.openHandler = f;
    },
    closeDevTools: vi.fn(),
    setVisualZoomLevelLimits: vi.fn(async () => undefined),
    getURL: () => `${APP}/`,
  });
  return wc;
}

const ask = (h: Record<string, (...a: unknown[]) => unknown>, permission: string, requestingUrl: string, extra: object = {}) =>
  new Promise<boolean>((resolve) =>
    h.request!({ getURL: () => requestingUrl }, permission, resolve, { requestingUrl, isMainFrame: true, ...extra }),
  );

describe('lockdown wired into a session', () => {
  it('grants camera and microphone to the app, nothing else to anyone', async () => {
    const { ses, h } = fakeSession();
    lockSession(ses as never, APP);
    expect(await ask(h, 'media', `${APP}/`, { mediaTypes: ['video', 'audio'] })).toBe(true);
    expect(await ask(h, 'media', 'http://evil.example/', { mediaTypes: ['video'] })).toBe(false);
    expect(await ask(h, 'geolocation', `${APP}/`)).toBe(false);
    expect(await ask(h, 'notifications', `${APP}/`)).toBe(false);
    expect(h.check!(null, 'media', APP, { mediaType: 'video', requestingUrl: `${APP}/`, isMainFrame: true })).toBe(true);
    expect(h.check!(null, 'clipboard-read', APP, { requestingUrl: `${APP}/`, isMainFrame: true })).toBe(false);
    expect(h.device!()).toBe(false);
    let display: unknown = 'unset';
    h.display!({}, (x: unknown) => (display = x));
    expect(display).toEqual({});
  });

  it('adds the CSP to app responses and cancels requests to other origins and downloads', () => {
    const { ses, h } = fakeSession();
    lockSession(ses as never, APP);
    let headers: Record<string, unknown> = {};
    h.headers!({ url: `${APP}/`, responseHeaders: {} }, (r: { responseHeaders: Record<string, unknown> }) => (headers = r.responseHeaders));
    expect(String(headers['Content-Security-Policy'])).toContain("script-src 'self'");
    const cancel = (url: string) => new Promise((resolve) => h.before!({ url }, (r: { cancel: boolean }) => resolve(r.cancel)));
    return Promise.all([
      expect(cancel(`${APP}/api/x`)).resolves.toBe(false),
      expect(cancel('https://cdn.example/x.js')).resolves.toBe(true),
    ]).then(() => {
      const ev = { preventDefault: vi.fn() };
      ses.emit('will-download', ev);
      expect(ev.preventDefault).toHaveBeenCalled();
    });
  });

  it('blocks navigation away, new windows, webviews, devtools keys and the context menu', () => {
    const wc = fakeWebContents();
    lockWebContents(wc as never, APP, true);
    const nav = (event: string, url: string) => {
      const ev = { preventDefault: vi.fn(), url };
      wc.emit(event, ev, url);
      return ev.preventDefault.mock.calls.length > 0;
    };
    expect(nav('will-navigate', `${APP}/#/service`)).toBe(false);
    expect(nav('will-navigate', 'https://evil.example/')).toBe(true);
    expect(nav('will-redirect', 'file:///etc/passwd')).toBe(true);
    expect(nav('will-frame-navigate', 'https://evil.example/')).toBe(true);
    expect(wc.openHandler!()).toEqual({ action: 'deny' });
    const key = { preventDefault: vi.fn() };
    wc.emit('before-input-event', key, { type: 'keyDown', key: 'F12', control: false, alt: false, meta: false, shift: false });
    expect(key.preventDefault).toHaveBeenCalled();
    const typing = { preventDefault: vi.fn() };
    wc.emit('before-input-event', typing, { type: 'keyDown', key: '7', control: false, alt: false, meta: false, shift: false });
    expect(typing.preventDefault).not.toHaveBeenCalled();
    const menu = { preventDefault: vi.fn() };
    wc.emit('context-menu', menu);
    expect(menu.preventDefault).toHaveBeenCalled();
    wc.emit('devtools-opened');
    expect(wc.closeDevTools).toHaveBeenCalled();
  });

  it('takes the single-instance lock and removes the menu in production', () => {
    expect(lockApp(true, () => null)).toBe(true);
    expect(electron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledWith(null);
  });
});
