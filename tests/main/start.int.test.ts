// main/start.ts as the systemd units run it (BOOTH_EMBED_INTAKE=0, from kiosk-session) on an
// empty data directory: no back office of its own, the kiosk out of service until `booth
// provision`, and no port open but the core's. The same start without the switch (npm start)
// embeds an intake, which shows the port check sees what it should.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { runCli } from '../../main/cli.ts';
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
  const pids = execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean);
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
  const env = {
    ...process.env,
    BOOTH_DATA: path.join(dir, 'booth'),
    INTAKE_DATA: path.join(dir, 'intake'),
    BOOTH_PORT: '0',
    INTAKE_PORT: String(intakePort),
    KIOSK: 'headless',
    LOG_LEVEL: 'warn',
    ...extraEnv,
  };
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
  const config = async () =>
    (await (await fetch(`${url.origin}/api/config`, { headers: { 'x-booth-token': token } })).json()) as {
      ok: boolean;
      value: { outOfService: string | null };
    };
  const get = async (p: string) =>
    ((await (await fetch(`${url.origin}${p}`, { headers: { 'x-booth-token': token } })).json()) as { value: unknown }).value;
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

  it('npm start: booth doctor and booth status ask the running core (enrolled, credential and clock ok, exit 0); stopped, they read the files', async () => {
    // The booth's machine as the core sees it: two cameras and a microphone in a fake sysfs/procfs
    // (this test machine has none; the core reads BOOTH_SYS_ROOT/BOOTH_PROC_ROOT like the CLI).
    const tree = mkdtempSync(path.join(os.tmpdir(), 'booth-start-tree-'));
    for (const [i, name] of ['Face Cam', 'Doc Cam'].entries()) {
      mkdirSync(path.join(tree, `sys/class/video4linux/video${i}`), { recursive: true });
      writeFileSync(path.join(tree, `sys/class/video4linux/video${i}/name`), `${name}\n`);
    }
    mkdirSync(path.join(tree, 'proc/asound'), { recursive: true });
    writeFileSync(path.join(tree, 'proc/asound/pcm'), '00-00: USB Audio : USB Audio : capture 1\n');
    try {
      const s = await start({ BOOTH_SYS_ROOT: path.join(tree, 'sys'), BOOTH_PROC_ROOT: path.join(tree, 'proc') });
      await eventually(async () => (await s.config()).value.outOfService === null, 'in service');
      await eventually(async () => ((await s.get('/api/reader')) as { state: string }).state === 'ready', 'the simulated reader ready');
      const boothDir = path.join(dir, 'booth');
      const cli = async (args: string[]) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await runCli([...args, '--data', boothDir], { out: (l) => out.push(l), err: (l) => err.push(l) });
        return { code, out, err };
      };
      type Report = {
        ok: boolean;
        source: string;
        checks: Array<{ id: string; outcome: { status: string; detail?: string; problem?: string } }>;
      };
      const live = await cli(['doctor', '--json']);
      const report = JSON.parse(live.out[0]!) as Report;
      const byId = Object.fromEntries(report.checks.map((c) => [c.id, c.outcome]));
      expect(report.source).toBe('core');
      expect(byId.intake).toMatchObject({ status: 'ok', detail: `reachable at http://127.0.0.1:${s.intakePort}` });
      expect(byId.credential).toMatchObject({ status: 'ok' });
      expect(byId.clock).toMatchObject({ status: 'ok' });
      expect(byId.reader).toMatchObject({ status: 'ok', detail: expect.stringContaining('simulated reader') });
      expect(byId.queue).toMatchObject({ status: 'ok' });
      expect(byId.cameras!.status).not.toBe('fault');
      expect(live.code, JSON.stringify(report)).toBe(0);
      // The text form says where it looked.
      expect((await cli(['doctor'])).out[0]).toMatch(/^booth doctor: \S+ \(asked the running booth core \(pid \d+\)\)$/);
      const status = await cli(['status', '--json']);
      expect(status.code).toBe(0);
      expect(JSON.parse(status.out[0]!)).toMatchObject({ source: 'core', waiting: 0, failed: 0, freeBytes: expect.any(Number) });
      // The diagnostics token in core.json opens only the read-only diagnostics, never the kiosk's API.
      const runtime = JSON.parse(readFileSync(path.join(boothDir, 'core.json'), 'utf8')) as { url: string; diagnosticsToken: string };
      const asDiag = (p: string, init: RequestInit = {}) =>
        fetch(`${runtime.url}${p}`, { ...init, headers: { 'x-booth-diagnostics-token': runtime.diagnosticsToken } });
      expect((await asDiag('/api/status')).status).toBe(200);
      expect((await asDiag('/api/config')).status).toBe(401);
      expect((await asDiag('/api/sessions', { method: 'POST' })).status).toBe(401);

      // Stopped: no core.json, and the files alone say what they know (the embedded back office's
      // address and credential lived only in the stopped core).
      const gone = new Promise((r) => child!.once('exit', r));
      process.kill(-child!.pid!, 'SIGTERM');
      await gone;
      expect(existsSync(path.join(boothDir, 'core.json'))).toBe(false);
      const offline = await cli(['doctor', '--json']);
      expect(JSON.parse(offline.out[0]!)).toMatchObject({ source: 'files' });
      expect(offline.code).toBe(1);
      expect(JSON.parse((await cli(['status', '--json'])).out[0]!)).toMatchObject({ source: 'files', freeBytes: null });
    } finally {
      rmSync(tree, { recursive: true, force: true });
    }
  });

  it('booth doctor and booth status on a folder that does not exist say so and create nothing', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-int-'));
    const missing = path.join(dir, 'no-such-booth');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    expect(await runCli(['doctor', '--json', '--data', missing], io)).toBe(1);
    expect(JSON.parse(out[0]!)).toMatchObject({ ok: false, checks: [{ id: 'data', outcome: { status: 'fault' } }] });
    expect(await runCli(['status', '--data', missing], io)).toBe(1);
    expect(err).toEqual([`booth status: there is no booth data folder at ${missing} (give it with --data DIR or BOOTH_DATA)`]);
    expect(existsSync(missing)).toBe(false);
    // A folder without a database: empty, and still no booth.db made.
    mkdirSync(missing);
    expect(await runCli(['doctor', '--data', missing], io)).toBe(1); // not enrolled
    expect(await runCli(['status', '--data', missing], io)).toBe(0);
    expect(readdirSync(missing)).toEqual([]);
  });

  it('a mistyped switch is refused with a clear message, before anything starts', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'booth-start-int-'));
    const r = spawn(path.resolve('node_modules/.bin/tsx'), ['main/start.ts'], {
      env: { ...process.env, BOOTH_DATA: path.join(dir, 'booth'), BOOTH_EMBED_INTAKE: 'off', KIOSK: 'headless' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
        writeFileSync(
          path.join(boothDir, 'booth.json'),
          JSON.stringify({ boothCode: 'NR01', intakeUrl, heartbeatSec: 10, idcard: { simulate: 'always' } }),
        );
        writeFileSync(path.join(boothDir, 'keys', 'intake.token'), `${token}\n`);
      });
      rmSync(bin, { recursive: true, force: true });
      await eventually(async () => (await s.config()).value.outOfService === null, 'in service');
      const config = (await s.config()).value as unknown as { resident: { realnameAvailable: boolean } };
      expect(config.resident.realnameAvailable).toBe(false);
      expect(await s.get('/api/reader')).toEqual({
        state: 'absent',
        simulated: false,
        cardOnReader: false,
        testCard: null,
        resends: 0,
        retries: 0,
      });
      expect(s.out()).not.toMatch(/socat ptys|using the simulator/);
      // The fleet hears it, with no reader.
      const hb = await eventually(() => intake.delivery.latest('NR01'), 'a heartbeat from NR01');
      expect(hb.devices.idReader).not.toBe('ok');
      expect(child!.exitCode).toBeNull();
      expect(s.out()).toMatch(/no simulator \(production\): real name is unavailable/);
      // booth doctor, asking the running core, says the same: anonymous only, a warning, not a fault.
      const out: string[] = [];
      // (Its exit code is not asserted: this test machine has no cameras or microphone, which doctor reports.)
      await runCli(['doctor', '--json', '--data', path.join(dir, 'booth')], { out: (l) => out.push(l), err: () => undefined });
      const report = JSON.parse(out[0]!) as {
        source: string;
        checks: Array<{ id: string; outcome: { status: string; problem?: string } }>;
      };
      expect(report.source).toBe('core');
      expect(report.checks.find((c) => c.id === 'reader')?.outcome).toMatchObject({
        status: 'warn',
        problem: expect.stringMatching(/only submit anonymously/),
      });
      expect(child!.exitCode).toBeNull();
    } finally {
      await intake.close();
      rmSync(intakeDir, { recursive: true, force: true });
    }
  });
});
