import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseKiosk, chromiumKioskArgs, kioskProfilePreferences, makeKioskProfile } from '../../main/kiosk.ts';

describe('kiosk window choice', () => {
  it.each([
    [{ display: ':0', electron: '/e', chromium: '/c', forceHeadless: false }, 'electron'],
    [{ display: ':0', electron: null, chromium: '/c', forceHeadless: false }, 'chromium'],
    [{ display: ':0', electron: null, chromium: null, forceHeadless: false }, 'headless'],
    [{ display: undefined, electron: '/e', chromium: '/c', forceHeadless: false }, 'headless'],
    [{ display: ':0', electron: '/e', chromium: '/c', forceHeadless: true }, 'headless'],
  ])('%o → %s', (env, kind) => expect(chooseKiosk(env).kind).toBe(kind));

  it('headless says why', () => {
    const c = chooseKiosk({ display: undefined, electron: null, chromium: '/c', forceHeadless: false });
    expect(c).toMatchObject({ kind: 'headless', reason: expect.stringMatching(/display/) });
  });

  it('Chromium runs as an app in kiosk mode at the booth size, without background network chatter', () => {
    const args = chromiumKioskArgs('http://127.0.0.1:1/', '/nonexistent/profile', { width: 1920, height: 1080 });
    expect(args).toEqual(expect.arrayContaining(['--kiosk', '--app=http://127.0.0.1:1/', '--window-size=1920,1080', '--disable-background-networking']));
  });

  it('never auto-accepts media prompts for every origin: the profile it starts with allows only the booth origin', () => {
    const url = 'http://127.0.0.1:47300/#token=abc';
    const args = chromiumKioskArgs(url, makeKioskProfile(url));
    expect(args.some((a) => a.startsWith('--use-fake-ui-for-media-stream'))).toBe(false);
    const dir = args.find((a) => a.startsWith('--user-data-dir='))!.slice('--user-data-dir='.length);
    try {
      const prefs = JSON.parse(readFileSync(path.join(dir, 'Default', 'Preferences'), 'utf8')) as unknown;
      expect(prefs).toEqual(kioskProfilePreferences(url));
      const ex = (prefs as { profile: { content_settings: { exceptions: Record<string, Record<string, { setting: number }>> } } }).profile.content_settings.exceptions;
      expect(Object.keys(ex).sort()).toEqual(['media_stream_camera', 'media_stream_mic']);
      for (const k of Object.values(ex)) expect(k).toEqual({ 'http://127.0.0.1:47300,*': { setting: 1 } });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
