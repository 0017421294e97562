import { describe, expect, it } from 'vitest';
import { chooseKiosk, chromiumKioskArgs } from '../../main/kiosk.ts';

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
    const args = chromiumKioskArgs('http://127.0.0.1:1/', { width: 1920, height: 1080 });
    expect(args).toEqual(expect.arrayContaining(['--kiosk', '--app=http://127.0.0.1:1/', '--window-size=1920,1080', '--disable-background-networking']));
  });
});
