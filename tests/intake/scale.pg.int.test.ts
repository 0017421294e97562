// The district setup of docs/DEPLOY.md, as written (issue 16 "done when"): two `npm run intake`
// processes configured from an env file in the shape of packaging/intake/intake.env.example
// (INTAKE_DATABASE_URL to one PostgreSQL, INTAKE_STORAGE=s3 to one object store, trusted proxy and
// public URL, one INTAKE_PORT each, the same keys/), behind a real HAProxy with DEPLOY.md's
// configuration, on a real OpenStack Swift s3api. In front: the chaos proxy and three simulated
// booths (outbox + upload worker + tus client) with mixed sizes, some items over the 5 MiB part size.
// One intake process is SIGKILLed mid-run. Then: every receipt ⇒ exactly one case with
// byte-identical media in the object store; each due 4th-day reminder POSTed once; the survivor
// serves metrics (counters, store gauges, each booth's heartbeat age) and is ready until its
// database goes.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { Heartbeat } from '../../contract/booth.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { S3MediaStore } from '../../intake/media/mediaStore.ts';
import { createS3Client } from '../../intake/media/s3Client.ts';
import { writeSettings } from '../../intake/staff/settings.ts';
import { openPostgresStore } from '../../intake/store/db.ts';
import { DeliveryStore } from '../../intake/store/delivery.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { UploadWorker } from '../../uploader/worker.ts';
import { randomFaults, seededRandom, startChaosProxy, type ChaosProxy } from '../../testkit/chaosProxy.ts';
import { checkInvariant, fillOutbox, type BoothReceipt } from '../../testkit/deliveryInvariant.ts';
import { startIntakeProcess, type IntakeProcess } from '../../testkit/intakeProcess.ts';
import { startHaproxy, type LoadBalancer } from '../../testkit/loadBalancer.ts';
import { freePort, postgresAvailable, startPostgres, type Postgres } from '../../testkit/postgres.ts';
import { seedCase, seedUnit } from '../../testkit/staff.ts';
import { eventually } from '../../testkit/eventually.ts';
import { startSwift, type Swift } from '../../testkit/swift.ts';

const BOOTHS = ['SC01', 'SC02', 'SC03'];
const PER_BOOTH = 10;
const REMINDERS = 8;
const SEED = Number(process.env.SCALE_SEED ?? 20261207);
const BUCKET = 'shuoba-district';
const root = mkdtempSync(path.join(os.tmpdir(), 'intake-scale-'));

const heartbeat = (boothCode: string): Heartbeat => ({
  boothCode,
  sentAt: new Date().toISOString(),
  version: '0.1.0',
  queueDepth: 0,
  oldestUnsentSec: null,
  bytesWaiting: 0,
  disk: { freeBytes: 10 * 1024 ** 3, totalBytes: 20 * 1024 ** 3 },
  devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' },
  lastError: null,
  alerts: [],
});

