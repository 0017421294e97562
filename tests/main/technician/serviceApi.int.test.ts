// The service screen's reader test over HTTP: a reader on a socat pseudo-terminal answering the SAM
// status command, a port that does not exist, and the port the booth's live reader session holds
// (answered from the session, never opened a second time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { SerialPort } from 'serialport';
import { hashPin } from '../../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';
import { listReaderPorts, registerServiceRoutes } from '../../../main/technician/serviceApi.ts';
import { ServiceDesk } from '../../../main/technician/serviceDesk.ts';

let root: string;
let app: FastifyInstance;
let socat: ChildProcess;
let responder: SerialPort;
let token = '';
let live: { state: string; simulated: boolean; cardOnReader: boolean } | null = null;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'svc-'));
  await writeSecret(techFiles(root).pin, await hashPin('482916'));
  socat = spawn('socat', [`pty,raw,echo=0,link=${root}/ttyA`, `pty,raw,echo=0,link=${root}/ttyB`], { stdio: 'ignore' });
  for (let i = 0; i < 100 && !existsSync(`${root}/ttyB`); i++) await new Promise((r) => setTimeout(r, 50));
  responder = new SerialPort({ path: `${root}/ttyB`, baudRate: 115200 });
  responder.on('data', (d: Buffer) => {
    if (d.includes(Buffer.from('11ffed', 'hex'))) responder.write(Buffer.from('aaaaaa9669000400009094', 'hex'));
  });
  await new Promise((r) => responder.once('open', r));
  app = Fastify();
  registerServiceRoutes(app, {
    dataDir: root,
    desk: new ServiceDesk(root, () => 60_000, Date.now),
    boothCode: () => 'FT01',
    version: '0.1.0',
    intakeUrl: () => null,
    intakeHealth: async () => ({ reachable: false, intakeMs: null, problem: 'not enrolled' }),
    enrolled: () => false,
    outbox: () => ({ waiting: 0, failed: 0, delivered: 0, oldestWaitingSec: null, lastError: null }),
    settingsRevision: () => 0,
    idleTimeoutSec: () => 60,
    liveReader: () => live,
    liveReaderPort: () => '/dev/ttyUSB7',
    printTest: async () => undefined,
    printer: () => null,
    savePrinter: async () => undefined,
    doctor: async () => ({ ok: true, checks: [] }),
    onHardwareChanged: () => undefined,
  });
  const r = await app.inject({ method: 'POST', url: '/api/service/unlock', payload: { pin: '482916' } });
  token = (r.json() as { value: { serviceToken: string } }).value.serviceToken;
});

afterAll(async () => {
  await app?.close();
  await new Promise((r) => responder?.close(r));
  socat?.kill();
  rmSync(root, { recursive: true, force: true });
});

const test = async (port: string) =>
  (await app.inject({ method: 'POST', url: '/api/service/reader-test', payload: { serviceToken: token, port } })).json() as {
    ok: boolean;
    value: { present: boolean; responds: boolean; message: string };
  };

describe('service screen reader test', () => {
  it('a reader that answers on the chosen port', async () => {
    expect((await test(`${root}/ttyA`)).value).toMatchObject({ present: true, responds: true });
  });

  it('a port that does not exist (reader unplugged)', async () => {
    const r = await test(`${root}/ttyUSB9`);
    expect(r.value).toMatchObject({ present: false, responds: false, reason: 'no_port' });
    expect(r.value.message).toMatch(/does not exist/);
  });

  it('the port the booth reader session holds is answered from the session', async () => {
    live = { state: 'ready', simulated: false, cardOnReader: true };
    const r = await test('/dev/ttyUSB7');
    expect(r.value).toMatchObject({ present: true, responds: true });
    expect(r.value.message).toMatch(/in use by the booth; a card is on it/);
    live = { state: 'sam-fault', simulated: false, cardOnReader: false };
    expect((await test('/dev/ttyUSB7')).value.responds).toBe(false);
  });

  it('a native-USB reader port that is not plugged in is named in plain words', async () => {
    const r = await test('usb:0400:c35a:255-127');
    expect(r.value).toMatchObject({ present: false, responds: false });
    expect(r.value.message).toBe('精伦 iDR200 family (SAM_V) on usb:0400:c35a:255-127: the port does not exist: check the reader cable.');
  });

  it('refuses without the service token', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/service/reader-test',
      payload: { serviceToken: 'x'.repeat(32), port: `${root}/ttyA` },
    });
    expect(r.statusCode).toBe(403);
  });
});

