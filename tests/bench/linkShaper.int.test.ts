// The strict link shaper the bench measures uploads on (and the chaos proxy's "slow" fault uses):
// over every window, no more than rate × window + one bucket may cross, however the sender bursts.
// A sender that pauses and then bursts is what broke the old throttle (it refilled a whole 100 ms
// slice whenever its queue had emptied).
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startShapedLink, StrictTokenBucket, type ShapedLink } from '../../testkit/linkShaper.ts';
import { startChaosProxy } from '../support/chaosProxy.ts';

const RATE = 1024 * 1024; // 1 MiB/s

async function sink(): Promise<{ port: number; received: () => number; close: () => Promise<void> }> {
  let got = 0;
  const socks = new Set<net.Socket>();
  const server = net.createServer((s) => {
    socks.add(s);
    s.on('data', (c: Buffer) => (got += c.length));
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    received: () => got,
    close: () =>
      new Promise<void>((r) => {
        for (const s of socks) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Sends `bursts` bursts of `burst` bytes with `pauseMs` between them; resolves when all were written. */
async function burstySender(port: number, bursts: number, burst: number, pauseMs: number): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  await new Promise((r) => s.once('connect', r));
  for (let i = 0; i < bursts; i++) {
    if (!s.write(Buffer.alloc(burst, i))) await new Promise((r) => s.once('drain', r));
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return s;
}

/** The largest excess over rate × window of any window of `windowMs` starting at a send event. */
function worstExcess(events: Array<[number, number]>, windowMs: number): number {
  let worst = -Infinity;
  let j = 0;
  let sum = 0;
  for (let i = 0; i < events.length; i++) {
    while (j < events.length && events[j]![1] < events[i]![1] + windowMs) sum += events[j++]![0];
    worst = Math.max(worst, sum - (RATE * windowMs) / 1000);
    sum -= events[i]![0];
  }
  return worst;
}

describe('strict token-bucket link', () => {
  let link: ShapedLink | null = null;
  afterEach(async () => {
    await link?.close();
    link = null;
  });

  it('no window of 50 ms to 1 s carries more than the rate plus one bucket, for a bursty sender', async () => {
    const target = await sink();
    const events: Array<[number, number]> = [];
    link = await startShapedLink(target.port, RATE, (n, at) => events.push([n, at]));
    const cap = new StrictTokenBucket(RATE).capacity;
    // 16 bursts of 64 KiB, 40 ms apart (1.6× the rate offered): each burst fits in the old
    // throttle's 100 ms slice, so its queue emptied and the next burst got a fresh slice at once
    // (1.44× the rate measured through it).
    const s = await burstySender(link.port, 16, 64 * 1024, 40);
    const total = 16 * 64 * 1024;
    const t0 = performance.now();
    while (target.received() < total) await new Promise((r) => setTimeout(r, 20));
    s.destroy();
    await target.close();
    expect(events.reduce((a, [n]) => a + n, 0)).toBe(total);
    for (const w of [50, 100, 250, 500, 1000]) expect(worstExcess(events, w)).toBeLessThanOrEqual(cap);
    // And on the whole: the first byte to the last took at least (total - bucket) / rate.
    const span = events[events.length - 1]![1] - events[0]![1];
    expect(span).toBeGreaterThanOrEqual(((total - cap) / RATE) * 1000 - 1);
    expect(performance.now() - t0).toBeGreaterThan(0);
  });

  it("the chaos proxy's slow fault is the same strict bucket (end-to-end bytes over elapsed time ≤ the rate)", async () => {
    const target = await sink();
    const proxy = await startChaosProxy(target.port, () => ({ kind: 'slow', bytesPerSecond: RATE }));
    const total = 8 * 64 * 1024;
    const t0 = performance.now();
    const s = await burstySender(proxy.port, 8, 64 * 1024, 40);
    while (target.received() < total) await new Promise((r) => setTimeout(r, 10));
    const seconds = (performance.now() - t0) / 1000;
    s.destroy();
    await proxy.close();
    await target.close();
    const cap = new StrictTokenBucket(RATE).capacity;
    expect(total - cap).toBeLessThanOrEqual(RATE * seconds);
  });
});
