// A fault-injecting TCP proxy on 127.0.0.1 for delivery tests and the bench. It sits between the
// booth and the intake and, per accepted connection, applies a scripted fault:
//   pass     forward both ways
//   drop     accept and close at once (nothing forwarded)
//   stall    forward `afterBytes` upstream, then forward nothing more in either direction and keep
//            the sockets open (the client must time out)
//   reset    forward `afterBytes` upstream, then destroy both sockets with a TCP RST (mid-body cut);
//            with `flushUpstream`, the intake side is closed gracefully instead, so what was forwarded
//            arrives (a cut on the booth's side of the link: everything before the cut got through)
//   slow     forward both ways at `bytesPerSecond` (throttled link: a strict token bucket)
//   http     answer with an HTTP status (e.g. 503) without contacting the intake
// The script is a function of the connection number, so tests can say "the 3rd connection resets
// after 40 kB" or "30 % of connections fail at random" with a seeded random.
// A stall or reset may name a `method`: the proxy then reads the request line first and applies
// the fault only to that method (any other request passes). The booth opens one connection per
// request, so a tus retry is a HEAD and then a PATCH on two connections; a cut meant for a body
// must not be spent on the HEAD, which never reaches `afterBytes`. `stats.cuts` counts the resets
// that actually tripped, which is what "N forced cuts" must be measured by; `stats.cutLog` says, per
// cut, how many body bytes got through to the intake and how many the proxy took from the client
// and dropped (the part of its last read past the cut: bytes in flight on a link that breaks).
import net from 'node:net';
import { shapedPipe, StrictTokenBucket } from './linkShaper.ts';

export type Fault =
  | { kind: 'pass' }
  | { kind: 'drop' }
  | { kind: 'stall'; afterBytes: number; method?: string }
  | { kind: 'reset'; afterBytes: number; flushUpstream?: boolean; method?: string }
  | { kind: 'slow'; bytesPerSecond: number }
  | { kind: 'http'; status: number; retryAfter?: number };

export type FaultScript = (connection: number) => Fault;

export interface ChaosStats {
  connections: number;
  /** Bytes forwarded from clients to the upstream (what reached the intake). */
  bytesUp: number;
  /** Bytes received from clients, forwarded or not. */
  bytesFromClients: number;
  /** Faults applied, by kind (a fault whose `method` did not match counts as a pass). */
  faults: Record<Fault['kind'], number>;
  /** Resets that tripped: connections actually cut after `afterBytes`. */
  cuts: number;
  /** One entry per tripped reset, in order. */
  cutLog: CutRecord[];
}

export interface CutRecord {
  /** Bytes of the request body forwarded to the upstream before the cut (its head not counted). */
  bodyForwarded: number;
  /** Bytes the proxy read from the client on that connection and never forwarded. */
  dropped: number;
}

export interface ChaosProxy {
  port: number;
  url: string;
  stats: ChaosStats;
  setScript(script: FaultScript): void;
  /** Points the proxy at another upstream port (the intake restarted on a new port). */
  setUpstream(port: number): void;
  /** Destroys every open connection now (an intake restart or a cable pulled). */
  cutAll(): void;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
  429: 'Too Many Requests',
};

/** When one side closes, end the other gracefully (pending writes flush), then make sure it goes. */
function closeTogether(a: net.Socket, b: net.Socket): void {
  const follow = (other: net.Socket) => () => {
    if (other.destroyed) return;
    other.end();
    setTimeout(() => other.destroy(), 1_000).unref();
  };
  a.on('close', follow(b));
  b.on('close', follow(a));
}

