// The HTTP stack under the tus client and the submission calls. tus-js-client's own Node stack has
// no timeouts (a stalled village link would hang an upload for ever), no throttle and no counter,
// so this one adds: an idle timeout per request, bandwidth throttling from configuration (one
// bucket shared by all uploads of the booth), a CA for a self-hosted back office over TLS, and a
// count of body bytes written (for the delivery bench and the heartbeat).
import http from 'node:http';
import https from 'node:https';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import type { HttpRequest, HttpResponse, HttpStack } from 'tus-js-client';
import { systemClock, type Clock } from '../lib/clock.ts';
import { take, UNTHROTTLED, type BucketState, type ThrottleConfig } from './throttle.ts';

export interface TransportOptions {
  /** A request with no socket activity for this long is aborted (network error, retried). */
  idleTimeoutMs: number;
  /** PEM CA bundle for a self-hosted intake over TLS; undefined = system roots. */
  ca?: string | Buffer;
  /**
   * Only for fetching a village CA that a fingerprint pins (IntakeLink.pinnedCa): the server is not
   * verified, because what it sends is trusted by its SHA-256 alone. Never for any other request.
   */
  unverifiedTlsForPinnedCa?: boolean;
  throttle?: ThrottleConfig;
  clock?: Clock;
}

/** Shared by every request of one booth: throttle bucket and byte counter. */
export class Transport {
  bytesSent = 0;
  private bucket: BucketState;
  private readonly agentHttp: http.Agent;
  private agentHttps: https.Agent;
  readonly clock: Clock;

  constructor(readonly options: TransportOptions) {
    this.clock = options.clock ?? systemClock;
    this.bucket = { tokens: 0, at: this.clock.now() };
    // keepAlive off: a connection cut mid-body must not be reused for the next request.
    this.agentHttp = new http.Agent({ keepAlive: false });
    this.agentHttps = new https.Agent({
      keepAlive: false,
      ca: options.ca,
      ...(options.unverifiedTlsForPinnedCa ? { rejectUnauthorized: false } : {}),
    });
  }

  /** Resolves when `bytes` may be sent under the throttle configuration. */
  async permit(bytes: number): Promise<void> {
    const config = this.options.throttle ?? UNTHROTTLED;
    for (;;) {
      const result = take(config, this.bucket, bytes, this.clock.now());
      this.bucket = result.state;
      if (result.kind === 'send') return;
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, result.ms));
    }
  }

  /** A new CA (provisioning with --ca): later requests trust it; requests in flight finish on the old one. */
  setCa(ca: string | Buffer | undefined): void {
    const old = this.agentHttps;
    this.options.ca = ca;
    this.agentHttps = new https.Agent({ keepAlive: false, ca });
    old.destroy();
  }

  agentFor(url: URL): http.Agent {
    return url.protocol === 'https:' ? this.agentHttps : this.agentHttp;
  }

  destroy(): void {
    this.agentHttp.destroy();
    this.agentHttps.destroy();
  }
}

/** Passes chunks through once the throttle permits them, counting bytes. */
class Metered extends Transform {
  constructor(
    private readonly transport: Transport,
    private readonly onBytes: (total: number) => void,
  ) {
    super({ highWaterMark: 64 * 1024 });
  }
  private total = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, callback: TransformCallback): void {
    // Throttle in slices of at most 16 KiB so a low rate stays smooth.
    const slices: Buffer[] = [];
    for (let i = 0; i < chunk.length; i += 16 * 1024) slices.push(chunk.subarray(i, i + 16 * 1024));
    (async () => {
      for (const slice of slices) {
        await this.transport.permit(slice.length);
        this.total += slice.length;
        this.transport.bytesSent += slice.length;
        this.onBytes(this.total);
        this.push(slice);
      }
    })().then(() => callback(), callback);
  }
}

export class BoothHttpStack implements HttpStack {
  constructor(private readonly transport: Transport) {}
  createRequest(method: string, url: string): HttpRequest {
    return new BoothRequest(method, url, this.transport);
  }
  getName(): string {
    return 'BoothHttpStack';
  }
}

class BoothRequest implements HttpRequest {
  private readonly headers: Record<string, string> = {};
  private progress: (bytesSent: number) => void = () => {};
  private request: http.ClientRequest | null = null;

