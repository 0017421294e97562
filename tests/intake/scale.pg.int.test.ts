// The district setup of docs/DEPLOY.md, as written (issue 16 "done when"): two `npm run intake`
// processes configured from an env file in the shape of packaging/intake/intake.env.example
// (INTAKE_DATABASE_URL to one PostgreSQL, INTAKE_STORAGE=s3 to one object store, trusted proxy and
// public URL, one INTAKE_PORT each, the same keys/), behind a real HAProxy with DEPLOY.md's
// configuration, on a real OpenStack Swift s3api. In front: the chaos proxy and three simulated
// booths (outbox + upload worker + tus client) with mixed sizes, some items over the 5 MiB part size.
// One intake process is SIGKILLed mid-run. Then: every receipt ⇒ exactly one case with
// byte-identical media in the object store; each due 4th-day reminder POSTed once; the survivor
// serves metrics and is ready.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
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
import { randomFaults, seededRandom, startChaosProxy, type ChaosProxy } from '../support/chaosProxy.ts';
import { checkInvariant, fillOutbox, type BoothReceipt } from '../support/deliveryInvariant.ts';
import { startIntakeProcess, type IntakeProcess } from '../support/intakeProcess.ts';
import { startHaproxy, type LoadBalancer } from '../support/loadBalancer.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';
import { seedCase, seedUnit } from '../support/staff.ts';
import { eventually } from '../support/stack.ts';
import { freePort, startSwift, type Swift } from '../support/swift.ts';

const BOOTHS = ['SC01', 'SC02', 'SC03'];
const PER_BOOTH = 14;
const REMINDERS = 8;
const SEED = Number(process.env.SCALE_SEED ?? 20261207);
const BUCKET = 'shuoba-district';
const root = mkdtempSync(path.join(os.tmpdir(), 'intake-scale-'));

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
  return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

let pgServer: Postgres | undefined;
let swift: Swift | undefined;
let lb: LoadBalancer | undefined;
let proxy: ChaosProxy | undefined;
let hook: Server | undefined;
let db: Kysely<IntakeDatabase> | undefined;
const procs: IntakeProcess[] = [];

afterAll(async () => {
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
  it('keeps every receipt ⇒ one case with byte-identical media, and each reminder once, with one process SIGKILLed mid-run', { timeout: 600_000 }, async () => {
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
      await db.updateTable('cases').set({ reminder_at: past, due_at: new Date(Date.now() + 86_400_000).toISOString() }).where('id', '=', c.id).execute();
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
    proxy = await startChaosProxy(lb.port, randomFaults(random, { pass: 70, drop: 5, reset: 12, stall: 2, slow: 4, http: 7 }, { maxAfterBytes: 2_000_000, slowBytesPerSecond: 4_000_000, status: 503 }));
    const delivery = new DeliveryStore(db);
    const booths = await Promise.all(
      BOOTHS.map(async (code, n) => {
        const dir = path.join(root, code);
        const mediaDir = path.join(dir, 'media');
        const bdb = openBoothDb(path.join(dir, 'booth.db'));
        const outbox = new Outbox(bdb, 'Asia/Shanghai');
        const receipts: BoothReceipt[] = await fillOutbox(outbox, mediaDir, PER_BOOTH, random, code, Date.now() + n, { maxBytes: 400_000, bigBytes: 6_000_000 });
        const token = await issueCredential(delivery, code, Date.now());
        const client = new IntakeLink({ intakeUrl: proxy!.url, token, idleTimeoutMs: 3_000, inRequestDelaysMs: [0, 20, 50] });
        const worker = new UploadWorker({ outbox, client, mediaDir, sealingKey: randomBytes(32), random, retry: { initialDelayMs: 20, factor: 2, capMs: 300, jitter: 0.2, maxRetryAfterMs: 300 }, concurrency: 2, pollMs: 50 });
        return { code, bdb, outbox, receipts, client, worker, mediaDir };
      }),
    );
    for (const b of booths) b.worker.start();
    const delivered = () => booths.reduce((n, b) => n + b.outbox.summary().delivered, 0);
    const total = BOOTHS.length * PER_BOOTH;

    // One intake dies mid-run (SIGKILL: no shutdown), with uploads and reminders in flight.
    await eventually(() => delivered() >= total / 3, 'a third delivered', 180_000);
    await first.kill();
    await eventually(() => booths.every((b) => b.outbox.summary().waiting === 0), 'every booth queue empty', 300_000);
    for (const b of booths) {
      await b.worker.stop();
      b.client.close();
      expect(b.outbox.summary().failed).toBe(0);
    }
    await eventually(() => posts.length >= REMINDERS, 'the reminders', 60_000);

    // The invariant, booth by booth, against the object store.
    const media = new S3MediaStore(createS3Client({ endpoint: swift.endpoint, region: swift.region, bucket: BUCKET, accessKeyId: swift.accessKeyId, secretAccessKey: swift.secretAccessKey }), BUCKET);
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
    const metrics = await (await fetch(`${survivor.url}/metrics`)).text();
    expect(metrics).toMatch(/^intake_cases_ingested_total [1-9]\d*$/m);
    console.log(`scale: ${all.length} submissions from ${BOOTHS.length} booths; chaos ${JSON.stringify(proxy.stats.faults)}; ${(await db.selectFrom('case_items').select('size').execute()).reduce((n, r) => n + Number(r.size), 0)} bytes`);
    for (const b of booths) b.bdb.close();
  });
});