export async function startChaosProxy(upstreamPort: number, script: FaultScript = () => ({ kind: 'pass' })): Promise<ChaosProxy> {
  let upstream = upstreamPort;
  let current = script;
  const open = new Set<net.Socket>();
  const stats: ChaosStats = {
    connections: 0,
    bytesUp: 0,
    bytesFromClients: 0,
    faults: { pass: 0, drop: 0, stall: 0, reset: 0, slow: 0, http: 0 },
    cuts: 0,
    cutLog: [],
  };
  const track = (s: net.Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    s.on('error', () => {});
  };

  const server = net.createServer((client) => {
    track(client);
    const n = stats.connections++;
    const scripted = current(n);
    if ((scripted.kind === 'stall' || scripted.kind === 'reset') && scripted.method !== undefined) {
      // Peek at the request line (read, then put back) before deciding.
      const method = scripted.method;
      client.once('readable', () => {
        const head = client.read() as Buffer | null;
        if (head) client.unshift(head);
        const line = head?.subarray(0, 16).toString('latin1') ?? '';
        apply(client, line.startsWith(`${method} `) ? scripted : { kind: 'pass' });
        client.resume();
      });
      return;
    }
    apply(client, scripted);
  });

  function apply(client: net.Socket, fault: Fault): void {
    stats.faults[fault.kind]++;
    client.on('data', (c: Buffer) => (stats.bytesFromClients += c.length));

    if (fault.kind === 'drop') {
      client.resetAndDestroy();
      return;
    }
    if (fault.kind === 'http') {
      // Wait for the request line so the client is in "waiting for response" state, then answer.
      client.once('data', () => {
        const text = STATUS_TEXT[fault.status] ?? 'Error';
        const extra = fault.retryAfter !== undefined ? `Retry-After: ${fault.retryAfter}\r\n` : '';
        client.end(`HTTP/1.1 ${fault.status} ${text}\r\nContent-Length: 0\r\nConnection: close\r\n${extra}\r\n`);
      });
      return;
    }

    const server = net.connect(upstream, '127.0.0.1');
    track(server);
    server.on('error', () => client.destroy());
    client.on('error', () => server.destroy());

    if (fault.kind === 'slow') {
      // A strict token bucket per direction (testkit/linkShaper.ts): no burst beyond 10 ms of the rate.
      shapedPipe(client, server, new StrictTokenBucket(fault.bytesPerSecond), (k) => (stats.bytesUp += k));
      shapedPipe(server, client, new StrictTokenBucket(fault.bytesPerSecond));
      return;
    }
    if (fault.kind === 'pass') {
      client.on('data', (c: Buffer) => {
        stats.bytesUp += c.length;
        if (!server.write(c)) client.pause();
      });
      server.on('drain', () => client.resume());
      client.on('end', () => server.end());
      server.pipe(client);
      closeTogether(client, server);
      return;
    }
    closeTogether(client, server);
    // stall or reset after `afterBytes` upstream
    let forwarded = 0;
    let tripped = false;
    // Where the request head ends in the forwarded bytes (-1 until seen), for the cut log.
    let head = Buffer.alloc(0);
    let headEnd = -1;
    client.on('data', (c: Buffer) => {
      if (tripped) return;
      const room = fault.afterBytes - forwarded;
      const part = c.subarray(0, Math.max(0, room));
      if (part.length > 0) {
        if (headEnd < 0 && head.length < 65_536) {
          head = Buffer.concat([head, part.subarray(0, 65_536)]);
          const i = head.indexOf('\r\n\r\n');
          if (i >= 0) headEnd = i + 4;
        }
        forwarded += part.length;
        stats.bytesUp += part.length;
        server.write(part);
      }
      if (forwarded >= fault.afterBytes) {
        tripped = true;
        if (fault.kind === 'reset') {
          stats.cuts++;
          stats.cutLog.push({ bodyForwarded: headEnd < 0 ? 0 : forwarded - headEnd, dropped: c.length - part.length });
          client.resetAndDestroy();
          if (fault.flushUpstream) {
            server.end();
            setTimeout(() => server.destroy(), 2_000).unref();
          } else server.resetAndDestroy();
        } else {
          // stall: stop relaying answers too, keep both sockets open
          server.unpipe(client);
          server.pause();
        }
      }
    });
    server.pipe(client);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    stats,
    setScript: (s) => (current = s),
    setUpstream: (p) => (upstream = p),
    cutAll: () => {
      for (const s of open) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A seeded random (mulberry32) so chaos runs are reproducible from a printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A mixed fault script: each connection draws a fault with the given weights. */
export function randomFaults(
  random: () => number,
  weights: Partial<Record<Fault['kind'], number>>,
  params: { maxAfterBytes: number; slowBytesPerSecond: number; status?: number },
): FaultScript {
  const kinds = Object.entries(weights).filter(([, w]) => (w ?? 0) > 0) as Array<[Fault['kind'], number]>;
  const total = kinds.reduce((s, [, w]) => s + w, 0);
  return () => {
    let r = random() * total;
    let kind: Fault['kind'] = 'pass';
    for (const [k, w] of kinds) {
      if (r < w) {
        kind = k;
        break;
      }
      r -= w;
    }
    const afterBytes = Math.floor(random() * params.maxAfterBytes);
    switch (kind) {
      case 'pass':
        return { kind };
      case 'drop':
        return { kind };
      case 'stall':
        return { kind, afterBytes };
      case 'reset':
        return { kind, afterBytes };
      case 'slow':
        return { kind, bytesPerSecond: params.slowBytesPerSecond };
      case 'http':
        return { kind, status: params.status ?? 503 };
    }
  };
}
