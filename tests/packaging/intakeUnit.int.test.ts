// The intake's production start: `npm run intake` and the systemd unit install and build nothing,
// and the unit is hardened (systemd-analyze, Debian's systemd, checks the file offline).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const unit = 'packaging/systemd/shuoba-intake.service';
const read = (f: string) => readFileSync(f, 'utf8');

describe('intake production start', () => {
  it('npm run intake runs the entry point directly (no setup.sh, no npm ci, no build)', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.intake).toBe('node --import tsx intake/start.ts');
    // setup stays for the developer starts
    for (const s of ['start', 'test', 'intake:dev']) expect(scripts[s]).toContain('scripts/setup.sh');
    // the unit runs the same command from the install directory
    expect(/^ExecStart=(.*)$/m.exec(read(unit))?.[1]).toBe('/opt/shuoba-intake/node_modules/.bin/node --import tsx intake/start.ts');
    expect(read(unit)).toMatch(/^WorkingDirectory=\/opt\/shuoba-intake$/m);
  });

  it('the unit: a dedicated user, a read-only system with only the state directory writable', () => {
    const u = read(unit);
    expect(u).toMatch(/^User=shuoba-intake$/m);
    expect(u).toMatch(/^ProtectSystem=strict$/m);
    expect(u).toMatch(/^ReadWritePaths=\/var\/lib\/shuoba-intake$/m);
    expect(u).toMatch(/^StateDirectory=shuoba-intake$/m);
    expect(u).toMatch(/^Environment=INTAKE_DATA=\/var\/lib\/shuoba-intake$/m);
    expect(u).toMatch(/^NoNewPrivileges=yes$/m);
    expect(u).toMatch(/^CapabilityBoundingSet=$/m);
    expect(u).not.toMatch(/^MemoryDenyWriteExecute=yes/m); // V8's JIT
    expect(read('packaging/sysusers/shuoba-intake.conf')).toMatch(/^u shuoba-intake - .* \/var\/lib\/shuoba-intake \/usr\/sbin\/nologin$/m);
  });

  it('systemd accepts the unit and rates its exposure low', () => {
    // verify: the only complaint allowed is the install path missing on this machine.
    const v = spawnSync('systemd-analyze', ['verify', unit], { encoding: 'utf8' });
    const complaints = `${v.stdout}${v.stderr}`
      .split('\n')
      .filter((l) => l.trim() && !l.includes('/opt/shuoba-intake/node_modules/.bin/node is not executable'));
    expect(complaints).toEqual([]);
    // --threshold counts in tenths of the printed level: exits non-zero above 2.0 (0 = best, 10 = worst).
    const out = execFileSync('systemd-analyze', ['security', '--offline=yes', '--threshold=20', unit], { encoding: 'utf8' });
    const level = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(out)?.[1]);
    expect(level).toBeLessThanOrEqual(2);
  });
});
