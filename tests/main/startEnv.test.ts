import { describe, expect, it } from 'vitest';
import { embedsIntake, readStartEnv } from '../../main/startEnv.ts';

describe('what main/start.ts does, from its environment', () => {
  it.each([
    ['npm start', {}, { embedIntake: true, production: false, kiosk: 'auto', hangWatch: true }],
    // packaging/bin/kiosk-session for the Chromium unit
    [
      'the Chromium unit',
      { BOOTH_EMBED_INTAKE: '0', BOOTH_PRODUCTION: '1', KIOSK: 'chromium' },
      { embedIntake: false, production: true, kiosk: 'chromium', hangWatch: true },
    ],
    ['headless development', { KIOSK: 'headless' }, { embedIntake: true, production: false, kiosk: 'headless', hangWatch: true }],
    [
      'a test bench with devtools',
      { BOOTH_PRODUCTION: '1', BOOTH_KIOSK_DEV: '1' },
      { embedIntake: true, production: false, kiosk: 'auto', hangWatch: false },
    ],
    [
      'empty values are unset',
      { BOOTH_EMBED_INTAKE: '', KIOSK: '' },
      { embedIntake: true, production: false, kiosk: 'auto', hangWatch: true },
    ],
    ['NODE_ENV=production', { NODE_ENV: 'production' }, { embedIntake: true, production: true, kiosk: 'auto', hangWatch: true }],
  ])('%s', (_n, env, expected) => {
    expect(readStartEnv(env)).toEqual({ boothPort: null, intakePort: 4300, ...expected });
  });

  it.each([
    [{ BOOTH_PORT: '47300' }, 47300, 4300],
    [{ BOOTH_PORT: '0', INTAKE_PORT: '0' }, 0, 0],
    [{ BOOTH_PORT: ' ', INTAKE_PORT: '4400' }, null, 4400],
  ])('ports from %o', (env, boothPort, intakePort) => {
    expect(readStartEnv(env)).toMatchObject({ boothPort, intakePort });
  });

  it.each([
    [{ BOOTH_EMBED_INTAKE: 'no' }, /BOOTH_EMBED_INTAKE must be 0 or 1, not "no"/],
    [{ BOOTH_PRODUCTION: 'true' }, /BOOTH_PRODUCTION must be 0 or 1, not "true"/],
    [{ BOOTH_KIOSK_DEV: 'yes' }, /BOOTH_KIOSK_DEV must be 0 or 1/],
    [{ KIOSK: 'firefox' }, /KIOSK must be headless, chromium or electron .*not "firefox"/],
    [{ BOOTH_PORT: '47300x' }, /BOOTH_PORT must be a whole number from 0 to 65535 .*got "47300x"/],
    [{ INTAKE_PORT: '70000' }, /INTAKE_PORT must be a whole number from 0 to 65535/],
  ])('refuses a typo with a clear message: %o', (env, message) => {
    expect(() => readStartEnv(env)).toThrow(message);
  });

  it.each([
    ['dev, no intake address: embeds one', {}, null, true],
    ['dev, provisioned: uses the real one', {}, 'https://intake.example.cn', false],
    ['the units, not provisioned: none (out of service)', { BOOTH_EMBED_INTAKE: '0' }, null, false],
    ['the units, provisioned', { BOOTH_EMBED_INTAKE: '0' }, 'https://intake.example.cn', false],
  ])('%s', (_n, env, intakeUrl, embeds) => {
    expect(embedsIntake(readStartEnv(env), intakeUrl)).toBe(embeds);
  });
});
