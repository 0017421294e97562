// The booth image as docs/BOOTH-IMAGE.md tells a technician to make it (issue 20): the offline
// bundle from this checkout (scripts/booth-image/make-bundle.sh), a fresh Debian 12 root made by
// debootstrap from Debian's mirror, install.sh run in it by chroot (no network used by the
// install), the kiosk session's start script as user booth (production, no display, no reader, no
// socat: the core serves the kiosk page), then /usr/bin/booth status and doctor inside the root.
// Measured on this 2-core machine, quiet: about 2 minutes in all (bundle 33 s, debootstrap + install
// + start 73 s); 900 MB in a temporary folder, removed afterwards. Root only (chroot, mount).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const why =
  process.getuid?.() !== 0
    ? 'needs root (debootstrap, chroot, mount)'
    : !existsSync('/usr/sbin/debootstrap')
      ? 'debootstrap is not installed (Debian package debootstrap; scripts/setup.sh installs it as root)'
      : !existsSync('dist/renderer/index.html') || !existsSync('dist/staff/index.html')
        ? 'the kiosk and staff apps are not built (npm test builds them in scripts/setup.sh)'
        : null;
if (why) console.log(`[skip] booth image test: ${why}`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'booth-image-'));
afterAll(() => {
  // test-in-chroot.sh unmounts /proc and /dev on exit; never delete through a mount that is left.
  for (const m of ['proc', 'dev']) spawnSync('umount', [path.join(dir, 'root', m)]);
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(why !== null)('the booth image: bundle, a fresh Debian 12 root, install.sh, the core started from it', () => {
  it(
    'installs from the offline bundle and the booth core serves the kiosk page; booth status and doctor run in the root',
    () => {
      const bundle = path.join(dir, 'bundle.tar.gz');
      const made = spawnSync('bash', ['scripts/booth-image/make-bundle.sh', bundle], { encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const port = String(40_000 + Math.floor(Math.random() * 20_000));
      const run = spawnSync('bash', ['scripts/booth-image/test-in-chroot.sh', bundle, path.join(dir, 'root'), port], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const out = `${run.stdout}\n${run.stderr}`;
      expect(run.status, out.slice(-4000)).toBe(0);
      expect(out).toContain('health: the booth core answers');
      // Production in the root: no reader and no socat, anonymous only, not enrolled yet; the CLI asks the running core.
      expect(out).toMatch(/ID-card reader: No ID-card reader port is set, so residents can only submit anonymously/);
      expect(out).toMatch(/booth doctor: \w+ \(asked the running booth core/);
      expect(out).toContain('This booth is not enrolled');
      expect(out).toContain('test-in-chroot: ok');
    },
    15 * 60_000,
  );
});
