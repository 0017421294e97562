import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadUpdateState, UpdateAgent, type UpdatePorts } from '../../../main/update/agent.ts';
import { manifestVersion, newReleaseKeyPair, signManifest } from '../../../main/update/signature.ts';

const local = (hh: number) => Date.UTC(2026, 10, 24, 16, 0) + hh * 3600_000; // Asia/Shanghai
const keys = newReleaseKeyPair();
const manifest = (v: string) => Buffer.from(`version: ${v}\npath: shuoba-booth-${v}.AppImage\nsha512: AAAA\n`);
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function setup(version: string, opts: { now?: number; offer?: string; signedBy?: string; selfTest?: boolean } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'upd-'));
  dirs.push(dir);
  const calls: string[] = [];
  let now = opts.now ?? local(3);
  const ports: UpdatePorts = {
    fetchManifest: async () =>
      opts.offer
        ? { manifest: manifest(opts.offer), signature: signManifest(manifest(opts.offer), opts.signedBy ?? keys.privateKeyPem) }
        : null,
    download: async (v, signed) =>
      void calls.push(`download ${v}`, `kept manifest ${manifestVersion(signed.manifest.toString('utf8'))} signed ${signed.signature}`),
    install: async (v) => void calls.push(`install ${v}`),
    reinstallPrevious: async (v) => void calls.push(`reinstall ${v}`),
    selfTest: async () => (calls.push('self-test'), opts.selfTest ?? true),
    sessionActive: () => false,
    now: () => now,
  };
  const cfg = {
    currentVersion: version,
    publicKeyPem: keys.publicKeyPem,
    quietHours: { start: '02:00', end: '05:00' },
    timeZone: 'Asia/Shanghai',
    enabled: true,
    stateFile: path.join(dir, 'update-state.json'),
  };
  return { cfg, ports, calls, setNow: (t: number) => (now = t) };
}

describe('update agent (electron-updater replaced by ports)', () => {
  it('downloads by day, installs in quiet hours, and the new version verifies itself on start', async () => {
    const a = setup('1.0.0', { offer: '1.1.0', now: local(14) });
    const agent = new UpdateAgent(a.cfg, a.ports, await loadUpdateState(a.cfg.stateFile, '1.0.0'));
    expect((await agent.tick()).action).toBe('download');
    expect((await agent.tick()).action).toBe('wait');
    a.setNow(local(27));
    expect((await agent.tick()).action).toBe('install');
    // The download is handed the manifest that offered it, with its signature: a deb booth keeps
    // both beside the package for the root-side check (packaging/bin/install-update).
    expect(a.calls).toEqual([
      'download 1.1.0',
      `kept manifest 1.1.0 signed ${signManifest(manifest('1.1.0'), keys.privateKeyPem)}`,
      'install 1.1.0',
    ]);

    // The "restart": a new process of version 1.1.0 reads the state written before the install.
    const b = setup('1.1.0', { selfTest: true });
    const after = new UpdateAgent({ ...b.cfg, stateFile: a.cfg.stateFile }, b.ports, await loadUpdateState(a.cfg.stateFile, '1.1.0'));
    await after.onStart();
    expect(b.calls).toEqual(['self-test']);
    expect(after.current).toEqual({ phase: 'stable', version: '1.1.0', rejected: [] });
  });

  it('rolls back a version whose self-test fails and never takes it again', async () => {
    const a = setup('1.0.0', { offer: '1.1.0' });
    const agent = new UpdateAgent(a.cfg, a.ports, await loadUpdateState(a.cfg.stateFile, '1.0.0'));
    await agent.tick();
    await agent.tick();
    const b = setup('1.1.0', { selfTest: false });
    const broken = new UpdateAgent({ ...b.cfg, stateFile: a.cfg.stateFile }, b.ports, await loadUpdateState(a.cfg.stateFile, '1.1.0'));
    await broken.onStart();
    expect(b.calls).toEqual(['self-test', 'reinstall 1.0.0']);

    const c = setup('1.0.0', { offer: '1.1.0' });
    const back = new UpdateAgent({ ...c.cfg, stateFile: a.cfg.stateFile }, c.ports, await loadUpdateState(a.cfg.stateFile, '1.0.0'));
    await back.onStart();
    expect(back.current).toEqual({ phase: 'stable', version: '1.0.0', rejected: ['1.1.0'] });
    expect(await back.tick()).toEqual({ action: 'none', reason: 'rejected-before' });
  });

  it('ignores a manifest signed with another key', async () => {
    const a = setup('1.0.0', { offer: '9.9.9', signedBy: newReleaseKeyPair().privateKeyPem });
    const agent = new UpdateAgent(a.cfg, a.ports, await loadUpdateState(a.cfg.stateFile, '1.0.0'));
    expect(await agent.tick()).toEqual({ action: 'none', reason: 'unsigned' });
    expect(a.calls).toEqual([]);
  });
});

describe('update policy from the back office', () => {
  it('switching updates off, or moving quiet hours, applies to the next round', async () => {
    const a = setup('1.0.0', { offer: '1.1.0', now: local(3) });
    const agent = new UpdateAgent(a.cfg, a.ports, await loadUpdateState(a.cfg.stateFile, '1.0.0'));
    await agent.tick(); // downloaded
    agent.setPolicy({ quietHours: { start: '02:00', end: '05:00' }, enabled: false });
    expect(await agent.tick()).toEqual({ action: 'none', reason: 'disabled' });
    agent.setPolicy({ quietHours: { start: '01:00', end: '02:00' }, enabled: true });
    expect((await agent.tick()).action).toBe('wait');
  });
});
