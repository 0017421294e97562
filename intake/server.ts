// The intake service: booth API under /api/v1, staff app under /staff/. Embedded in `npm start`,
// or run alone with `npm run intake` on a back-office server.
import { randomUUID } from 'node:crypto';
import { registerStatusRoutes } from './status/routes.ts';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import { Gauge } from 'prom-client';
import { API_PREFIX } from '../contract/booth.ts';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { loadOrCreateKey } from '../lib/sealed.ts';
import { loadOrCreateIdentityKeyPair } from '../lib/identitySeal.ts';
import { registerBoothApi } from './boothApi.ts';
import { PlaybackQueue, type PlaybackPolicy } from './media/playback.ts';
import { registerStaffRoutes } from './staff/routes/index.ts';
import { registerOpen311 } from './open311/routes.ts';
import { partnerOpenApiDocument } from './open311/openapi.ts';
import { registerPartnerRoutes } from './partners/routes.ts';
import { KeyGate } from './partners/keyAuth.ts';
import { type DispatcherOptions, WebhookDispatcher } from './partners/dispatcher.ts';
import { startReminderTicker } from './staff/reminders.ts';
import { startProcessTicker } from './staff/processTicker.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { registerFleetApi, type FleetApiDeps } from './fleetApi.ts';
import { issueCredential, revokeCredential, verifyCredential } from './boothCredentials.ts';
import { BoothStore } from './store/booths.ts';
import { CaseStore } from './store/cases.ts';
import { DeliveryStore } from './store/delivery.ts';
import { isPostgresUrl, openPostgresStore, openSqliteStore } from './store/db.ts';
import type { IntakeDatabase } from './store/schema.ts';
import { HEARTBEAT_KEEP_MS } from './fleet/flags.ts';
import { Periodic } from '../lib/periodic.ts';
import { createMetrics, registerObservability, type IntakeMetrics } from './metrics.ts';
import { WorkLeases } from './store/leases.ts';
import { fastifyRateLimitStore, RateLimits } from './store/rateLimits.ts';
import { PgAdvisoryLocker } from './delivery/pgLocker.ts';
import { DEFAULT_UPLOAD_EXPIRY_DAYS } from './delivery/uploadExpiry.ts';
import type { MediaStore } from './media/mediaStore.ts';
import { openStorage, type StorageSettings } from './media/storage.ts';
import { createLogger } from '../lib/log.ts';

const log = createLogger('intake');
const httpLog = createLogger('http');
/** How often the intake's housekeeping runs (expired partial uploads, old heartbeats). */
export const HOUSEKEEPING_MS = 12 * 3_600_000;

export const STAFF_DIST = fileURLToPath(new URL('../dist/staff', import.meta.url));

export interface IntakeOptions {
  /** Keys, media, tus uploads — and the SQLite store, unless databaseUrl names Postgres. */
  dataDir: string;
  /**
   * The scale-out store: a postgres:// URL (INTAKE_DATABASE_URL for `npm run intake`). Unset (the
   * default): SQLite at dataDir/intake.db. Media: see `storage`.
   */
  databaseUrl?: string;
  now?: () => number;
  /** Drives the deadline-reminder ticker; the system clock by default. */
  clock?: Clock;
  /** Secure flag of the staff session cookie; 'auto' (default) = when the request came over HTTPS. */
  secureCookie?: boolean | 'auto';
  /** Technicians' fleet API wiring (credentials, heartbeats, staff roles); see intake/fleetApi.ts. */
  fleet?: Partial<Omit<FleetApiDeps, 'booths' | 'staff'>>;
  /** Staff login attempts per IP per minute (default 10). */
  loginsPerMinute?: number;
  /** Days a partial tus upload is kept (default 7). */
  uploadExpiryDays?: number;
  /**
   * Where media, playback copies and partial uploads live: the folder dataDir/media + dataDir/uploads
   * (default), or an S3-compatible object store (INTAKE_STORAGE=s3, intake/media/storage.ts).
   */
  storage?: StorageSettings;
  /** Serve HTTPS (booths on other machines must use TLS; docs/DELIVERY.md). PEM key and certificate. */
  https?: { key: string | Buffer; cert: string | Buffer };
  /**
   * The village CA that signed this intake's certificate (PEM; INTAKE_TLS_CA), when it is not a public
   * one: served to booths at enrolment (enrolPaths.ca) and pinned by its fingerprint in the enrolment QR.
   */
  boothCaPem?: string;
  /**
   * Reverse proxies (IPs or CIDRs) whose X-Forwarded-For/-Proto/-Host are believed: the client's
   * address (rate limits, login log, audits) and scheme come from them. Unset: the headers are ignored.
   */
  trustedProxies?: string[];
  /** Bearer token that lets /metrics be scraped from beyond loopback (INTAKE_METRICS_TOKEN). */
  metricsToken?: string;
  /** How often the 4th-day reminder ticker looks for due reminders (default one minute). */
  reminderEveryMs?: number;
  /**
   * Staff playback of video and audio (INTAKE_PLAYBACK): 'copy-when-playable' (default) stream-copies
   * what current Chromium/Edge/Firefox play as it is and transcodes the rest; 'transcode' makes an
   * H.264/AAC MP4 of every recording (a district whose staff use an older Safari).
   */
  playback?: PlaybackPolicy;
  /**
   * The address booths and staff use, e.g. https://intake.example.gov.cn (no path): in enrolment QR
   * codes and links, accepted as the staff app's Origin, and an https one makes cookies Secure.
   * Unset: taken from each request (its scheme and Host), which behind a proxy is the proxy's view.
   */
  publicUrl?: string;
  /** Webhook dispatcher timings (tests shorten them); docs/OPEN311.md. */
  webhooks?: Partial<
    Pick<DispatcherOptions, 'pollMs' | 'batch' | 'leaseMs' | 'timeoutMs' | 'retryBaseMs' | 'retryMaxMs' | 'giveUpAfterMs'>
  >;
}

