// The packaging files agree with each other and with what the docs promise (no systemd, Xorg or
// electron-builder run here, so at least their content is checked).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { KNOWN_HID_READERS } from '../../drivers/idcard/transports/hidReports.ts';
import { KNOWN_USB_READERS } from '../../drivers/idcard/transports/usbLayout.ts';
import { INSTALL_HELPER, INSTALL_UNIT, keptDebName, SUDOERS_UPDATES_DIR } from '../../main/update/packageInstall.ts';

const read = (f: string) => readFileSync(f, 'utf8');

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

describe('packaging files', () => {
  it('udev gives the kiosk user every ID reader the driver auto-detects (HID and native USB)', () => {
    const rules = read('packaging/udev/70-shuoba-booth.rules');
    for (const r of KNOWN_HID_READERS)
      expect(rules, r.label).toContain(
        `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(r.vendorId)}", ATTRS{idProduct}=="${hex4(r.productId)}", GROUP="plugdev"`,
      );
    for (const r of KNOWN_USB_READERS)
      expect(rules, r.label).toContain(
        `SUBSYSTEM=="usb", ATTRS{idVendor}=="${hex4(r.vendorId)}", ATTRS{idProduct}=="${hex4(r.productId)}", GROUP="plugdev"`,
      );
  });

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
    for (const needle of [
      '- deb',
      '- AppImage',
      'npmRebuild: false',
      'main: dist-electron/main.mjs',
      "'**/node_modules/better-sqlite3/**'",
      "'**/node_modules/node-hid/**'",
      "'**/*.node'",
      'runAsNode: true',
      'provider: generic',
    ]) {
      expect(yml).toContain(needle);
    }
  });

  it('both units restart forever, run as the kiosk user, and exclude each other', () => {
    for (const [unit, other] of [
      ['shuoba-booth', 'shuoba-booth-chromium'],
      ['shuoba-booth-chromium', 'shuoba-booth'],
    ] as const) {
      const u = read(`packaging/systemd/${unit}.service`);
      expect(u).toMatch(/^User=booth$/m);
      expect(u).toMatch(/^Restart=always$/m);
      expect(u).toMatch(/^StartLimitIntervalSec=0$/m);
      expect(u).toMatch(new RegExp(`^Conflicts=.*\\b${other}\\.service`, 'm'));
    }
  });

  const yml = () => read('electron-builder.yml');
  const productName = () => /^productName: (\S+)$/m.exec(yml())![1]!;
  const executableName = () => /^ {2}executableName: (\S+)$/m.exec(yml())![1]!;
  const execStart = (unit: string) => /^ExecStart=(.*)$/m.exec(read(`packaging/systemd/${unit}.service`))![1]!;

  it('the Electron unit runs the packaged app where the deb puts it; the Chromium unit runs the source install', () => {
    // electron-builder installs the deb to /opt/<productName>, extraResources packaging → resources/packaging.
    const app = `/opt/${productName()}`;
    expect(yml()).toMatch(/- from: packaging\n\s+to: packaging\n/);
    expect(execStart('shuoba-booth')).toBe(`/bin/sh ${app}/resources/packaging/bin/kiosk-xinit`);
    expect(read('packaging/systemd/shuoba-booth.service')).toMatch(/^Environment=BOOTH_SHELL=electron$/m);
    expect(execStart('shuoba-booth-chromium')).toBe('/bin/sh /opt/shuoba-booth-src/packaging/bin/kiosk-xinit');
    expect(read('packaging/systemd/shuoba-booth-chromium.service')).toMatch(/^Environment=BOOTH_SHELL=chromium$/m);
    const session = read('packaging/bin/kiosk-session');
    expect(session).toContain(`app=\${BOOTH_APP:-${app}}`);
    expect(session).toContain(`exec "$app/${executableName()}"`);
    expect(read('packaging/deb/after-install.sh')).toContain(`app=${app}\n`);
    expect(read('packaging/deb/after-install.sh')).toContain('sh "$app/resources/packaging/setup-kiosk-user.sh" electron');
    expect(read('packaging/setup-kiosk-user.sh')).toContain(`app=\${BOOTH_APP:-${app}}`);
  });

  it('both units are production: no embedded back office, BOOTH_PRODUCTION for the lockdown', () => {
    const session = read('packaging/bin/kiosk-session');
    expect(session).toMatch(/^export BOOTH_PRODUCTION=1$/m);
    expect(session).toMatch(/^export BOOTH_EMBED_INTAKE=0$/m);
    // Set before the case on BOOTH_SHELL, so for both branches.
    expect(session.indexOf('export BOOTH_EMBED_INTAKE=0')).toBeLessThan(session.indexOf('case "$shell" in'));
  });

  it('the deb scripts use no dollar-brace macro electron-builder cannot expand (it fails the build)', () => {
    const known = new Set(['executable', 'sanitizedProductName', 'productFilename']);
    for (const f of ['packaging/deb/after-install.sh', 'packaging/deb/after-remove.sh']) {
      const macros = [...read(f).matchAll(/\$\{([a-zA-Z]+)\}/g)].map((m) => m[1]!);
      expect(
        macros.filter((m) => !known.has(m)),
        f,
      ).toEqual([]);
    }
  });

  it('an upgrade or rollback does not stop the kiosk: the postrm acts on remove and purge only', () => {
    const postrm = read('packaging/deb/after-remove.sh');
    const guard = postrm.indexOf('remove | purge) ;;');
    expect(guard).toBeGreaterThan(0);
    expect(postrm.indexOf('*) exit 0 ;;')).toBeGreaterThan(guard);
    expect(postrm.indexOf('systemctl disable')).toBeGreaterThan(guard);
    expect(postrm).toContain('rm -f /etc/sudoers.d/shuoba-booth-update');
  });

  it('the sudoers rule allows the helper the updater calls and nothing else; setup installs both root-owned; the deb needs sudo and openssl', () => {
    const rule = read('packaging/sudoers/shuoba-booth-update');
    const lines = rule.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines).toEqual([
      `Defaults!${INSTALL_HELPER} env_reset, !setenv`,
      expect.stringMatching(new RegExp(`^booth ALL=\\(root\\) NOPASSWD: ${INSTALL_HELPER} \\^`)),
    ]);
    const helper = read('packaging/bin/install-update');
    expect(helper).toContain(`from=${SUDOERS_UPDATES_DIR}\n`);
    expect(helper).toContain('key=/usr/share/shuoba-booth/release-key.pub\n');
    expect(helper).toContain(`--unit ${INSTALL_UNIT} --collect --quiet /usr/bin/dpkg -i`);
    const setup = read('packaging/setup-kiosk-user.sh');
    expect(setup).toContain(`install -o root -g root -m 0755 "$root/bin/install-update" ${INSTALL_HELPER}`);
    expect(setup).toContain('install -o root -g root -m 0644 "$root/release-key.pub" /usr/share/shuoba-booth/release-key.pub');
    expect(setup).toContain('install -o root -g root -m 0755 "$root/bin/booth" /usr/bin/booth');
    expect(setup).toContain('"$root/sudoers/shuoba-booth-update"');
    expect(setup).toContain('/etc/sudoers.d/shuoba-booth-update');
    expect(setup).toContain(`install -d -o booth -g booth -m 0700 ${SUDOERS_UPDATES_DIR}`);
    // The key setup installs is the one the package ships (extraResources copies packaging/).
    expect(read('packaging/release-key.pub')).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    expect(yml()).toMatch(/^ {2}depends:\n(?: {4}#.*\n)* {4}- sudo\n {4}- openssl$/m);
    const postrm = read('packaging/deb/after-remove.sh');
    for (const f of ['/usr/bin/booth', '/usr/lib/shuoba-booth', '/usr/share/shuoba-booth', '/var/lib/shuoba-booth-install'])
      expect(postrm).toContain(f);
  });

  // The same version shape in three places: packageInstall.ts (the booth), the sudoers rule (sudo's
  // POSIX ERE) and install-update (grep -E): a version one allows and another refuses would make an
  // update fail at the last step.
  const ruleRegex = new RegExp(/ NOPASSWD: \S+ (\^.*\$)$/m.exec(read('packaging/sudoers/shuoba-booth-update'))![1]!);
  const helperRegex = new RegExp(`^${/grep -Eqx '([^']+)'/.exec(read('packaging/bin/install-update'))![1]!}$`);
  const booth = (v: string) => {
    try {
      keptDebName(v);
      return true;
    } catch {
      return false;
    }
  };
  it.each([
    ['1.2.3', true],
    ['0.1.0', true],
    ['10.20.30', true],
    ['2.0.0-rc.1', true],
    ['2.0.0-beta-2', true],
    ['1.2', false],
    ['v1.2.3', false],
    ['1.2.3+build.5', false],
    ['1.2.3 1.2.4', false],
    ['1.2.3/x', false],
    ['../1.2.3', false],
    ['1.2.3-', false],
    ['', false],
  ])('version %j: booth, sudoers rule and helper all say %s', (v, ok) => {
    expect([booth(v), ruleRegex.test(v), helperRegex.test(v)]).toEqual([ok, ok, ok]);
  });
});
