// Observability of one intake process (docs/DEPLOY.md "Monitoring"): Prometheus metrics with
// prom-client, readiness and liveness.
//   GET /metrics           text exposition; from loopback only, or with `Authorization: Bearer
//                          <INTAKE_METRICS_TOKEN>` when a token is configured
//   GET /api/v1/live       the process answers (no dependency touched): restart it if not
//   GET /api/v1/ready      the database answers a query and the media storage takes a write: send
//                          traffic only if 200 (503 + which part failed otherwise)
// Counters are per process (Prometheus sums them over the processes); the store-backed gauges
// (queues, reminder lag, heartbeat ages) read the shared database when scraped, so every process
// reports the same district-wide values.
// Other parts register their own metrics in `registry` (e.g. the transcode worker's backlog).
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IntakeDatabase } from './store/schema.ts';

export interface IntakeMetrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'status'>;
  latency: Histogram<'method' | 'route'>;
  uploadBytes: Counter;
  casesIngested: Counter;
}

export interface MetricsDeps {
  db: Kysely<IntakeDatabase>;
  now: () => number;
  /** Proves the media storage works (a small write, read and delete); throws if not. */
  probeStorage(): Promise<void>;
  /** Bearer token for /metrics from beyond loopback; unset: loopback only. */
  token?: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function createMetrics(deps: MetricsDeps): IntakeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const { db, now } = deps;
  const requests = new Counter({
    name: 'intake_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'intake_http_request_duration_seconds',
    help: 'Time to answer, by route pattern',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const uploadBytes = new Counter({
    name: 'intake_upload_bytes_total',
    help: 'Media bytes received in tus PATCH requests by this process',
    registers: [registry],
  });
  const casesIngested = new Counter({
    name: 'intake_cases_ingested_total',
    help: 'Cases created from booth manifests by this process',
    registers: [registry],
  });
  new Gauge({
    name: 'intake_cases',
    help: 'Cases in the store',
    registers: [registry],
    async collect() {
      const r = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      this.set(Number(r.n));
    },
  });
  new Gauge({
    name: 'intake_case_media_bytes',
    help: 'Bytes of original media in the store',
    registers: [registry],
    async collect() {
      const r = await db
        .selectFrom('case_items')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('b'))
        .executeTakeFirstOrThrow();
      this.set(Number(r.b));
    },
  });
  new Gauge({
    name: 'intake_queue_depth',
    help: 'Work waiting, by queue: playback renditions pending, tus uploads not yet verified',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      const p = await db
        .selectFrom('case_items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('playback_state', '=', 'pending')
        .executeTakeFirstOrThrow();
      const u = await db
        .selectFrom('delivery_uploads')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('verified_at', 'is', null)
        .executeTakeFirstOrThrow();
      this.set({ queue: 'playback' }, Number(p.n));
      this.set({ queue: 'uploads' }, Number(u.n));
    },
  });
  new Gauge({
    name: 'intake_reminder_lag_seconds',
    help: 'How long the oldest due 4th-day reminder has been waiting to go out (0: none waiting)',
    registers: [registry],
    async collect() {
      const t = now();
      const r = await db
        .selectFrom('cases')
        .select((eb) => eb.fn.min<string>('reminder_at').as('oldest'))
        .where('reminder_at', '<=', new Date(t).toISOString())
        .where('reminder_sent_at', 'is', null)
        .where('answered_at', 'is', null)
        .where('status', 'in', ['assigned', 'in_progress', 'escalated'])
        .executeTakeFirst();
      this.set(r?.oldest ? Math.max(0, (t - Date.parse(r.oldest)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'intake_booth_heartbeat_age_seconds',
    help: 'Seconds since each enrolled booth last sent a heartbeat',
    labelNames: ['booth'] as const,
    registers: [registry],
    async collect() {
      const t = now();
      const rows = await db
        .selectFrom('booth_heartbeats')
        .select(['booth_code', (eb) => eb.fn.max<number>('received_at').as('last')])
        .groupBy('booth_code')
        .execute();
      this.reset();
      for (const r of rows) this.set({ booth: r.booth_code }, Math.max(0, (t - Number(r.last)) / 1000));
    },
  });
  return { registry, requests, latency, uploadBytes, casesIngested };
}

/** /metrics, /api/v1/live, /api/v1/ready, and the request counting hook. */
export function registerObservability(app: FastifyInstance, metrics: IntakeMetrics, deps: MetricsDeps): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const labels = { method: request.method, route };
    metrics.requests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.latency.observe(labels, reply.elapsedTime / 1000);
    if (request.method === 'PATCH' && route.startsWith('/api/v1/uploads') && reply.statusCode === 204) {
      const n = Number(request.headers['content-length']);
      if (Number.isFinite(n) && n > 0) metrics.uploadBytes.inc(n);
    }
  });
  app.get('/metrics', async (request, reply) => {
    const bearer = request.headers.authorization?.replace(/^Bearer\s+/i, '');
    const allowed = deps.token ? bearer === deps.token || LOOPBACK.has(request.ip) : LOOPBACK.has(request.ip);
    if (!allowed)
      return reply.code(403).send({ error: { code: 'forbidden', message: 'metrics are served to loopback or with the metrics token' } });
    const text = await metrics.registry.metrics();
    return reply.type(metrics.registry.contentType).send(text);
  });
  app.get('/api/v1/live', async () => ({ ok: true }));
  app.get('/api/v1/ready', async (_request, reply) => {
    const failed: string[] = [];
    try {
      await sql`select 1`.execute(deps.db);
    } catch {
      failed.push('database');
    }
    try {
      await deps.probeStorage();
    } catch {
      failed.push('storage');
    }
    if (failed.length) return reply.code(503).send({ ok: false, error: { code: 'not_ready', failed } });
    return { ok: true };
  });
}