export interface Intake {
  app: FastifyInstance;
  /** Every route the app registered (method, URL), in order: the API documents are checked against it. */
  routes: { method: string; url: string }[];
  store: CaseStore;
  /** Booth credentials, tus uploads, heartbeats. */
  delivery: DeliveryStore;
  db: Kysely<IntakeDatabase>;
  playback: PlaybackQueue;
  /** Case media and playback copies (a folder, or the object store). */
  media: MediaStore;
  /** The folder store's root, dataDir/media (unused with the object store). */
  mediaRoot: string;
  /** Prometheus registry and this process's counters; other parts register their metrics in it. */
  metrics: IntakeMetrics;
  /** Work done once across processes on this store (reminders, housekeeping, renditions). */
  leases: WorkLeases;
  /** The housekeeping sweep of uploads/ now: expired partial uploads and orphan files; how many went. */
  sweepUploads(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Security headers on every answer (@fastify/helmet): a CSP that allows only the staff app's own
 * scripts, media and API (styles may be inline: React style props), no framing (frame-ancestors
 * 'none' + X-Frame-Options), nosniff, no Referer leaving the app, and HSTS only when the request came
 * over TLS (directly, or per X-Forwarded-Proto from a trusted proxy): an http-only village intake
 * must not tell browsers to insist on https.
 */
async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
  });
  app.addHook('onSend', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });
}

/** The origin of a public base URL (scheme://host[:port]); throws on anything else. */
export function parsePublicUrl(value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`public URL ${value} is not a URL`);
  }
  if (
    (u.protocol !== 'https:' && u.protocol !== 'http:') ||
    (u.pathname !== '/' && u.pathname !== '') ||
    u.search ||
    u.hash ||
    u.username
  ) {
    throw new Error(`public URL ${value} must be http(s)://host[:port] with no path`);
  }
  return u.origin;
}

