// The intake as a district service (issue 16): cases ingested per second and media MB/s with one
// intake process and with two behind HAProxy (docs/DEPLOY.md's haproxy.cfg), on one PostgreSQL 15
// and one object store (OpenStack Swift s3api), as DEPLOY.md sets them up; and how many booths one
// process serves at that rate. Simulated booths (outbox + upload worker + tus client, no faults)
// each send a burst of submissions of one ~1 MB photo; a repeat's clock runs from the workers' start
// to the last receipt. The peer of the two-process figure is the one-process figure of the same run.
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
import { fillOutbox } from '../testkit/deliveryInvariant.ts';
import { startIntakeProcess, type IntakeProcess } from '../testkit/intakeProcess.ts';
import { startHaproxy } from '../testkit/loadBalancer.ts';
import { freePort, startPostgres } from '../testkit/postgres.ts';
import { eventually } from '../testkit/eventually.ts';
import { startSwift } from '../testkit/swift.ts';
import { median, sig, size, spread, withPeer, type Bench, type BenchFigure } from './figure.ts';

const BOOTHS = size(6, 2);
const SUBMISSIONS = size(6, 2);
const REPEATS = size(3, 1);
/** fillOutbox with a constant draw of 0.2: one item of 1024 + 0.2 × maxBytes bytes per submission. */
const ITEM_MAX = 4_995_000;
/** The assumption behind "booths served": a booth's busiest hour brings this many cases. */
const PEAK_CASES_PER_BOOTH_HOUR = 6;

export const bench: Bench = {
  title: 'The intake as a district service (PostgreSQL + object store, 1 and 2 processes)',
  budgetSeconds: 300,
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-scale-'));
    const [pg, swift] = await Promise.all([startPostgres(), startSwift()]);
    const procs: IntakeProcess[] = [];
    const perSecond = new Map<number, number[]>();
    const mbPerSecond = new Map<number, number[]>();
    try {
      for (const processes of [1, 2]) {
        const url = await pg.createDatabase(`scale${processes}`);
        const env = {
          LOG_LEVEL: 'error',
          INTAKE_HOST: '127.0.0.1',
          INTAKE_DATABASE_URL: url,
          INTAKE_STORAGE: 's3',
          INTAKE_S3_ENDPOINT: swift.endpoint,
          INTAKE_S3_BUCKET: `bench-scale-${processes}`,
          INTAKE_S3_REGION: swift.region,
          INTAKE_S3_ACCESS_KEY_ID: swift.accessKeyId,
          INTAKE_S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
          INTAKE_TRUSTED_PROXIES: '127.0.0.1',
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
        try {
          for (let rep = 0; rep < REPEATS; rep++) {
            const booths: { bdb: ReturnType<typeof openBoothDb>; outbox: Outbox; client: IntakeLink; worker: UploadWorker }[] = [];
            let bytes = 0;
            for (let b = 0; b < BOOTHS; b++) {
              const code = `B${processes}${rep}${String(b).padStart(2, '0')}`;
              const dir = path.join(root, `booths-${processes}-${rep}`, code);
              const bdb = openBoothDb(path.join(dir, 'booth.db'));
              const outbox = new Outbox(bdb, 'Asia/Shanghai');
              const receipts = await fillOutbox(outbox, path.join(dir, 'media'), SUBMISSIONS, () => 0.2, code, Date.now(), {
                maxBytes: ITEM_MAX,
                bigBytes: ITEM_MAX,
              });
              bytes += receipts.reduce((n, r) => n + r.items.reduce((m, i) => m + i.size, 0), 0);
              const client = new IntakeLink({
                intakeUrl: target,
                token: await issueCredential(delivery, code, Date.now()),
                idleTimeoutMs: 30_000,
              });
              const worker = new UploadWorker({
                outbox,
                client,
                mediaDir: path.join(dir, 'media'),
                sealingKey: randomBytes(32),
                random: Math.random,
                retry: { initialDelayMs: 50, factor: 2, capMs: 1000, jitter: 0.2, maxRetryAfterMs: 1000 },
                concurrency: 2,
                pollMs: 20,
              });
              booths.push({ bdb, outbox, client, worker });
            }
            const t0 = performance.now();
            for (const b of booths) b.worker.start();
            await eventually(() => booths.every((b) => b.outbox.summary().waiting === 0), 'every booth delivered', size(600_000, 300_000));
            const seconds = (performance.now() - t0) / 1000;
            for (const b of booths) {
              await b.worker.stop();
              b.client.close();
              b.bdb.close();
            }
            perSecond.set(processes, [...(perSecond.get(processes) ?? []), (BOOTHS * SUBMISSIONS) / seconds]);
            mbPerSecond.set(processes, [...(mbPerSecond.get(processes) ?? []), bytes / 1e6 / seconds]);
          }
          const cases = await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          if (Number(cases.n) !== BOOTHS * SUBMISSIONS * REPEATS)
            throw new Error(`${cases.n} cases for ${BOOTHS * SUBMISSIONS * REPEATS} receipts`);
        } finally {
          await db.destroy();
          await lb?.stop();
          await Promise.all(procs.splice(0).map((p) => p.stop()));
        }
      }
    } finally {
      await Promise.all(procs.map((p) => p.stop()));
      await swift.stop();
      await pg.stop();
      rmSync(root, { recursive: true, force: true });
    }
    const burst = `${BOOTHS} booths send ${BOOTHS * SUBMISSIONS} cases (one ~1 MB photo each)`;
    const notes = `${REPEATS} bursts; PostgreSQL 15 + Swift s3api + booths on the same 2 cores`;
    const one = spread(perSecond.get(1)!);
    const two = spread(perSecond.get(2)!);
    const figures: BenchFigure[] = [
      { name: `${burst} to one intake process: cases ingested per second`, value: sig(one.median), unit: 'cases/s', spread: one, notes },
      {
        name: 'the same, media ingested (verified, in the object store)',
        value: sig(median(mbPerSecond.get(1)!)),
        unit: 'MB/s',
        spread: spread(mbPerSecond.get(1)!),
      },
      withPeer(
        {
          name: `${burst} to two intake processes behind HAProxy: cases ingested per second`,
          value: sig(two.median),
          unit: 'cases/s',
          spread: two,
          notes,
        },
        { name: 'one intake process, same run', value: sig(one.median), unit: 'cases/s' },
      ),
      {
        name: 'the same, media ingested (verified, in the object store)',
        value: sig(median(mbPerSecond.get(2)!)),
        unit: 'MB/s',
        spread: spread(mbPerSecond.get(2)!),
      },
      {
        name: `booths one intake process serves at that rate (a booth's busiest hour: ${PEAK_CASES_PER_BOOTH_HOUR} cases)`,
        value: Math.floor((one.median * 3600) / PEAK_CASES_PER_BOOTH_HOUR),
        unit: 'booths',
        notes: 'derived: cases/s × 3600 ÷ peak cases per booth-hour; heartbeats (one a minute per booth) not included',
      },
    ];
    return figures;
  },
};
