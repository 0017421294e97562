// The booth's HTTP stack: throttling holds the configured rate (measured on an injected clock,
// not the wall clock), every body byte is counted, and a stalled request is aborted.
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../lib/clock.ts';
import { BoothHttpStack, Transport } from '../../uploader/httpStack.ts';

let server: http.Server;
let port: number;
let received = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/stall') return; // never answers
    req.on('data', (c: Buffer) => (received += c.length));
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

/** A clock whose timers fire at once and move simulated time forward. */
function simulatedClock(start: number): Clock & { elapsed(): number } {
  let now = start;
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      now += ms;
      queueMicrotask(fn);
      return 0;
    },
    clearTimeout: () => {},
    elapsed: () => now - start,
  };
}

describe('booth HTTP stack', () => {
  it('throttles request bodies to the configured bytes per second', async () => {
    // 2026-11-25 14:00 in China: outside the paused morning window.
    const clock = simulatedClock(Date.UTC(2026, 10, 25, 6, 0, 0));
    const transport = new Transport({
      idleTimeoutMs: 5_000,
      clock,
      throttle: { bytesPerSecond: 100_000, windows: [{ from: '08:00', to: '12:00', bytesPerSecond: 0 }], utcOffsetMinutes: 480 },
    });
    const body = Buffer.alloc(600_000, 1);
    received = 0;
    const req = new BoothHttpStack(transport).createRequest('POST', `http://127.0.0.1:${port}/`);
    const res = await req.send(body);
    expect(res.getStatus()).toBe(200);
    expect(received).toBe(600_000);
    expect(transport.bytesSent).toBe(600_000);
    // 600 kB at 100 kB/s: about 6 s of simulated time (less the initial burst).
    expect(clock.elapsed()).toBeGreaterThan(5_500);
    expect(clock.elapsed()).toBeLessThan(6_500);
    transport.destroy();
  });

  it('waits out a paused window', async () => {
    // 11:59:30 in China, inside the 08:00–12:00 pause.
    const clock = simulatedClock(Date.UTC(2026, 10, 25, 3, 59, 30));
    const transport = new Transport({
      idleTimeoutMs: 5_000,
      clock,
      throttle: { bytesPerSecond: null, windows: [{ from: '08:00', to: '12:00', bytesPerSecond: 0 }], utcOffsetMinutes: 480 },
    });
    const res = await new BoothHttpStack(transport).createRequest('POST', `http://127.0.0.1:${port}/`).send(Buffer.alloc(1000, 1));
    expect(res.getStatus()).toBe(200);
    expect(clock.elapsed()).toBe(30_000);
    transport.destroy();
  });

  it('aborts a request that stalls', async () => {
    const transport = new Transport({ idleTimeoutMs: 200 });
    await expect(
      new BoothHttpStack(transport).createRequest('POST', `http://127.0.0.1:${port}/stall`).send(Buffer.alloc(10)),
    ).rejects.toThrow(/no activity/);
    transport.destroy();
  });
});