/** The env file as an operator writes it: the example's lines with values filled in. */
function envFile(values: Record<string, string>): Record<string, string> {
  const example = readFileSync(new URL('../../packaging/intake/intake.env.example', import.meta.url), 'utf8');
  const lines = example.split('\n').map((l) => {
    const m = /^#?(INTAKE_[A-Z0-9_]+)=/.exec(l);
    return m && values[m[1]!] !== undefined ? `${m[1]}=${values[m[1]!]}` : l;
  });
  for (const [k, v] of Object.entries(values)) if (!lines.some((l) => l.startsWith(`${k}=`))) lines.push(`${k}=${v}`);
  const file = path.join(root, 'intake.env');
  writeFileSync(file, lines.join('\n'));
  // What systemd's EnvironmentFile= reads: KEY=VALUE lines; comments and blank lines skipped.
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

let pgServer: Postgres | undefined;
let swift: Swift | undefined;
let lb: LoadBalancer | undefined;
let proxy: ChaosProxy | undefined;
let hook: Server | undefined;
let db: Kysely<IntakeDatabase> | undefined;
const procs: IntakeProcess[] = [];

afterAll(async () => {
  // SCALE_LOG_DIR=…: the intakes' logs (the env file's LOG_LEVEL) kept for a look after the run.
  if (process.env.SCALE_LOG_DIR)
    procs.forEach((p, i) => writeFileSync(path.join(process.env.SCALE_LOG_DIR!, `intake${i + 1}.log`), p.stderr()));
  await proxy?.close();
  await lb?.stop();
  await Promise.all(procs.map((p) => p.stop()));
  hook?.close();
  await db?.destroy();
  await swift?.stop();
  await pgServer?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('two intake processes behind HAProxy on one PostgreSQL and one object store', () => {
  it(
    'keeps every receipt ⇒ one case with byte-identical media, and each reminder once, with one process SIGKILLed mid-run',
    { timeout: 900_000 },
    async () => {
      if (!postgresAvailable()) throw new Error('PostgreSQL 15 is required (scripts/setup.sh installs it)');
      [pgServer, swift] = await Promise.all([startPostgres(), startSwift()]);
      const url = await pgServer.createDatabase('district');
      db = await openPostgresStore(url);

      // Due reminders, and the admin webhook that receives them.
      const posts: string[] = [];
      hook = createServer((req, res) => {
        let b = '';
        req.on('data', (c: Buffer) => (b += c.toString()));
        req.on('end', () => {
          posts.push((JSON.parse(b) as { caseNumber: string }).caseNumber);
          res.end('ok');
        });
      });
      await new Promise<void>((r) => hook!.listen(0, '127.0.0.1', r));
      await writeSettings(db, { webhookUrl: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook` });
      const unit = await seedUnit(db, '城管科');
      const past = new Date(Date.now() - 3_600_000).toISOString();
      for (let i = 0; i < REMINDERS; i++) {
        const c = await seedCase(db, { receivedAt: past, status: 'assigned', unitId: unit, dispatchedAt: past });
        await db
          .updateTable('cases')
          .set({ reminder_at: past, due_at: new Date(Date.now() + 86_400_000).toISOString() })
          .where('id', '=', c.id)
          .execute();
      }

      // Two intake processes, each with its own INTAKE_PORT and data folder holding the same keys/.
      const [portA, portB, lbPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const env = envFile({
        INTAKE_HOST: '127.0.0.1',
        INTAKE_DATABASE_URL: url,
        INTAKE_TRUSTED_PROXIES: '127.0.0.1',
        INTAKE_PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
        INTAKE_STORAGE: 's3',
        INTAKE_S3_ENDPOINT: swift.endpoint,
        INTAKE_S3_BUCKET: BUCKET,
        INTAKE_S3_REGION: swift.region,
        INTAKE_S3_ACCESS_KEY_ID: swift.accessKeyId,
        INTAKE_S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
        INTAKE_REMINDER_EVERY_MS: '300',
      });
      expect(env).toMatchObject({ INTAKE_STORAGE: 's3', INTAKE_DATABASE_URL: url });
      const first = await startIntakeProcess({ ...env, INTAKE_PORT: String(portA), INTAKE_DATA: path.join(root, 'a') }, 120_000);
      procs.push(first);
      mkdirSync(path.join(root, 'b'));
      cpSync(path.join(root, 'a', 'keys'), path.join(root, 'b', 'keys'), { recursive: true });
      procs.push(await startIntakeProcess({ ...env, INTAKE_PORT: String(portB), INTAKE_DATA: path.join(root, 'b') }, 120_000));
      // HAProxy as DEPLOY.md configures it; the test picked its port before the intakes' public URL.
      lb = await startHaproxy([portA!, portB!], lbPort);

      // Booths → chaos proxy → HAProxy → two intakes.
      const random = seededRandom(SEED);
      proxy = await startChaosProxy(
        lb.port,
        randomFaults(
          random,
          { pass: 70, drop: 5, reset: 12, stall: 2, slow: 4, http: 7 },
          { maxAfterBytes: 2_000_000, slowBytesPerSecond: 4_000_000, status: 503 },
        ),
      );
      const delivery = new DeliveryStore(db);
      const booth = async (code: string, n: number) => {
        const dir = path.join(root, code);
        const mediaDir = path.join(dir, 'media');
        const bdb = openBoothDb(path.join(dir, 'booth.db'));
        const outbox = new Outbox(bdb, 'Asia/Shanghai');
        const receipts: BoothReceipt[] = await fillOutbox(outbox, mediaDir, PER_BOOTH, random, code, Date.now() + n, {
          maxBytes: 400_000,
          bigBytes: 6_000_000,
        });
        const token = await issueCredential(delivery, code, Date.now());
        // 10 s without a byte is a stall; a loaded 2-core machine answers a verified finalise in seconds.
        const client = new IntakeLink({ intakeUrl: proxy!.url, token, idleTimeoutMs: 10_000, inRequestDelaysMs: [0, 20, 50] });
        const worker = new UploadWorker({
          outbox,
          client,
          mediaDir,
          sealingKey: randomBytes(32),
          random,
          retry: { initialDelayMs: 20, factor: 2, capMs: 300, jitter: 0.2, maxRetryAfterMs: 300 },
          concurrency: 2,
          pollMs: 50,
        });
        return { code, bdb, outbox, receipts, client, worker, mediaDir, token };
      };
      // One booth after the other, so the seed alone decides every item's size.
      const booths: Awaited<ReturnType<typeof booth>>[] = [];
      for (const [n, code] of BOOTHS.entries()) booths.push(await booth(code, n));
      // Some items are over the object store's 5 MiB part size (multipart uploads across processes).
      const big = booths.flatMap((b) => b.receipts.flatMap((r) => r.items)).filter((i) => i.size > 5 * 1024 * 1024).length;
      expect(big, `SCALE_SEED ${SEED} draws no item over 5 MiB: pick another`).toBeGreaterThan(0);
      const delivered = () => booths.reduce((n, b) => n + b.outbox.summary().delivered, 0);
      const total = BOOTHS.length * PER_BOOTH;
      for (const b of booths) b.worker.start();
      const t0 = Date.now();
      // Progress, in the failure message if a phase times out (and every 10 s with SCALE_VERBOSE=1).
      const progress = async () =>
        `${((Date.now() - t0) / 1000).toFixed(0)} s: ${delivered()}/${total} delivered; booths ${booths.map((b) => `${b.code} waiting ${b.outbox.summary().waiting} (${b.outbox.summary().lastError ?? 'no error'})`.slice(0, 120)).join(', ')}; chaos ${JSON.stringify(proxy!.stats.faults)}; haproxy ${await lb!.stats()}; load ${os.loadavg()[0]!.toFixed(1)}`;
      const verbose = process.env.SCALE_VERBOSE
        ? setInterval(() => void progress().then((p) => console.log(`scale: ${p}`)), 10_000)
        : undefined;
      const phase = async (check: () => boolean, what: string, ms: number) => {
        try {
          await eventually(check, what, ms);
        } catch (e) {
          throw new Error(`${(e as Error).message} — ${await progress()}`, { cause: e });
        }
      };

      // One intake dies mid-run (SIGKILL: no shutdown), with uploads and reminders in flight, at a
      // moment when a finalise holds its Idempotency-Key (about one run in two, that request is the
      // killed process's: its lease must not keep the booth waiting; it used to, for 5 minutes).
      // (On a 2-core machine at load 23 the first third took 150 s.)
      await phase(() => delivered() >= total / 3, 'a third delivered', 300_000);
      const inProgress = () =>
        db!
          .selectFrom('idempotency_keys')
          .select(db!.fn.countAll<number>().as('n'))
          .where('state', '=', 'in_progress')
          .executeTakeFirstOrThrow()
          .then((r) => Number(r.n));
      const killBy = Date.now() + 30_000;
      while ((await inProgress()) === 0 && delivered() < total && Date.now() < killBy) await new Promise((r) => setTimeout(r, 10));
      await first.kill();
      const heldAtKill = await inProgress();
      // Well inside what the old 5-minute lease blocked, well beyond a dead lease (30 s) and the chaos.
      await phase(() => booths.every((b) => b.outbox.summary().waiting === 0), 'every booth queue empty', 240_000);
      clearInterval(verbose);
      for (const b of booths) {
        await b.worker.stop();
        b.client.close();
        expect(b.outbox.summary().failed).toBe(0);
      }
      await eventually(() => posts.length >= REMINDERS, 'the reminders', 60_000);

      // The invariant, booth by booth, against the object store.
      const media = new S3MediaStore(
        createS3Client({
          endpoint: swift.endpoint,
          region: swift.region,
          bucket: BUCKET,
          accessKeyId: swift.accessKeyId,
          secretAccessKey: swift.secretAccessKey,
        }),
        BUCKET,
      );
      const all: BoothReceipt[] = booths.flatMap((b) => b.receipts);
      for (const b of booths) {
        const report = await checkInvariant(b.receipts, b.mediaDir, db, media);
        expect(report).toMatchObject({ lost: [], duplicated: [], mediaMismatch: [], numberLost: [] });
        // Cases of the other booths count as "without receipt" here; all of them are checked below.
        expect(report.withoutReceipt.length).toBe(report.cases - PER_BOOTH);
      }
      const cases = await db.selectFrom('cases').select('id').where('booth_code', 'in', BOOTHS).execute();
      expect(cases.length).toBe(all.length);
      expect(new Set(cases.map((c) => c.id))).toEqual(new Set(all.map((r) => r.submissionId)));
      // Each reminder once (one POST, one history row), although both processes ticked every 300 ms.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(posts.length).toBe(REMINDERS);
      expect(new Set(posts).size).toBe(REMINDERS);
      expect(await db.selectFrom('case_history').select('case_id').where('action', '=', 'reminder').execute()).toHaveLength(REMINDERS);
      // The survivor: ready (database and object store), metrics with the ingest it did.
      const survivor = procs[1]!;
      expect(await (await fetch(`${survivor.url}/api/v1/ready`)).json()).toEqual({ ok: true });
      expect(await (await fetch(`${lb.url}/api/v1/ready`)).json()).toEqual({ ok: true });
      // Each booth's heartbeat through the load balancer, then the survivor's metrics: its own
      // counters, and the shared store's gauges (the same on every process).
      for (const b of booths) {
        const link = new IntakeLink({ intakeUrl: lb.url, token: b.token, idleTimeoutMs: 30_000 });
        expect((await link.heartbeat(heartbeat(b.code))).status).toBe(200);
        link.close();
      }
      const bytes = (await db.selectFrom('case_items').select('size').execute()).reduce((n, r) => n + Number(r.size), 0);
      const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
      const metric = (name: string) => Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(metric('intake_cases_ingested_total')).toBeGreaterThan(0);
      expect(metric('intake_upload_bytes_total')).toBeGreaterThan(0);
      expect(metric('intake_cases')).toBe(all.length + REMINDERS);
      expect(metric('intake_case_media_bytes')).toBe(bytes);
      expect(metric('intake_reminder_lag_seconds')).toBe(0);
      expect(metric('intake_queue_depth{queue="playback"}')).toBeGreaterThanOrEqual(0);
      for (const code of BOOTHS) expect(metric(`intake_booth_heartbeat_age_seconds{booth="${code}"}`)).toBeGreaterThanOrEqual(0);
      expect(metrics).toMatch(/^intake_http_requests_total\{method="PATCH",route="\/api\/v1\/uploads\/\*",status="204"\} [1-9]\d*$/m);
      console.log(
        `scale: ${all.length} submissions (${big} items over 5 MiB) from ${BOOTHS.length} booths in ${((Date.now() - t0) / 1000).toFixed(0)} s; ${heldAtKill} Idempotency-Key(s) in progress at the SIGKILL; chaos ${JSON.stringify(proxy.stats.faults)}; ${bytes} bytes`,
      );
      for (const b of booths) b.bdb.close();
      // Readiness touches the database: with PostgreSQL gone the survivor is alive but not ready.
      await pgServer.stop();
      expect((await fetch(`${survivor.url}/api/v1/live`)).status).toBe(200);
      const notReady = await fetch(`${survivor.url}/api/v1/ready`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ ok: false, error: { code: 'not_ready', failed: ['database'] } });
    },
  );
});
