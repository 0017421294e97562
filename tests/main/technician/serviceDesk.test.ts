import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPin } from '../../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';
import { ServiceDesk } from '../../../main/technician/serviceDesk.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

async function desk(withPin = true) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'desk-'));
  dirs.push(dir);
  if (withPin) await writeSecret(techFiles(dir).pin, await hashPin('482916'));
  let now = 1_000_000;
  const d = new ServiceDesk(
    dir,
    () => 90_000,
    () => now,
  );
  return { d, advance: (ms: number) => (now += ms) };
}

describe('service desk (who may use the service screen)', () => {
  it('opens with the right PIN; the token lives as long as the screen is used, then expires', async () => {
    const { d, advance } = await desk();
    const r = await d.unlock('482916');
    if (!r.unlocked) throw new Error('not unlocked');
    advance(60_000);
    expect(d.check(r.serviceToken)).toBe(true); // used: extended to +90 s from here
    advance(89_000);
    expect(d.check(r.serviceToken)).toBe(true);
    advance(90_000);
    expect(d.check(r.serviceToken)).toBe(false); // idle for the timeout: locked
  });

  it('locks out after three wrong PINs, even for the right one, until the lock passes', async () => {
    const { d, advance } = await desk();
    for (let i = 0; i < 2; i++) expect(await d.unlock('000001')).toEqual({ unlocked: false, lockedForSec: 0 });
    expect(await d.unlock('000001')).toEqual({ unlocked: false, lockedForSec: 30 });
    expect(await d.unlock('482916')).toEqual({ unlocked: false, lockedForSec: 30 });
    advance(30_000);
    expect((await d.unlock('482916')).unlocked).toBe(true);
  });

  it('stays closed on a booth that was never provisioned (no PIN set)', async () => {
    const { d } = await desk(false);
    expect((await d.unlock('482916')).unlocked).toBe(false);
  });

  it('exit locks the token at once', async () => {
    const { d } = await desk();
    const r = await d.unlock('482916');
    if (!r.unlocked) throw new Error('not unlocked');
    expect(d.lock(r.serviceToken)).toBe(true);
    expect(d.check(r.serviceToken)).toBe(false);
  });
});
