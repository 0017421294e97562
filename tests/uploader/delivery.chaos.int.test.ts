// ≥200 submissions of mixed sizes through the chaos proxy (drop, stall, reset mid-body, slow, 503
// from the proxy, 500/503 from the intake itself, and the intake restarted mid-upload), then the
// delivery invariant. The media rest sealed as on a booth (lib/sealed.ts): every resume after a cut
// decrypts from the intake's offset, and the intake still gets the bytes the booth hashed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { UploadWorker } from '../../uploader/worker.ts';
import { randomFaults, seededRandom, startChaosProxy } from '../support/chaosProxy.ts';
import { checkInvariant, fillOutbox } from '../support/deliveryInvariant.ts';
import { eventually } from '../support/stack.ts';

const SUBMISSIONS = 200;
const SEED = Number(process.env.CHAOS_SEED ?? 20261125);
const root = mkdtempSync(path.join(os.tmpdir(), 'chaos-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The intake itself answers 5xx to a share of booth requests (on top of the proxy's synthetic 503s). */
const injected = { count: 0 };
function injectServerErrors(intake: Intake, random: () => number, share: number): void {
  intake.app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/v1/') && random() < share) {
      injected.count++;
      return reply.code(random() < 0.5 ? 500 : 503).send({ error: { code: 'internal', message: 'injected by the chaos test' } });
    }
  });
}

describe('delivery through a hostile network', () => {
  // Its own waits add up to 9 minutes (3 × 120 s + 180 s) on a loaded machine: the integration
  // default of 60 s would end it long before they do.
  it(`delivers ${SUBMISSIONS} submissions exactly once (seed ${SEED})`, { timeout: 600_000 }, async () => {
    const random = seededRandom(SEED);
    const intakeDir = path.join(root, 'intake');
    let intake: Intake = await createIntake({ dataDir: intakeDir });
    injectServerErrors(intake, random, 0.05);
    await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const intakePort = (intake.app.server.address() as { port: number }).port;
    const token = await issueCredential(intake.delivery, 'CH01', Date.now());

    const proxy = await startChaosProxy(
      intakePort,
      randomFaults(
        random,
        { pass: 55, drop: 8, reset: 14, stall: 4, slow: 5, http: 14 },
        { maxAfterBytes: 600_000, slowBytesPerSecond: 2_000_000, status: 503 },
      ),
    );

    const boothDir = path.join(root, 'booth');
    const mediaDir = path.join(boothDir, 'media');
    const db = openBoothDb(path.join(boothDir, 'booth.db'));
    const outbox = new Outbox(db, 'Asia/Shanghai');
    const sealingKey = randomBytes(32);
    const receipts = await fillOutbox(
      outbox,
      mediaDir,
      SUBMISSIONS,
      random,
      'CH01',
      Date.now(),
      { maxBytes: 400_000, bigBytes: 1_500_000 },
      sealingKey,
    );

    const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 400, inRequestDelaysMs: [0, 20, 50] });
    const worker = new UploadWorker({
      outbox,
      client,
      mediaDir,
      sealingKey,
      random,
      retry: { initialDelayMs: 20, factor: 2, capMs: 200, jitter: 0.2, maxRetryAfterMs: 200 },
      concurrency: 2,
      pollMs: 50,
    });
    worker.start();

    // Restart the intake three times while uploads are running.
    for (let restart = 0; restart < 3; restart++) {
      await eventually(() => outbox.summary().delivered >= ((restart + 1) * SUBMISSIONS) / 5, `${restart + 1}/5 delivered`, 120_000);
      await intake.close();
      proxy.cutAll();
      intake = await createIntake({ dataDir: intakeDir });
      injectServerErrors(intake, random, 0.05);
      await intake.app.listen({ host: '127.0.0.1', port: intakePort });
    }

    await eventually(() => outbox.summary().waiting === 0, 'an empty queue', 180_000);
    await worker.stop();
    client.close();
    await proxy.close();

    const report = await checkInvariant(receipts, mediaDir, intake.db, intake.mediaRoot, { boothKey: sealingKey });
    console.log(
      `chaos: ${JSON.stringify(proxy.stats)}; ${injected.count} 5xx from the intake; ${report.cases} cases for ${report.receipts} receipts`,
    );
    expect(report).toMatchObject({ lost: [], duplicated: [], withoutReceipt: [], mediaMismatch: [] });
    expect(report.cases).toBe(SUBMISSIONS);
    expect(outbox.summary().failed).toBe(0);
    // every kind of fault actually happened
    for (const kind of ['drop', 'reset', 'stall', 'slow', 'http'] as const) expect(proxy.stats.faults[kind]).toBeGreaterThan(0);
    // Uploads were cut mid-body and resumed on the sealed files.
    expect(proxy.stats.cuts).toBeGreaterThan(0);
    expect(injected.count).toBeGreaterThan(0);
    db.close();
    await intake.close();
  });
});
