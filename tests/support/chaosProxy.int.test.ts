import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomFaults, seededRandom, startChaosProxy, type ChaosProxy } from './chaosProxy.ts';

let upstream: http.Server;
let upstreamPort: number;
let received: number[] = [];

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    let n = 0;
    req.on('data', (c: Buffer) => (n += c.length));
    req.on('end', () => {
      received.push(n);
      res.end(`got ${n}`);
    });
    req.on('error', () => {});
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  upstreamPort = (upstream.address() as net.AddressInfo).port;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise<void>((r) => upstream.close(() => r()));
});

function post(
  port: number,
  bytes: number,
  timeoutMs = 2_000,
  method = 'POST',
): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: '/', agent: false, headers: { 'content-length': bytes } });
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', (e) => resolve({ error: e.message }));
    });
    req.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end(Buffer.alloc(bytes, 7));
  });
}

describe('chaos proxy', () => {
  let proxy: ChaosProxy;
  afterAll(async () => proxy?.close());

  it('applies a scripted fault per connection', async () => {
    received = [];
    const script = ['pass', 'drop', 'reset', 'stall', 'http', 'slow'] as const;
    proxy = await startChaosProxy(upstreamPort, (n) => {
      const kind = script[n % script.length]!;
      if (kind === 'reset' || kind === 'stall') return { kind, afterBytes: 50_000 };
      if (kind === 'http') return { kind, status: 503, retryAfter: 7 };
      if (kind === 'slow') return { kind, bytesPerSecond: 400_000 };
      return { kind };
    });
    const pass = await post(proxy.port, 100_000);
    expect(pass).toEqual({ status: 200, body: 'got 100000' });
    const drop = await post(proxy.port, 100_000);
    expect(drop).toHaveProperty('error');
    const reset = await post(proxy.port, 100_000);
    expect(reset).toHaveProperty('error');
    const stall = await post(proxy.port, 100_000, 500);
    expect(stall).toEqual({ error: 'timeout' });
    const status = await post(proxy.port, 100_000);
    expect(status).toMatchObject({ status: 503 });
    const slow = await post(proxy.port, 100_000);
    expect(slow).toEqual({ status: 200, body: 'got 100000' });
    expect(proxy.stats.connections).toBe(6);
    expect(proxy.stats.faults).toMatchObject({ pass: 1, drop: 1, reset: 1, stall: 1, http: 1, slow: 1 });
    // pass + slow forwarded whole bodies; reset and stall at most 50 kB each (plus headers)
    expect(proxy.stats.bytesUp).toBeGreaterThan(200_000);
    expect(proxy.stats.bytesUp).toBeLessThan(310_000);
  });

  it('cutAll drops open connections and setUpstream redirects new ones', async () => {
    proxy.setScript(() => ({ kind: 'stall', afterBytes: 10 }));
    const pending = post(proxy.port, 1_000, 5_000);
    await new Promise((r) => setTimeout(r, 100));
    proxy.cutAll();
    expect(await pending).toHaveProperty('error');
    proxy.setUpstream(1); // nothing listens on port 1
    proxy.setScript(() => ({ kind: 'pass' }));
    expect(await post(proxy.port, 10)).toHaveProperty('error');
    proxy.setUpstream(upstreamPort);
    expect(await post(proxy.port, 10)).toEqual({ status: 200, body: 'got 10' });
  });

  it('a cut aimed at one method spares the other requests, and only cuts that tripped are counted', async () => {
    received = [];
    proxy.setUpstream(upstreamPort);
    const before = { cuts: proxy.stats.cuts, reset: proxy.stats.faults.reset, pass: proxy.stats.faults.pass };
    proxy.setScript(() => ({ kind: 'reset', afterBytes: 50_000, method: 'PATCH' }));
    // A HEAD-like small request and a POST pass untouched, whatever their size.
    expect(await post(proxy.port, 0, 2_000, 'HEAD')).toMatchObject({ status: 200 });
    expect(await post(proxy.port, 100_000)).toEqual({ status: 200, body: 'got 100000' });
    // A PATCH body past afterBytes is cut; one that ends before it is not.
    expect(await post(proxy.port, 100_000, 2_000, 'PATCH')).toHaveProperty('error');
    expect(await post(proxy.port, 10_000, 2_000, 'PATCH')).toEqual({ status: 200, body: 'got 10000' });
    expect(proxy.stats.cuts - before.cuts).toBe(1);
    expect(proxy.stats.faults.pass - before.pass).toBe(2);
    expect(proxy.stats.faults.reset - before.reset).toBe(2);
  });

  it('random scripts are reproducible from a seed', () => {
    const a = randomFaults(seededRandom(42), { pass: 1, reset: 1, drop: 1 }, { maxAfterBytes: 1000, slowBytesPerSecond: 1 });
    const b = randomFaults(seededRandom(42), { pass: 1, reset: 1, drop: 1 }, { maxAfterBytes: 1000, slowBytesPerSecond: 1 });
    const seqA = Array.from({ length: 20 }, (_, i) => a(i));
    const seqB = Array.from({ length: 20 }, (_, i) => b(i));
    expect(seqA).toEqual(seqB);
    expect(new Set(seqA.map((f) => f.kind)).size).toBe(3);
  });
});
