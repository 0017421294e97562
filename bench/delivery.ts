// Delivery over a bad network (issue 6): how many bytes a cut connection costs, how much of a
// throttled link the booth uses, and 1,000 submissions through the chaos proxy with none lost and
// none duplicated.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { issueCredential } from '../intake/boothCredentials.ts';
import { UPLOADS_PATH } from '../contract/booth.ts';
import { createIntake } from '../intake/server.ts';
import { IntakeLink } from '../uploader/intakeLink.ts';
import { openBoothDb } from '../uploader/db.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import { randomFaults, seededRandom, startChaosProxy } from '../testkit/chaosProxy.ts';
import { checkInvariant, fillOutbox } from '../testkit/deliveryInvariant.ts';
import { eventually } from '../testkit/eventually.ts';
import { sig, spread, withPeer, type Bench, type BenchFigure } from './figure.ts';
import { startShapedLink } from '../testkit/linkShaper.ts';
import { startHttpSink, tusDefaults } from './peers.ts';

const MiB = 1024 * 1024;

export const bench: Bench = {
  title: 'Delivery over a village network',
  budgetSeconds: 240,
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
        const perFile: number[] = [];
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
            proxy.stats.cuts - cutsBefore < 5
              ? { kind: 'reset', afterBytes: Math.floor((0.04 + 0.12 * random()) * size), flushUpstream: true, method: 'PATCH' }
              : { kind: 'pass' },
          );
          const before = proxy.stats.bytesFromClients;
          const client = new IntakeLink({
            intakeUrl: proxy.url,
            token,
            idleTimeoutMs: 5_000,
            inRequestDelaysMs: [0, 10, 10, 10, 10, 10, 10],
          });
          let url: string | null = null;
          let ok = false;
          for (let attempt = 0; attempt < 10 && !ok; attempt++) {
            const r = await client.uploadItem(
              { file, size, sha256, submissionId: randomUUID(), index: 0, uploadUrl: url },
              (u) => void (url = u),
            );
            ok = r.ok;
          }
          if (!ok) throw new Error('upload did not finish after the cuts');
          if (proxy.stats.cuts - cutsBefore !== 5) throw new Error(`${proxy.stats.cuts - cutsBefore} cuts happened instead of 5`);
          linkBytes += proxy.stats.bytesFromClients - before;
          perFile.push((proxy.stats.bytesFromClients - before) / size);
          written += client.transport.bytesSent;
          client.close();
        }
        await proxy.close();
        const ratio = linkBytes / (files * size);
        // Per cut: what the link took from the booth past the cut point and dropped (bytes in flight
        // when it broke), and everything else sent twice (request heads; and whatever the intake
        // failed to keep of what reached it, which should be nothing: tests/intake/tusEndpoint).
        const cuts = proxy.stats.cutLog.length;
        const inFlight = proxy.stats.cutLog.reduce((n, c) => n + c.dropped, 0);
        const kib = (n: number) => (n / cuts / 1024).toFixed(1);
        figures.push({
          name: `a village link cut 5 times mid-upload: bytes sent ÷ media bytes (${files} files of ${size / MiB} MiB, 5 cuts each; total)`,
          value: Number(ratio.toFixed(4)),
          unit: '×',
          spread: spread(perFile),
          goal: '≤ 1.03',
          met: ratio <= 1.03,
          notes:
            `per cut: ${kib(inFlight)} KiB in flight on the link when it broke (read past the cut, never delivered), ` +
            `${kib(linkBytes - files * size - inFlight)} KiB more (request heads; the intake keeps every byte that reached it); ` +
            `bytes written by the booth: ${(written / (files * size)).toFixed(3)}× ` +
            `(${kib(written - linkBytes)} KiB per cut still in the kernel's socket buffers between booth and link when it broke)`,
        });
      }

      // 2. The same bytes over the same strict token-bucket link (bench/linkShaper.ts), three senders
      //    taking turns: the booth's client, tus-js-client with its defaults, a plain HTTP PUT.
      {
        const rate = 2 * MiB;
        const size = 8 * MiB;
        const bytes = randomBytes(size);
        const file = path.join(root, 'slow.bin');
        writeFileSync(file, bytes);
        const sha256 = createHash('sha256').update(bytes).digest('hex');
        const sink = await startHttpSink();
        const rates: Record<'booth' | 'tus' | 'plain', number[]> = { booth: [], tus: [], plain: [] };
        const rounds = 3;
        for (let r = 0; r < rounds; r++) {
          for (const who of ['booth', 'tus', 'plain'] as const) {
            const link = await startShapedLink(who === 'plain' ? sink.port : port, rate);
            const t0 = performance.now();
            if (who === 'booth') {
              const client = new IntakeLink({ intakeUrl: link.url, token, idleTimeoutMs: 10_000 });
              const res = await client.uploadItem({ file, size, sha256, submissionId: randomUUID(), index: 0, uploadUrl: null }, () => {});
              client.close();
              if (!res.ok) throw new Error('booth upload over the shaped link failed');
            } else if (who === 'tus') {
              await tusDefaults(`${link.url}${UPLOADS_PATH}`, token, bytes, sha256);
            } else {
              const res = await fetch(`${link.url}/put`, { method: 'PUT', body: bytes });
              if (res.status !== 204) throw new Error(`plain PUT: ${res.status}`);
            }
            rates[who].push(size / ((performance.now() - t0) / 1000) / rate);
            await link.close();
          }
        }
        await sink.close();
        const s = (k: keyof typeof rates) => spread(rates[k]);
        const booth = withPeer(
          {
            name: `booth upload of an ${size / MiB} MiB item over a strict ${rate / MiB} MiB/s token-bucket link, as a fraction of the link (tus create + one PATCH)`,
            value: sig(s('booth').median),
            unit: 'of the link',
            spread: s('booth'),
            goal: "≥ 0.97× tus-js-client's on the same link",
          },
          {
            name: 'tus-js-client 4 with its defaults (Node HTTP stack, one PATCH), same bytes, same link',
            value: sig(s('tus').median),
            unit: 'of the link',
          },
        );
        booth.met = booth.peer!.ratio >= 0.97;
        figures.push(booth);
        figures.push(
          withPeer(
            {
              name: 'a plain HTTP PUT of the same bytes over the same link, as a fraction of it',
              value: sig(s('plain').median),
              unit: 'of the link',
              spread: s('plain'),
              notes: 'what the link allows one HTTP request; no goal',
            },
            { name: 'the link', value: 1, unit: '' },
          ),
        );
      }

      // 3. 1,000 submissions through the chaos proxy: none lost, none duplicated.
      {
        const n = 1000;
        const proxy = await startChaosProxy(
          port,
          randomFaults(
            random,
            { pass: 60, drop: 8, reset: 12, stall: 3, slow: 5, http: 12 },
            { maxAfterBytes: 200_000, slowBytesPerSecond: 4 * MiB, status: 503 },
          ),
        );
        const boothDir = path.join(root, 'booth');
        const db = openBoothDb(path.join(boothDir, 'booth.db'));
        const outbox = new Outbox(db, 'Asia/Shanghai');
        const mediaDir = path.join(boothDir, 'media');
        const receipts = await fillOutbox(outbox, mediaDir, n, random, 'BN01', Date.now(), { maxBytes: 150_000, bigBytes: 1 * MiB });
        const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 400, inRequestDelaysMs: [0, 20, 50] });
        const worker = new UploadWorker({
          outbox,
          client,
          mediaDir,
          sealingKey: randomBytes(32),
          random,
          retry: { initialDelayMs: 20, factor: 2, capMs: 200, jitter: 0.2, maxRetryAfterMs: 200 },
          concurrency: 2,
          pollMs: 50,
        });
        const t0 = performance.now();
        worker.start();
        await eventually(() => outbox.summary().waiting === 0, 'an empty queue', 900_000);
        const seconds = (performance.now() - t0) / 1000;
        await worker.stop();
        client.close();
        await proxy.close();
        const report = await checkInvariant(receipts, mediaDir, intake.db, intake.mediaRoot);
        db.close();
        const faults = Object.entries(proxy.stats.faults)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        figures.push({
          name: `${n} submissions through the chaos proxy: lost`,
          value: report.lost.length + report.mediaMismatch.length,
          unit: '',
          goal: '0',
          met: report.lost.length + report.mediaMismatch.length === 0,
          notes: `${seconds.toFixed(0)} s; ${proxy.stats.connections} connections: ${faults}`,
        });
        figures.push({
          name: `${n} submissions through the chaos proxy: duplicated or without a receipt`,
          value: report.duplicated.length + report.withoutReceipt.length,
          unit: '',
          goal: '0',
          met: report.duplicated.length + report.withoutReceipt.length === 0,
          notes: `${report.cases} cases for ${report.receipts} receipts`,
        });
      }
    } finally {
      await intake.close();
      rmSync(root, { recursive: true, force: true });
    }
    return figures;
  },
};