  constructor(
    private readonly method: string,
    private readonly url: string,
    private readonly transport: Transport,
  ) {}

  getMethod() {
    return this.method;
  }
  getURL() {
    return this.url;
  }
  setHeader(header: string, value: string) {
    this.headers[header] = value;
  }
  getHeader(header: string) {
    return this.headers[header];
  }
  setProgressHandler(handler: (bytesSent: number) => void) {
    this.progress = handler;
  }

  send(body: unknown = null): Promise<HttpResponse> {
    return new Promise((resolve, reject) => {
      const target = new URL(this.url);
      const headers: Record<string, string | number> = { ...this.headers };
      const size = (body as { size?: number } | null)?.size;
      if (typeof size === 'number') headers['Content-Length'] = size;
      if (Buffer.isBuffer(body)) headers['Content-Length'] = body.length;
      const mod = target.protocol === 'https:' ? https : http;
      const req = mod.request(target, { method: this.method, headers, agent: this.transport.agentFor(target) });
      this.request = req;
      req.setTimeout(this.transport.options.idleTimeoutMs, () =>
        req.destroy(new Error(`no activity for ${this.transport.options.idleTimeoutMs} ms`)),
      );
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(new BoothResponse(res, Buffer.concat(chunks).toString('utf8'))));
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body === null || body === undefined) {
        req.end();
        return;
      }
      const source = body instanceof Readable ? body : Readable.from([Buffer.isBuffer(body) ? body : Buffer.from(String(body))]);
      const metered = new Metered(this.transport, (n) => this.progress(n));
      source.on('error', (e) => req.destroy(e));
      source.pipe(metered).pipe(req);
    });
  }

  abort(): Promise<void> {
    this.request?.destroy();
    return Promise.resolve();
  }

  getUnderlyingObject() {
    return this.request;
  }
}

class BoothResponse implements HttpResponse {
  constructor(
    private readonly res: http.IncomingMessage,
    private readonly body: string,
  ) {}
  getStatus() {
    return this.res.statusCode ?? 0;
  }
  getHeader(header: string) {
    const v = this.res.headers[header.toLowerCase()];
    return Array.isArray(v) ? v.join(', ') : v;
  }
  getBody() {
    return this.body;
  }
  getUnderlyingObject() {
    return this.res;
  }
}

/** A small request over the same transport (submission create/finalise, heartbeat, settings,
 *  identity key, enrolment, health, update feed). */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface JsonResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: unknown;
}

export interface RequestLimits {
  /** The whole request (connect, TLS, answer) must finish in this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export function requestRaw(
  transport: Transport,
  method: string,
  url: string,
  headers: Record<string, string>,
  payload?: Buffer,
  limits: RequestLimits = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const mod = target.protocol === 'https:' ? https : http;
    const signals = [limits.signal, limits.timeoutMs === undefined ? undefined : AbortSignal.timeout(limits.timeoutMs)].filter(
      (s): s is AbortSignal => !!s,
    );
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    if (signal?.aborted) return reject(abortError(signal));
    const req = mod.request(target, {
      method,
      agent: transport.agentFor(target),
      headers: { ...headers, ...(payload ? { 'content-length': payload.length } : {}) },
    });
    const onAbort = () => req.destroy(abortError(signal!));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    req.setTimeout(transport.options.idleTimeoutMs, () => req.destroy(new Error(`no activity for ${transport.options.idleTimeoutMs} ms`)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        done();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('error', (e) => {
        done();
        reject(e);
      });
    });
    req.on('error', (e) => {
      done();
      reject(e);
    });
    if (payload) transport.bytesSent += payload.length;
    req.end(payload);
  });
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name === 'TimeoutError')
    return Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' });
  return reason instanceof Error ? reason : new Error('aborted');
}

export async function requestJson(
  transport: Transport,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: unknown,
  limits: RequestLimits = {},
): Promise<JsonResponse> {
  const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  const res = await requestRaw(
    transport,
    method,
    url,
    { accept: 'application/json', ...headers, ...(payload ? { 'content-type': 'application/json' } : {}) },
    payload,
    limits,
  );
  const text = res.body.toString('utf8');
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (a proxy's error page): keep the text
  }
  return { status: res.status, headers: res.headers, body: parsed };
}
