// The packaging files agree with each other and with what the docs promise (no systemd, Xorg or
// electron-builder run here, so at least their content is checked).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';

const read = (f: string) => readFileSync(f, 'utf8');

describe('packaging files', () => {
  it('the Chromium policy locks the fallback to the core port the kiosk session uses', () => {
    const policy = JSON.parse(read('packaging/chromium/shuoba-booth-policy.json')) as Record<string, unknown>;
    const port = /BOOTH_PORT=\$\{BOOTH_PORT:-(\d+)\}/.exec(read('packaging/bin/kiosk-session'))?.[1];
    expect(port).toBeDefined();
    const origin = `http://127.0.0.1:${port}`;
    expect(policy).toMatchObject({
      URLBlocklist: ['*'],
      URLAllowlist: [origin],
      VideoCaptureAllowedUrls: [origin],
      AudioCaptureAllowedUrls: [origin],
      DeveloperToolsAvailability: 2,
      DefaultPopupsSetting: 2,
      DefaultGeolocationSetting: 2,
    });
    expect(read('packaging/setup-kiosk-user.sh')).toContain(`BOOTH_PORT=${port}`);
  });

  it('electron-builder.yml: deb + AppImage, native modules unpacked, no rebuild on this machine, the bundled shell as main', () => {
    const yml = read('electron-builder.yml');
    for (const needle of ['- deb', '- AppImage', 'npmRebuild: false', 'main: dist-electron/main.mjs', '"**/node_modules/better-sqlite3/**"', '"**/node_modules/node-hid/**"', '"**/*.node"', 'runAsNode: false', 'provider: generic']) {
      expect(yml).toContain(needle);
    }
  });

  it('both units restart forever, run as the kiosk user, and exclude each other', () => {
    for (const [unit, other] of [['shuoba-booth', 'shuoba-booth-chromium'], ['shuoba-booth-chromium', 'shuoba-booth']] as const) {
      const u = read(`packaging/systemd/${unit}.service`);
      expect(u).toMatch(/^User=booth$/m);
      expect(u).toMatch(/^Restart=always$/m);
      expect(u).toMatch(/^StartLimitIntervalSec=0$/m);
      expect(u).toMatch(new RegExp(`^Conflicts=.*\\b${other}\\.service`, 'm'));
    }
  });
});
