// A strict token-bucket link on 127.0.0.1: what a village uplink of N bytes/s does to a sender, so
// the booth and its peers (tus-js-client with its defaults, a plain HTTP PUT) are measured on the
// same link in the same run.
//
// Strict means: tokens accrue with time at the rate, up to a small bucket (10 ms of the rate, at
// least one 1500-byte frame), whether or not anything is queued; nothing leaves without tokens. So
// over ANY window of length W at most rate·W + bucket bytes pass, and no sender can beat the rate.
// (The chaos proxy's old throttle handed out a fresh 100 ms slice whenever its queue had emptied,
// so a sender that paused briefly got a burst; measured senders reached 0.88–1.45× the "rate".)
import net from 'node:net';

export class StrictTokenBucket {
  readonly capacity: number;
  private tokens: number;
  private at: number;

  constructor(
    readonly bytesPerSecond: number,
    capacity = Math.max(1500, Math.floor(bytesPerSecond / 100)),
    now = performance.now(),
  ) {
    this.capacity = capacity;
    this.tokens = 0; // a link starts empty: the first bytes wait like every other
    this.at = now;
  }

  /** Whole bytes that may leave at `now`. */
  available(now = performance.now()): number {
    if (now > this.at) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) * this.bytesPerSecond) / 1000);
      this.at = now;
    }
    return Math.floor(this.tokens);
  }

  take(n: number): void {
    this.tokens -= n;
  }

  /** Milliseconds until `n` bytes (at most a bucket) may leave. */
  msUntil(n: number, now = performance.now()): number {
    const need = Math.min(n, this.capacity) - this.available(now);
    return need <= 0 ? 0 : Math.ceil((need * 1000) / this.bytesPerSecond);
  }
}

/**
 * Forwards `from` → `to` through `bucket` (one bucket may be shared by several pipes: one link).
 * `onSend(bytes, at)` sees every slice as it leaves. Backpressure: reading pauses when 256 KiB are
 * queued (the link's buffer), so a sender feels the rate as TCP would make it feel it.
 */
export function shapedPipe(
  from: net.Socket,
  to: net.Socket,
  bucket: StrictTokenBucket,
  onSend: (bytes: number, at: number) => void = () => {},
): void {
  const queue: Buffer[] = [];
  let queued = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const pump = () => {
    timer = null;
    const now = performance.now();
    let budget = bucket.available(now);
    while (budget > 0 && queue.length > 0) {
      const head = queue[0]!;
      const part = head.subarray(0, budget);
      if (part.length === head.length) queue.shift();
      else queue[0] = head.subarray(part.length);
      budget -= part.length;
      queued -= part.length;
      bucket.take(part.length);
      onSend(part.length, now);
      if (!to.destroyed) to.write(part);
    }
    if (queue.length > 0) timer = setTimeout(pump, Math.max(1, bucket.msUntil(queue[0]!.length)));
    else if (ended && !to.destroyed) to.end();
    if (queued < 256 * 1024) from.resume();
  };
  from.on('data', (chunk: Buffer) => {
    queue.push(chunk);
    queued += chunk.length;
    if (queued >= 256 * 1024) from.pause();
    if (timer === null) pump();
  });
  // The sender finishing must not discard what is still queued: flush, then end.
  const finish = () => {
    if (ended) return;
    ended = true;
    if (timer === null) pump();
  };
  from.on('end', finish);
  from.on('close', finish);
  to.on('close', () => {
    if (timer) clearTimeout(timer);
    timer = null;
    queue.length = 0;
  });
}

export interface ShapedLink {
  url: string;
  port: number;
  /** Bytes that crossed the link upstream (booth → intake), and when (for the strictness check). */
  bytesUp: number;
  close(): Promise<void>;
}

/**
 * A TCP link to `upstreamPort` shaped at `bytesPerSecond` each way; all connections share the two
 * buckets, as they share one uplink.
 */
export async function startShapedLink(
  upstreamPort: number,
  bytesPerSecond: number,
  onUp?: (bytes: number, at: number) => void,
): Promise<ShapedLink> {
  const up = new StrictTokenBucket(bytesPerSecond);
  const down = new StrictTokenBucket(bytesPerSecond);
  const open = new Set<net.Socket>();
  const link: ShapedLink = { url: '', port: 0, bytesUp: 0, close: async () => undefined };
  const server = net.createServer((client) => {
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      open.add(s);
      s.on('close', () => open.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    shapedPipe(client, upstream, up, (n, at) => {
      link.bytesUp += n;
      onUp?.(n, at);
    });
    shapedPipe(upstream, client, down);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  link.port = (server.address() as net.AddressInfo).port;
  link.url = `http://127.0.0.1:${link.port}`;
  link.close = () =>
    new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    });
  return link;
}
