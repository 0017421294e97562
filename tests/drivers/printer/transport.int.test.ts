import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeReceipt } from '../../../drivers/printer/receipt.ts';
import { createPrinterTransport } from '../../../drivers/printer/transport.ts';

const receipt = encodeReceipt({
  caseNumber: 'SB-1',
  time: '2026-11-25 10:32',
  lang: 'zh',
  counts: { video: 0, audio: 1, photo: 0 },
  qrText: 'SB-1',
  nextSteps: '工作人员会尽快联系您',
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

describe('printer transports', () => {
  it('appends to a device file', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'printer-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'lp0');
    const t = createPrinterTransport({ kind: 'file', path: file });
    await t.send(receipt);
    await t.send(receipt);
    const got = await readFile(file);
    expect(got.length).toBe(receipt.length * 2);
    expect(Buffer.compare(got.subarray(0, receipt.length), Buffer.from(receipt))).toBe(0);
  });

  it('sends every byte to a raw TCP printer port on loopback', async () => {
    const received: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      const server = net.createServer((sock) => {
        sock.on('data', (d) => received.push(d));
        sock.on('end', () => resolve());
      });
      server.listen(0, '127.0.0.1');
      cleanups.push(() => new Promise((r) => server.close(() => r())));
      server.on('listening', async () => {
        const { port } = server.address() as net.AddressInfo;
        await createPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port }).send(receipt);
      });
    });
    await done;
    expect(Buffer.compare(Buffer.concat(received), Buffer.from(receipt))).toBe(0);
  });

  it('reports a printer that is not there', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as net.AddressInfo;
    await new Promise<void>((r) => server.close(() => r()));
    await expect(createPrinterTransport({ kind: 'tcp', host: '127.0.0.1', port }).send(receipt)).rejects.toThrow(/ECONNREFUSED/);
  });
});
