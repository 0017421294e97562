import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseKiosk, chromiumKioskArgs, kioskProfilePreferences, makeKioskProfile } from '../../../main/kiosk/open.ts';

describe('kiosk window choice', () => {
  it.each([
    [{ display: ':0', electron: '/e', chromium: '/c', prefer: 'auto' }, 'electron'],
    [{ display: ':0', electron: null, chromium: '/c', prefer: 'auto' }, 'chromium'],
    [{ display: ':0', electron: null, chromium: null, prefer: 'auto' }, 'headless'],
    [{ display: undefined, electron: '/e', chromium: '/c', prefer: 'auto' }, 'headless'],
    [{ display: ':0', electron: '/e', chromium: '/c', prefer: 'headless' }, 'headless'],
    // The Chromium unit: an Electron binary in the source tree is not used.
    [{ display: ':0', electron: '/e', chromium: '/c', prefer: 'chromium' }, 'chromium'],
    [{ display: ':0', electron: '/e', chromium: null, prefer: 'chromium' }, 'headless'],
    [{ display: ':0', electron: '/e', chromium: '/c', prefer: 'electron' }, 'electron'],
    [{ display: ':0', electron: null, chromium: '/c', prefer: 'electron' }, 'headless'],
    [{ display: undefined, electron: '/e', chromium: '/c', prefer: 'chromium' }, 'headless'],
  ] as const)('%o → %s', (env, kind) => expect(chooseKiosk(env).kind).toBe(kind));

  it.each([
    [{ display: undefined, electron: null, chromium: '/c', prefer: 'auto' }, /display/],
    [{ display: ':0', electron: '/e', chromium: null, prefer: 'chromium' }, /KIOSK=chromium .*Chromium is not installed/],
    [{ display: ':0', electron: null, chromium: '/c', prefer: 'electron' }, /KIOSK=electron .*no Electron binary/],
  ] as const)('headless says why: %o', (env, reason) => {
    expect(chooseKiosk(env)).toMatchObject({ kind: 'headless', reason: expect.stringMatching(reason) });
  });

  it('Chromium runs as an app in kiosk mode at the booth size, without background network chatter', () => {
    const args = chromiumKioskArgs('http://127.0.0.1:1/', '/nonexistent/profile', { width: 1920, height: 1080 });
    expect(args).toEqual(
      expect.arrayContaining(['--kiosk', '--app=http://127.0.0.1:1/', '--window-size=1920,1080', '--disable-background-networking']),
    );
  });

  it('never auto-accepts media prompts for every origin: the profile it starts with allows only the booth origin', () => {
    const url = 'http://127.0.0.1:47300/#token=abc';
    const args = chromiumKioskArgs(url, makeKioskProfile(url));
    expect(args.some((a) => a.startsWith('--use-fake-ui-for-media-stream'))).toBe(false);
    const dir = args.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
    try {
      const prefs = JSON.parse(readFileSync(path.join(dir, 'Default', 'Preferences'), 'utf8')) as unknown;
      expect(prefs).toEqual(kioskProfilePreferences(url));
      const ex = (prefs as { profile: { content_settings: { exceptions: Record<string, Record<string, { setting: number }>> } } }).profile
        .content_settings.exceptions;
      expect(Object.keys(ex).sort()).toEqual(['media_stream_camera', 'media_stream_mic']);
      for (const k of Object.values(ex)) expect(k).toEqual({ 'http://127.0.0.1:47300,*': { setting: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
