// The intake as a district service (issue 16): cases ingested per second and media MB/s with one
// intake process and with two behind HAProxy, on one PostgreSQL 15 and one object store (OpenStack
// Swift s3api), as docs/DEPLOY.md sets them up; and how many booths one process serves at that rate.
// Simulated booths (outbox + upload worker + tus client, no network faults) each send SUBMISSIONS
// submissions of one ~1 MB item; the clock runs from the workers' start to the last receipt.
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCredential } from '../intake/boothCredentials.ts';
import { openPostgresStore } from '../intake/store/db.ts';
import { DeliveryStore } from '../intake/store/delivery.ts';
import { openBoothDb } from '../uploader/db.ts';
import { IntakeLink } from '../uploader/intakeLink.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import { seededRandom } from '../tests/support/chaosProxy.ts';
import { fillOutbox } from '../tests/support/deliveryInvariant.ts';
import { startIntakeProcess, type IntakeProcess } from '../tests/support/intakeProcess.ts';
import { startHaproxy } from '../tests/support/loadBalancer.ts';
import { startPostgres } from '../tests/support/postgres.ts';
import { eventually } from '../tests/support/stack.ts';
import { freePort, startSwift } from '../tests/support/swift.ts';
import { sig, type Bench, type BenchFigure } from './figure.ts';

const BOOTHS = 6;
const SUBMISSIONS = 20;
const ITEM_BYTES = 1_000_000;
/** The assumption behind "booths served": a booth's busiest hour brings this many cases. */
const PEAK_CASES_PER_BOOTH_HOUR = 6;

export const bench: Bench = {
  title: 'The intake as a district service (PostgreSQL + object store, 1 and 2 processes)',
  budgetSeconds: 300,
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
    const [pg, swift] = await Promise.all([startPostgres(), startSwift()]);
    const procs: IntakeProcess[] = [];
    const figures: BenchFigure[] = [];
    try {
      for (const processes of [1, 2]) {
        const url = await pg.createDatabase(`scale${processes}`);
        const env = {
          INTAKE_DATABASE_URL: url, INTAKE_STORAGE: 's3', INTAKE_S3_ENDPOINT: swift.endpoint, INTAKE_S3_BUCKET: `bench-scale-${processes}`,
          INTAKE_S3_REGION: swift.region, INTAKE_S3_ACCESS_KEY_ID: swift.accessKeyId, INTAKE_S3_SECRET_ACCESS_KEY: swift.secretAccessKey, INTAKE_TRUSTED_PROXIES: '127.0.0.1',
          // Renditions would compete with ingest for the two cores: the figure is ingest alone.
          INTAKE_PLAYBACK: 'copy-when-playable',
        };
        const ports: number[] = [];
        for (let i = 0; i < processes; i++) {
          const data = path.join(root, `p${processes}-${i}`);
          if (i > 0) {
            mkdirSync(data, { recursive: true });
            cpSync(path.join(root, `p${processes}-0`, 'keys'), path.join(data, 'keys'), { recursive: true });
          }
          const port = await freePort();
          procs.push(await startIntakeProcess({ ...env, INTAKE_PORT: String(port), INTAKE_DATA: data }, 120_000));
          ports.push(port);
        }
        const lb = processes > 1 ? await startHaproxy(ports) : null;
        const target = lb ? lb.url : `http://127.0.0.1:${ports[0]}`;
        const db = await openPostgresStore(url);
        const delivery = new DeliveryStore(db);
        const random = seededRandom(7);
        const booths: { bdb: ReturnType<typeof openBoothDb>; outbox: Outbox; client: IntakeLink; worker: UploadWorker }[] = [];
        for (let b = 0; b < BOOTHS; b++) {
          const code = `BS${String(b).padStart(2, '0')}`;
          const dir = path.join(root, `booths-${processes}`, code);
          const bdb = openBoothDb(path.join(dir, 'booth.db'));
          const outbox = new Outbox(bdb, 'Asia/Shanghai');
          await fillOutbox(outbox, path.join(dir, 'media'), SUBMISSIONS, () => 0.5 * random(), code, Date.now(), { maxBytes: ITEM_BYTES, bigBytes: ITEM_BYTES });
          const client = new IntakeLink({ intakeUrl: target, token: await issueCredential(delivery, code, Date.now()), idleTimeoutMs: 30_000 });
          const worker = new UploadWorker({ outbox, client, mediaDir: path.join(dir, 'media'), sealingKey: randomBytes(32), random, retry: { initialDelayMs: 50, factor: 2, capMs: 1000, jitter: 0.2, maxRetryAfterMs: 1000 }, concurrency: 2, pollMs: 20 });
          booths.push({ bdb, outbox, client, worker });
        }
        const t0 = performance.now();
        for (const b of booths) b.worker.start();
        await eventually(() => booths.every((b) => b.outbox.summary().waiting === 0), 'every booth delivered', 600_000);
        const seconds = (performance.now() - t0) / 1000;
        for (const b of booths) {
          await b.worker.stop();
          b.client.close();
          b.bdb.close();
        }
        const cases = await db.selectFrom('cases').select('id').execute();
        const bytes = (await db.selectFrom('case_items').select('size').execute()).reduce((n, r) => n + Number(r.size), 0);
        await db.destroy();
        const perSecond = cases.length / seconds;
        const label = processes === 1 ? 'one intake process' : 'two intake processes behind HAProxy';
        figures.push({ name: `${BOOTHS} booths send ${BOOTHS * SUBMISSIONS} cases (1 item of ≤ 1 MB each) to ${label}: cases ingested per second`, value: sig(perSecond), unit: 'cases/s', notes: `single run, ${sig(seconds)} s; PostgreSQL 15 + Swift s3api on the same 2 cores` });
        figures.push({ name: `the same run: media ingested (verified, in the object store)`, value: sig(bytes / 1e6 / seconds), unit: 'MB/s', notes: 'single run' });
        if (processes === 1) {
          figures.push({
            name: `booths one intake process serves at that rate (a booth's busiest hour: ${PEAK_CASES_PER_BOOTH_HOUR} cases)`,
            value: Math.floor((perSecond * 3600) / PEAK_CASES_PER_BOOTH_HOUR),
            unit: 'booths',
            notes: 'derived: cases/s × 3600 ÷ peak cases per booth-hour; heartbeats (one a minute per booth) not included',
          });
        }
        await lb?.stop();
        await Promise.all(procs.splice(0).map((p) => p.stop()));
      }
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await swift.stop();
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
