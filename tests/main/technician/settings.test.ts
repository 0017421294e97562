import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_BOOTH_SETTINGS, type BoothSettings } from '../../../contract/booth.ts';
import { BoothSettingsStore } from '../../../main/technician/settings.ts';
import { IntakeLink } from '../../../uploader/intakeLink.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'settings-'));
  dirs.push(d);
  return d;
};
const rev = (revision: number, patch: Partial<BoothSettings> = {}): BoothSettings => ({ ...DEFAULT_BOOTH_SETTINGS, revision, ...patch });

describe('back-office settings on the booth', () => {
  it('applies newer valid settings, tells listeners, and keeps them across a restart', async () => {
    const dir = tmp();
    const s = new BoothSettingsStore(dir);
    await s.load();
    const seen: number[] = [];
    s.onChange((x) => seen.push(x.idleTimeoutSec));
    expect(await s.offer(rev(1, { idleTimeoutSec: 60, quickPickPlaces: ['村委会'] }))).toMatchObject({ applied: true });
    expect(seen).toEqual([60]);
    const again = new BoothSettingsStore(dir);
    expect((await again.load()).quickPickPlaces).toEqual(['村委会']);
  });

  it.each([
    ['not valid (idle timeout 5 s)', rev(2, { idleTimeoutSec: 5 }), 'invalid'],
    ['not valid (garbage)', { revision: 'x' }, 'invalid'],
    ['older revision', rev(0), 'older'],
    ['same revision', rev(1), 'same'],
  ])('refuses %s and keeps the last good settings', async (_n, offered, reason) => {
    const s = new BoothSettingsStore(tmp());
    await s.offer(rev(1, { idleTimeoutSec: 75 }));
    expect(await s.offer(offered)).toEqual({ applied: false, reason });
    expect(s.value.idleTimeoutSec).toBe(75);
  });

  it('offers made at the same time apply in order: a slow older one never overwrites a newer one', async () => {
    const s = new BoothSettingsStore(tmp());
    // Not awaited one by one: the pull at start and a newer offer race, as they do in a booting booth.
    const results = await Promise.all([
      s.offer(rev(3, { idleTimeoutSec: 80 })),
      s.offer(rev(2, { idleTimeoutSec: 70 })),
      s.offer(rev(4, { idleTimeoutSec: 90 })),
      s.offer(rev(4, { idleTimeoutSec: 90 })),
    ]);
    expect(results.map((r) => (r.applied ? 'applied' : r.reason))).toEqual(['applied', 'older', 'applied', 'same']);
    expect(s.value).toMatchObject({ revision: 4, idleTimeoutSec: 90 });
    expect((await new BoothSettingsStore(s['dataDir']).load()).revision).toBe(4);
  });

  it("takes a new status page address at the same revision (the intake's own setting, not the admin's), and keeps it", async () => {
    const dir = tmp();
    const s = new BoothSettingsStore(dir);
    await s.offer(rev(3, { statusBaseUrl: 'http://old.example' }));
    expect(await s.offer(rev(3, { statusBaseUrl: 'https://shuoba.example.cn' }))).toMatchObject({ applied: true });
    expect(await s.offer(rev(3, { statusBaseUrl: 'https://shuoba.example.cn' }))).toEqual({ applied: false, reason: 'same' });
    expect((await new BoothSettingsStore(dir).load()).statusBaseUrl).toBe('https://shuoba.example.cn');
    expect(await s.offer(rev(4, { statusBaseUrl: 'javascript:alert(1)' }))).toEqual({ applied: false, reason: 'invalid' });
  });

  it('an unreachable intake leaves the settings alone', async () => {
    const s = new BoothSettingsStore(tmp());
    const link = new IntakeLink({ intakeUrl: 'http://127.0.0.1:9', token: 'sb1.FT01.x', idleTimeoutMs: 2000, requestTimeoutMs: 2000 });
    expect(await s.pull(link)).toEqual({ applied: false, reason: 'unreachable' });
    link.close();
    expect(s.value).toEqual(DEFAULT_BOOTH_SETTINGS);
  });
});
