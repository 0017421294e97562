// The service screen's reader test over HTTP: a reader on a socat pseudo-terminal answering the SAM
// status command, a port that does not exist, and the port the booth's live reader session holds
// (answered from the session, never opened a second time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { SerialPort } from 'serialport';
import { hashPin } from '../../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';
import { registerServiceRoutes } from '../../../main/technician/serviceApi.ts';
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
    enrolled: () => false,
    outbox: () => ({ waiting: 0, failed: 0, delivered: 0, oldestWaitingSec: null, lastError: null }),
    settingsRevision: () => 0,
    idleTimeoutSec: () => 60,
    liveReader: () => live,
    liveReaderPort: () => '/dev/ttyUSB7',
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

const test = async (port: string) => (await app.inject({ method: 'POST', url: '/api/service/reader-test', payload: { serviceToken: token, port } })).json() as { ok: boolean; value: { present: boolean; responds: boolean; message: string } };

describe('service screen reader test', () => {
  it('a reader that answers on the chosen port', async () => {
    expect((await test(`${root}/ttyA`)).value).toMatchObject({ present: true, responds: true });
  });

  it('a port that does not exist (reader unplugged)', async () => {
    const r = await test(`${root}/ttyUSB9`);
    expect(r.value).toMatchObject({ present: false, responds: false });
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

  it('refuses without the service token', async () => {
    const r = await app.inject({ method: 'POST', url: '/api/service/reader-test', payload: { serviceToken: 'x'.repeat(32), port: `${root}/ttyA` } });
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
      const unlock = (await (await coreFetch(stack, '/api/service/unlock', { method: 'POST', headers: json, body: JSON.stringify({ pin: '482916' }) })).json()) as { value: { serviceToken: string } };
      const r = (await (await coreFetch(stack, '/api/service/printer-test', { method: 'POST', headers: json, body: JSON.stringify({ serviceToken: unlock.value.serviceToken }) })).json()) as { value: { printed: boolean } };
      expect(r.value.printed).toBe(true);
      expect(statSync(out).size).toBeGreaterThan(100);
      expect(readFileSync(out).includes(Buffer.from('TEST-0000'))).toBe(true);
    } finally {
      await stack.close();
    }
  });
});
