import { describe, expect, it } from 'vitest';
import {
  allowNavigation,
  allowPermission,
  contentSecurityPolicy,
  isAllowedNavigation,
  isAllowedPermission,
  isAppUrl,
  isBlockedKey,
  isProduction,
  secureWebPreferences,
  withCsp,
  type KeyInput,
} from '../../../main/electron/policy.ts';

const APP = 'http://127.0.0.1:47300';

describe('kiosk lockdown decisions (no Electron needed)', () => {
  it.each([
    ['http://127.0.0.1:47300/#/start', true],
    ['http://127.0.0.1:47300/service', true],
    ['http://127.0.0.1:47301/', false],
    ['http://localhost:47300/', false],
    ['https://127.0.0.1:47300/', false],
    ['http://127.0.0.1:47300.evil.example/', false],
    ['http://127.0.0.1:47300@evil.example/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['data:text/html,hi', false],
    ['not a url', false],
  ])('navigation to %s allowed: %s', (url, allowed) => {
    expect(allowNavigation(url, APP)).toBe(allowed);
    expect(isAppUrl(url, APP)).toBe(allowed);
  });

  it.each([
    [{ permission: 'media', requestingUrl: `${APP}/`, mediaTypes: ['video', 'audio'] }, true],
    [{ permission: 'media', requestingUrl: `${APP}/`, mediaTypes: ['audio'] }, true],
    [{ permission: 'media', requestingUrl: `${APP}/`, mediaTypes: [] }, true],
    [{ permission: 'media', requestingUrl: `${APP}/`, mediaTypes: ['video'], isMainFrame: false }, false],
    [{ permission: 'media', requestingUrl: 'http://evil.example/', mediaTypes: ['video'] }, false],
    [{ permission: 'media', requestingUrl: `${APP}/`, mediaTypes: ['screen'] }, false],
    [{ permission: 'display-capture', requestingUrl: `${APP}/` }, false],
    [{ permission: 'geolocation', requestingUrl: `${APP}/` }, false],
    [{ permission: 'notifications', requestingUrl: `${APP}/` }, false],
    [{ permission: 'clipboard-read', requestingUrl: `${APP}/` }, false],
    [{ permission: 'serial', requestingUrl: `${APP}/` }, false],
    [{ permission: 'hid', requestingUrl: `${APP}/` }, false],
    [{ permission: 'openExternal', requestingUrl: `${APP}/` }, false],
  ])('permission %o → %s', (ask, allowed) => {
    expect(allowPermission(ask, APP)).toBe(allowed);
  });

  it('has a CSP that allows only the app itself to run scripts and connect', () => {
    const csp = contentSecurityPolicy();
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(withCsp({ 'content-type': ['text/html'] })['Content-Security-Policy']).toEqual([csp]);
    expect(withCsp({ 'content-security-policy': 'x' })).toEqual({ 'content-security-policy': 'x' });
  });

  it('locks webPreferences down', () => {
    expect(secureWebPreferences()).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
  });

  const key = (k: Partial<KeyInput>): KeyInput => ({
    type: 'keyDown',
    key: 'a',
    control: false,
    alt: false,
    meta: false,
    shift: false,
    ...k,
  });
  it.each([
    [key({ key: 'F12' }), true],
    [key({ key: 'F11' }), true],
    [key({ key: 'F5' }), true],
    [key({ key: 'r', control: true }), true],
    [key({ key: 'I', control: true, shift: true }), true],
    [key({ key: 'w', control: true }), true],
    [key({ key: 'F4', alt: true }), true],
    [key({ key: 'ArrowLeft', alt: true }), true],
    [key({ key: 'Meta', meta: true }), true],
    [key({ key: 'c', control: true }), false],
    [key({ key: '1' }), false],
    [key({ key: 'X' }), false],
    [key({ key: 'Enter' }), false],
    [key({ key: 'Backspace' }), false],
  ])('key %o blocked: %s', (k, blocked) => {
    expect(isBlockedKey(k)).toBe(blocked);
  });

  it.each([
    ['packaged', true, true, {}],
    ['npm start', false, false, {}],
    ['NODE_ENV=production', true, false, { NODE_ENV: 'production' }],
    ['NODE_ENV=development', false, false, { NODE_ENV: 'development' }],
    ['the units (kiosk-session: BOOTH_PRODUCTION=1)', true, false, { BOOTH_PRODUCTION: '1' }],
    ['BOOTH_PRODUCTION=0', false, false, { BOOTH_PRODUCTION: '0' }],
    ['BOOTH_PRODUCTION=yes is not 1', false, false, { BOOTH_PRODUCTION: 'yes' }],
    ['packaged, BOOTH_PRODUCTION=0 (packaged wins)', true, true, { BOOTH_PRODUCTION: '0' }],
    ['packaged, technician dev mode', false, true, { BOOTH_KIOSK_DEV: '1' }],
    ['units, technician dev mode', false, false, { BOOTH_PRODUCTION: '1', BOOTH_KIOSK_DEV: '1' }],
  ] as const)('%s → production (no devtools, no menus): %s', (_name, expected, isPackaged, env) => {
    expect(isProduction({ isPackaged, env })).toBe(expected);
  });
});
const APP2 = 'http://127.0.0.1:4100';

describe('Electron lockdown policy (skeleton names)', () => {
  it.each([
    ['http://127.0.0.1:4100/#token=x', true],
    ['http://127.0.0.1:4100/anything', true],
    ['http://127.0.0.1:4101/', false],
    ['http://localhost:4100/', false],
    ['https://example.com/', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('navigate to %s → %s', (url, allowed) => expect(isAllowedNavigation(url, APP2)).toBe(allowed));

  it.each([
    ['media', `${APP2}/`, ['video', 'audio'], true],
    ['media', `${APP2}/`, ['video'], true],
    ['media', 'https://evil.example/', ['video'], false],
    ['geolocation', `${APP2}/`, undefined, false],
    ['notifications', `${APP2}/`, undefined, false],
    ['clipboard-read', `${APP2}/`, undefined, false],
    ['openExternal', `${APP2}/`, undefined, false],
  ])('%s from %s %o → %s', (perm, url, media, allowed) => expect(isAllowedPermission(perm, url, APP2, media)).toBe(allowed));
});