export async function createIntake(options: IntakeOptions): Promise<Intake> {
  const dataDir = path.resolve(options.dataDir);
  const mediaRoot = path.join(dataDir, 'media');
  if (options.databaseUrl !== undefined && !isPostgresUrl(options.databaseUrl))
    throw new Error('databaseUrl must be a postgres:// or postgresql:// URL');
  const db = options.databaseUrl ? await openPostgresStore(options.databaseUrl) : await openSqliteStore(path.join(dataDir, 'intake.db'));
  const store = new CaseStore(db);
  const contactKey = await loadOrCreateKey(path.join(dataDir, 'keys', 'contact.key'));
  const storage = await openStorage(
    options.storage ?? { kind: 'folder' },
    dataDir,
    (options.uploadExpiryDays ?? DEFAULT_UPLOAD_EXPIRY_DAYS) * 86_400_000,
  ).catch(async (e: unknown) => {
    await db.destroy();
    throw e;
  });
  const leases = new WorkLeases(db);
  // Booth API requests in flight (tus uploads, manifests): the playback worker starts no ffmpeg while there are any.
  let boothRequests = 0;
  const playback = new PlaybackQueue(store, storage.media, {
    leases,
    ingestBusy: () => boothRequests > 0,
    ...(options.playback ? { policy: options.playback } : {}),
  });
  // Booths seal identities to this key pair's public half; the private half stays in keys/.
  const identityKeys = loadOrCreateIdentityKeyPair(path.join(dataDir, 'keys'));

  const publicOrigin = options.publicUrl === undefined ? undefined : parsePublicUrl(options.publicUrl);
  // Fastify logs through the project's one pino root (lib/log.ts: personal keys redacted, text
  // scrubbed). Its own per-request lines are off (they carry the raw URL); one line per answer is
  // written below with the request id, the route template, status, duration and who asked.
  const base = {
    loggerInstance: httpLog,
    // Through the log controller: the top-level disableRequestLogging option is deprecated in Fastify 5.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustedProxies?.length ? options.trustedProxies : false,
  } as const;
  const app = (options.https ? Fastify({ ...base, https: options.https }) : Fastify(base)) as unknown as FastifyInstance;
  const routes: Intake['routes'] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  app.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith(`${API_PREFIX}/`)) return;
    boothRequests++;
    reply.raw.once('close', () => boothRequests--); // also for the tus routes, whose replies are hijacked
  });
  app.addHook('onResponse', async (request, reply) => {
    const line = {
      reqId: request.id,
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
      ...(request.boothCode ? { boothCode: request.boothCode } : {}),
      ...(request.staffUserId ? { staffUserId: request.staffUserId } : {}),
    };
    if (reply.statusCode >= 500) httpLog.error(line, 'request answered');
    else httpLog.info(line, 'request answered');
  });
  // Every 5xx is logged with its stack; the answer never carries the error's text (database text
  // included). A 4xx Fastify raises itself (a body that is not JSON, too large) keeps its message.
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) {
      httpLog.error({ reqId: request.id, route: request.routeOptions.url ?? 'unmatched', err: error }, 'request failed');
      return reply.code(status).send({ error: { code: 'internal', message: 'internal error' } });
    }
    return reply.code(status).send({ error: { code: status === 413 ? 'payload_too_large' : 'bad_request', message: error.message } });
  });
  await registerSecurityHeaders(app);
  await app.register(fastifyStatic, {
    root: existsSync(STAFF_DIST) ? STAFF_DIST : dataDir,
    prefix: '/staff/',
    serve: existsSync(STAFF_DIST),
    decorateReply: true,
  });
  app.get('/', async (_req, reply) => reply.redirect('/staff/'));
  const delivery = new DeliveryStore(db, options.now);
  const clock = options.clock ?? systemClock;
  const nowMs = options.now ?? (() => clock.now());
  const rateLimits = new RateLimits(db, options.now ?? (() => clock.now()));
  const probeStorage = async () => {
    // Its own name per check: checks overlap (load balancers, monitoring), and one deleting a shared
    // probe while another read it failed that one.
    const probe = path.join(dataDir, `.ready-${process.pid}-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await readFile(probe);
    await rm(probe, { force: true });
    if (storage.media.kind !== 'folder') await storage.media.probe();
  };
  const metricsDeps = { db, now: nowMs, probeStorage, ...(options.metricsToken ? { token: options.metricsToken } : {}) };
  const metrics = createMetrics(metricsDeps);
  registerObservability(app, metrics, metricsDeps);
  new Gauge({
    name: 'intake_playback_worker_items',
    help: 'Playback renditions this process\'s worker holds (waiting and the one in hand); the district-wide backlog is intake_queue_depth{queue="playback"}',
    registers: [metrics.registry],
    collect() {
      this.set(playback.backlog);
    },
  });
  // Several processes on one Postgres: tus upload locks must be seen by all of them.
  const locker = options.databaseUrl ? await PgAdvisoryLocker.create(options.databaseUrl) : undefined;
  const tus = await registerBoothApi(app, {
    store,
    delivery,
    media: storage.media,
    uploads: storage.uploads,
    contactKey,
    identityPublicPem: identityKeys.publicPem,
    identityPrivateKey: identityKeys.privateKey,
    playback,
    onCaseCreated: () => metrics.casesIngested.inc(),
    ...(locker ? { locker } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // Housekeeping at start and twice a day, on the injected clock: abandoned partial uploads expire
  // (tus expiration extension), and heartbeats older than the fleet view's week (+1 day) go. With
  // several processes on one store, one of them does it per period (the lease is kept, not released).
  const housekeeping = new Periodic(
    clock,
    () => HOUSEKEEPING_MS,
    async () => {
      if (!(await leases.claim('housekeeping', 'all', HOUSEKEEPING_MS - 60_000, nowMs()).catch(() => false))) return;
      await tus.cleanUpExpired().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'expired uploads not cleaned up'));
      const pruned = await delivery.pruneHeartbeats((options.now ?? (() => clock.now()))() - HEARTBEAT_KEEP_MS).catch((e: unknown) => {
        log.warn({ err: (e as Error).message }, 'old heartbeats not pruned');
        return 0;
      });
      if (pruned) log.info({ pruned }, 'old heartbeats pruned');
      await rateLimits.prune().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'old rate-limit windows not pruned'));
    },
  );
  housekeeping.start(0);
  await app.register(fastifyCookie);
  // Only routes that ask for it are limited (the staff login, enrolment); booth traffic is not.
  // Counted in the store, so every process behind a load balancer sees the same counts.
  await app.register(fastifyRateLimit, { global: false, store: fastifyRateLimitStore(rateLimits), skipOnError: true });
  // An https public address makes the session cookie Secure whatever the hop to this process was.
  const secureCookie = options.secureCookie ?? (publicOrigin?.startsWith('https:') ? true : 'auto');
  registerStaffRoutes(app, {
    db,
    contactKey,
    media: storage.media,
    now: options.now ?? (() => clock.now()),
    secureCookie,
    ...(publicOrigin ? { publicOrigin } : {}),
    ...(options.loginsPerMinute ? { loginsPerMinute: options.loginsPerMinute } : {}),
  });
  // Partner systems (issue 19): Open311 GeoReport v2, the rates (their staff admin routes are in registerStaffRoutes).
  const staffNow = options.now ?? (() => clock.now());
  const keyGate = new KeyGate(db, staffNow, rateLimits);
  registerOpen311(app, { db, contactKey, gate: keyGate, now: staffNow });
  registerPartnerRoutes(app, { db, gate: keyGate, now: staffNow });
  app.get('/open311/v2/openapi.json', async () => partnerOpenApiDocument());
  const webhooks = new WebhookDispatcher({ db, key: contactKey, clock, now: staffNow, ...options.webhooks });
  // The resident's status page (issue 18): public, read-only, rate-limited per address.
  registerStatusRoutes(app, { db, contactKey, now: staffNow, rateLimits });
  const booths = new BoothStore(db);
  registerFleetApi(app, {
    booths,
    // Booth credentials and heartbeats are the delivery code's (issue 6); staff roles the back office's (issue 7).
    credentials: options.fleet?.credentials ?? {
      issue: (boothId, at) => issueCredential(delivery, boothId, at),
      revoke: async (boothId, at) => void (await revokeCredential(delivery, boothId, at)),
    },
    heartbeats: options.fleet?.heartbeats ?? delivery,
    authenticateBooth:
      options.fleet?.authenticateBooth ??
      (async (request) => {
        const r = await verifyCredential(delivery, request.headers.authorization);
        return r.ok ? r.boothId : null;
      }),
    staff: { db, now: options.now ?? (() => clock.now()), ...(publicOrigin ? { publicOrigin } : {}) },
    updatesDir: path.join(dataDir, 'updates', 'linux'),
    caPem: options.boothCaPem ?? null,
    publicUrl: options.fleet?.publicUrl ?? ((request) => publicOrigin ?? `${request.protocol}://${request.host}`),
    ...(options.fleet?.limits ? { limits: options.fleet.limits } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  // Pending renditions: at start, and every minute (taking over those of a process that died).
  await playback.resume(60_000);
  const reminders = startReminderTicker(db, clock, undefined, options.reminderEveryMs, leases);
  const processTicker = startProcessTicker(db, clock, undefined, options.reminderEveryMs, leases);
  webhooks.start();

  return {
    app,
    routes,
    store,
    delivery,
    db,
    playback,
    media: storage.media,
    mediaRoot,
    metrics,
    leases,
    sweepUploads: () => tus.cleanUpExpired(),
    async close() {
      reminders.stop();
      processTicker.stop();
      await webhooks.stop();
      await housekeeping.stop();
      await app.close();
      playback.stop();
      await playback.idle();
      await locker?.close();
      await db.destroy();
    },
  };
}
