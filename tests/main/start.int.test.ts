// main/start.ts as the systemd units run it (BOOTH_EMBED_INTAKE=0, from kiosk-session) on an
// empty data directory: no back office of its own, the kiosk out of service until `booth
// provision`, and no port open but the core's. The same start without the switch (npm start)
// embeds an intake, which shows the port check sees what it should.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { eventually } from '../support/stack.ts';

let child: ChildProcess | null = null;
let dir = '';

afterEach(async () => {
  if (child?.pid && child.exitCode === null) {
    const gone = new Promise((r) => child!.once('exit', r));
    process.kill(-child.pid, 'SIGTERM');
    await gone;
  }
  child = null;
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

/** TCP ports the process group of `pgid` listens on (tsx runs the program in a child node). */
function listeningPorts(pgid: number): number[] {
  const pids = execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  const lines = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' }).split('\n');
  return lines
    .filter((l) => pids.some((p) => l.includes(`pid=${p},`)))
    .map((l) => Number(l.split(/\s+/)[3]!.split(':').pop()))
    .sort((a, b) => a - b);
}

async function start(extraEnv: Record<string, string>, prepare?: (boothDir: string) => void) {
  dir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-int-'));
  prepare?.(path.join(dir, 'booth'));
  const intakePort = await freePort();
  const env = { ...process.env, BOOTH_DATA: path.join(dir, 'booth'), INTAKE_DATA: path.join(dir, 'intake'), BOOTH_PORT: '0', INTAKE_PORT: String(intakePort), KIOSK: 'headless', LOG_LEVEL: 'warn', ...extraEnv };
  let out = '';
  child = spawn(path.resolve('node_modules/.bin/tsx'), ['main/start.ts'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const kioskUrl = await eventually(() => /^kiosk: (\S+)$/m.exec(out)?.[1], 'the kiosk line', 45_000).catch((e: Error) => {
    throw new Error(`${e.message}; output was:\n${out}`);
  });
  // The window line comes last: everything is listening by then.
  await eventually(() => /^kiosk window: /m.test(out), 'the kiosk window line');
  const url = new URL(kioskUrl);
  const token = new URLSearchParams(url.hash.slice(1)).get('token')!;
  const config = async () => (await (await fetch(`${url.origin}/api/config`, { headers: { 'x-booth-token': token } })).json()) as { ok: boolean; value: { outOfService: string | null } };
  const get = async (p: string) => ((await (await fetch(`${url.origin}${p}`, { headers: { 'x-booth-token': token } })).json()) as { value: unknown }).value;
  return { out: () => out, corePort: Number(url.port), intakePort, config, get };
}

describe('main/start.ts under the units (BOOTH_EMBED_INTAKE=0)', () => {
  it('an unprovisioned booth starts out of service and opens no back office', async () => {
    const s = await start({ BOOTH_EMBED_INTAKE: '0', BOOTH_PRODUCTION: '1' });
    expect(s.out()).not.toMatch(/^staff: /m);
    expect(s.out()).toMatch(/^intake: none \(not provisioned/m);
    expect(await s.config()).toMatchObject({ ok: true, value: { outOfService: 'not_enrolled' } });
    expect(listeningPorts(child!.pid!)).toEqual([s.corePort]);
    expect(existsSync(path.join(dir, 'intake'))).toBe(false);
  });

  it('npm start (no switch) embeds an intake on INTAKE_PORT and is in service', async () => {
    const s = await start({});
    expect(s.out()).toMatch(new RegExp(`^staff: http://127\\.0\\.0\\.1:${s.intakePort}/staff/$`, 'm'));
    await eventually(async () => (await s.config()).value.outOfService === null, 'in service');
    expect(listeningPorts(child!.pid!)).toEqual([s.corePort, s.intakePort].sort((a, b) => a - b));
  });

  it('a mistyped switch is refused with a clear message, before anything starts', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-int-'));
    const r = spawn(path.resolve('node_modules/.bin/tsx'), ['main/start.ts'], { env: { ...process.env, BOOTH_DATA: path.join(dir, 'booth'), BOOTH_EMBED_INTAKE: 'off', KIOSK: 'headless' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    r.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => r.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/BOOTH_EMBED_INTAKE must be 0 or 1, not "off"/);
    expect(existsSync(path.join(dir, 'booth'))).toBe(false);
  });

  it('a production booth with no reader and no socat on PATH starts, stays in service and offers anonymous submissions only', async () => {
    // A separate intake (as in the field), the booth enrolled to it, and idcard.simulate "always":
    // a production booth still never starts the simulator.
    const intakeDir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-intake-'));
    const intake = await createIntake({ dataDir: intakeDir });
    try {
      const intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
      const token = await issueCredential(intake.delivery, 'NR01', Date.now());
      // PATH holds node and nothing else: no socat.
      const bin = mkdtempSync(path.join(os.tmpdir(), 'booth-start-bin-'));
      symlinkSync(process.execPath, path.join(bin, 'node'));
      expect(readdirSync(bin)).toEqual(['node']);
      const s = await start({ BOOTH_EMBED_INTAKE: '0', BOOTH_PRODUCTION: '1', PATH: bin, LOG_LEVEL: 'info' }, (boothDir) => {
        mkdirSync(path.join(boothDir, 'keys'), { recursive: true });
        writeFileSync(path.join(boothDir, 'booth.json'), JSON.stringify({ boothCode: 'NR01', intakeUrl, heartbeatSec: 10, idcard: { simulate: 'always' } }));
        writeFileSync(path.join(boothDir, 'keys', 'intake.token'), `${token}\n`);
      });
      rmSync(bin, { recursive: true, force: true });
      await eventually(async () => (await s.config()).value.outOfService === null, 'in service');
      const config = (await s.config()).value as unknown as { resident: { realnameAvailable: boolean } };
      expect(config.resident.realnameAvailable).toBe(false);
      expect(await s.get('/api/reader')).toEqual({ state: 'absent', simulated: false, cardOnReader: false, testCard: null, resends: 0, retries: 0 });
      expect(s.out()).not.toMatch(/socat ptys|using the simulator/);
      // The fleet hears it, with no reader.
      const hb = await eventually(() => intake.delivery.latest('NR01'), 'a heartbeat from NR01');
      expect(hb.devices.idReader).not.toBe('ok');
      expect(child!.exitCode).toBeNull();
      expect(s.out()).toMatch(/no simulator \(production\): real name is unavailable/);
    } finally {
      await intake.close();
      rmSync(intakeDir, { recursive: true, force: true });
    }
  });
});
