// Delivery over a bad network (issue 6): how many bytes a cut connection costs, how much of a
// throttled link the booth uses, and 1,000 submissions through the chaos proxy with none lost and
// none duplicated.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCredential } from '../intake/boothCredentials.ts';
import { createIntake } from '../intake/server.ts';
import { IntakeLink } from '../uploader/intakeLink.ts';
import { openBoothDb } from '../uploader/db.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import { randomFaults, seededRandom, startChaosProxy } from '../tests/support/chaosProxy.ts';
import { checkInvariant, fillOutbox } from '../tests/support/deliveryInvariant.ts';
import { eventually } from '../tests/support/stack.ts';
import type { Bench, BenchFigure } from './figure.ts';

const MiB = 1024 * 1024;

export const bench: Bench = {
  title: 'Delivery over a village network',
  async run() {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-delivery-'));
    const figures: BenchFigure[] = [];
    const intake = await createIntake({ dataDir: path.join(root, 'intake') });
    try {
      await intake.app.listen({ host: '127.0.0.1', port: 0 });
      const port = (intake.app.server.address() as { port: number }).port;
      const token = await issueCredential(intake.delivery, 'BN01', Date.now());
      const random = seededRandom(42);

      // 1. Five forced cuts per file, mid-body at random offsets; bytes on the link ÷ media bytes.
      {
        const files = 4;
        const size = 16 * MiB;
        const proxy = await startChaosProxy(port);
        let linkBytes = 0;
        let written = 0;
        for (let f = 0; f < files; f++) {
          const bytes = randomBytes(size);
          const file = path.join(root, `cut-${f}.bin`);
          writeFileSync(file, bytes);
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          // Five PATCH bodies are cut at a random point (the creation POST and each retry's HEAD
          // pass: they would never reach the cut's byte count). Each cut lands 4–16 % of the file
          // into its PATCH, so all five happen before the last byte; counted when they trip.
          const cutsBefore = proxy.stats.cuts;
          proxy.setScript(() =>
            proxy.stats.cuts - cutsBefore < 5 ? { kind: 'reset', afterBytes: Math.floor((0.04 + 0.12 * random()) * size), flushUpstream: true, method: 'PATCH' } : { kind: 'pass' },
          );
          const before = proxy.stats.bytesFromClients;
          const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 5_000, inRequestDelaysMs: [0, 10, 10, 10, 10, 10, 10] });
          let url: string | null = null;
          let ok = false;
          for (let attempt = 0; attempt < 10 && !ok; attempt++) {
            const r = await client.uploadItem({ file, size, sha256, submissionId: randomUUID(), index: 0, uploadUrl: url }, (u) => void (url = u));
            ok = r.ok;
          }
          if (!ok) throw new Error('upload did not finish after the cuts');
          if (proxy.stats.cuts - cutsBefore !== 5) throw new Error(`${proxy.stats.cuts - cutsBefore} cuts happened instead of 5`);
          linkBytes += proxy.stats.bytesFromClients - before;
          written += client.transport.bytesSent;
          client.close();
        }
        await proxy.close();
        const ratio = linkBytes / (files * size);
        figures.push({
          name: `bytes on the link ÷ media bytes, ${files} files of ${size / MiB} MiB, 5 forced cuts mid-body each`,
          value: Number(ratio.toFixed(4)),
          unit: '×',
          goal: '≤ 1.05',
          met: ratio <= 1.05,
          notes: `bytes written by the booth (incl. what its socket still held at each cut): ${(written / (files * size)).toFixed(3)}×`,
        });
      }

      // 2. Throughput through a throttled link, as a fraction of the link's rate.
      {
        const rate = 2 * MiB;
        const size = 12 * MiB;
        const proxy = await startChaosProxy(port, () => ({ kind: 'slow', bytesPerSecond: rate }));
        const bytes = randomBytes(size);
        const file = path.join(root, 'slow.bin');
        writeFileSync(file, bytes);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 10_000 });
        const t0 = performance.now();
        const r = await client.uploadItem({ file, size, sha256, submissionId: randomUUID(), index: 0, uploadUrl: null }, () => {});
        const seconds = (performance.now() - t0) / 1000;
        client.close();
        await proxy.close();
        if (!r.ok) throw new Error('throttled upload failed');
        const fraction = size / seconds / rate;
        figures.push({ name: `throughput through a link throttled to ${rate / MiB} MiB/s (${size / MiB} MiB item)`, value: Number(fraction.toFixed(3)), unit: 'of the rate', goal: '≥ 0.9', met: fraction >= 0.9, notes: `${seconds.toFixed(1)} s` });
      }

      // 3. 1,000 submissions through the chaos proxy: none lost, none duplicated.
      {
        const n = 1000;
        const proxy = await startChaosProxy(
          port,
          randomFaults(random, { pass: 60, drop: 8, reset: 12, stall: 3, slow: 5, http: 12 }, { maxAfterBytes: 200_000, slowBytesPerSecond: 4 * MiB, status: 503 }),
        );
        const boothDir = path.join(root, 'booth');
        const db = openBoothDb(path.join(boothDir, 'booth.db'));
        const outbox = new Outbox(db, 'Asia/Shanghai');
        const mediaDir = path.join(boothDir, 'media');
        const receipts = await fillOutbox(outbox, mediaDir, n, random, 'BN01', Date.now(), { maxBytes: 150_000, bigBytes: 1 * MiB });
        const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 400, inRequestDelaysMs: [0, 20, 50] });
        const worker = new UploadWorker({ outbox, client, mediaDir, sealingKey: randomBytes(32), random, retry: { initialDelayMs: 20, factor: 2, capMs: 200, jitter: 0.2, maxRetryAfterMs: 200 }, concurrency: 2, pollMs: 50 });
        const t0 = performance.now();
        worker.start();
        await eventually(() => outbox.summary().waiting === 0, 'an empty queue', 900_000);
        const seconds = (performance.now() - t0) / 1000;
        await worker.stop();
        client.close();
        await proxy.close();
        const report = await checkInvariant(receipts, mediaDir, intake.db, intake.mediaRoot);
        db.close();
        const faults = Object.entries(proxy.stats.faults).map(([k, v]) => `${k} ${v}`).join(', ');
        figures.push({ name: `${n} submissions through the chaos proxy: lost`, value: report.lost.length + report.mediaMismatch.length, unit: '', goal: '0', met: report.lost.length + report.mediaMismatch.length === 0, notes: `${seconds.toFixed(0)} s; ${proxy.stats.connections} connections: ${faults}` });
        figures.push({ name: `${n} submissions through the chaos proxy: duplicated or without a receipt`, value: report.duplicated.length + report.withoutReceipt.length, unit: '', goal: '0', met: report.duplicated.length + report.withoutReceipt.length === 0, notes: `${report.cases} cases for ${report.receipts} receipts` });
      }
    } finally {
      await intake.close();
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