describe('service screen printer test on a real core', () => {
  it('prints a test receipt to the configured printer (a file here), and says so plainly when there is none', async () => {
    const { startStack, coreFetch } = await import('../../support/stack.ts');
    const { readFileSync, statSync } = await import('node:fs');
    const out = path.join(root, 'printer.bin');
    const stack = await startStack({ printer: { kind: 'file', path: out } });
    try {
      await writeSecret(techFiles(stack.core.dataDir).pin, await hashPin('482916'));
      const json = { 'content-type': 'application/json', origin: stack.core.url };
      const unlock = (await (
        await coreFetch(stack, '/api/service/unlock', { method: 'POST', headers: json, body: JSON.stringify({ pin: '482916' }) })
      ).json()) as { value: { serviceToken: string } };
      const serviceToken = unlock.value.serviceToken;
      const api = async <T>(method: string, p: string, body: Record<string, unknown> = {}) =>
        method === 'GET'
          ? ((await (await coreFetch(stack, `${p}?serviceToken=${serviceToken}`, { headers: json })).json()) as { value: T }).value
          : (
              (await (await coreFetch(stack, p, { method, headers: json, body: JSON.stringify({ serviceToken, ...body }) })).json()) as {
                value: T;
              }
            ).value;
      const r = await api<{ printed: boolean; reason: string }>('POST', '/api/service/printer-test');
      expect(r).toMatchObject({ printed: true, reason: 'printed' });
      expect(statSync(out).size).toBeGreaterThan(100);
      expect(readFileSync(out).includes(Buffer.from('TEST-0000'))).toBe(true);

      // Printer settings from the screen: another device file, used at once and kept in booth.json.
      const other = path.join(root, 'printer2.bin');
      expect(await api('PUT', '/api/service/printer', { printer: { kind: 'file', path: other } })).toEqual({
        printer: { kind: 'file', path: other, widthDots: 384 },
      });
      expect(await api('POST', '/api/service/printer-test')).toMatchObject({ printed: true });
      expect(readFileSync(other).includes(Buffer.from('TEST-0000'))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(stack.core.dataDir, 'booth.json'), 'utf8')).printer).toMatchObject({
        kind: 'file',
        path: other,
      });
      await api('PUT', '/api/service/printer', { printer: null });
      expect(await api('POST', '/api/service/printer-test')).toMatchObject({ printed: false, reason: 'none' });

      // The doctor's checks as this running core sees them (重新检查 calls the same route).
      const doctor = await api<{ checks: { id: string; status: string; text: string }[] }>('POST', '/api/service/doctor');
      expect(doctor.checks.map((c) => c.id)).toEqual([
        'cameras',
        'microphone',
        'reader',
        'disk',
        'clock',
        'intake',
        'credential',
        'queue',
        'versions',
      ]);
      // The core's own link (the embedded intake, with the core's credential): reachable and accepted.
      expect(doctor.checks.find((c) => c.id === 'intake')!.status).toBe('ok');
      expect(doctor.checks.find((c) => c.id === 'credential')!.status).toBe('ok');

      // The reader list holds the port the booth's session has open (the simulator's in development).
      const state = await api<{ readerPorts: { port: string; simulated?: boolean }[] }>('GET', '/api/service/state');
      const live = stack.core.realname.simulator?.portPath;
      expect(live, 'the stack runs the simulated reader (socat)').toBeTruthy();
      expect(state.readerPorts).toContainEqual(expect.objectContaining({ port: live, simulated: true }));
      expect(await api('POST', '/api/service/reader-test', { port: live! })).toMatchObject({ reason: 'in_use', responds: true });

      // Enrolment refusals carry a reason the screen words in its language; plain http elsewhere is refused before any code is spent.
      expect(await api('POST', '/api/service/enrol', { code: 'ABCDE12345', intakeUrl: 'http://192.0.2.7:8080' })).toMatchObject({
        enrolled: false,
        reason: 'not_https',
      });
    } finally {
      await stack.close();
    }
  });
});

describe('the reader ports offered on the service screen', () => {
  it('lists ttys, hidraw nodes (as hid: ports) and a native-USB reader by name, with the configured port first', async () => {
    const dev = path.join(root, 'dev');
    mkdirSync(dev);
    for (const n of ['ttyUSB0', 'ttyS0', 'hidraw1', 'hidraw0', 'ttyACM0', 'sda']) writeFileSync(path.join(dev, n), '');
    const listHid = async () => [{ path: `${dev}/hidraw1`, vendorId: 0x0483, productId: 0x572b }];
    const listUsb = async () => [
      { vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 6 },
      { vendorId: 0x1d6b, productId: 0x0002, busNumber: 1, deviceAddress: 1 }, // a root hub: not a reader
    ];
    expect(await listReaderPorts(dev, '/dev/ttyUSB3', { listHid, listUsb })).toEqual([
      { port: '/dev/ttyUSB3', kind: 'serial', model: null },
      { port: `hid:${dev}/hidraw0`, kind: 'hid', model: null },
      { port: `hid:${dev}/hidraw1`, kind: 'hid', model: '德科 DK26ME / DK200ZK family' },
      { port: `${dev}/ttyACM0`, kind: 'serial', model: null },
      { port: `${dev}/ttyUSB0`, kind: 'serial', model: null },
      { port: 'usb:0400:c35a', kind: 'usb', model: '精伦 iDR200 family (SAM_V)' },
    ]);
    // The configured port is not repeated when it is listed; two readers of one model are pinned.
    const twins = async () => [
      { vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 6 },
      { vendorId: 0x0400, productId: 0xc35a, busNumber: 2, deviceAddress: 3 },
    ];
    expect((await listReaderPorts(dev, 'usb:0400:c35a:2-3', { listHid, listUsb: twins })).map((p) => p.port).slice(-2)).toEqual([
      'usb:0400:c35a:1-6',
      'usb:0400:c35a:2-3',
    ]);
  });
});
