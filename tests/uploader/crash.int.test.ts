// Crash test: the booth core runs as a child process and is killed with SIGKILL at random moments
// (while saving, right after a commit, mid-upload, between the upload and recording delivery),
// then restarted; ≥30 cycles; then the delivery invariant over every receipt the booth issued.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { seededRandom } from '../support/chaosProxy.ts';
import { runCrashBooth as runChild } from '../support/crashChild.ts';
import { checkInvariant, outboxReceipt, type BoothReceipt } from '../support/deliveryInvariant.ts';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 30);
const SEED = Number(process.env.CRASH_SEED ?? 7);
const root = mkdtempSync(path.join(os.tmpdir(), 'crash-'));
afterAll(() => (process.env.CRASH_KEEP ? console.log(`kept ${root}`) : rmSync(root, { recursive: true, force: true })));

describe('crash test', () => {
  it(`survives ${CYCLES} SIGKILLs at random points (seed ${SEED})`, { timeout: 900_000 }, async () => {
    const random = seededRandom(SEED);
    const intake = await createIntake({ dataDir: path.join(root, 'intake') });
    const intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const token = await issueCredential(intake.delivery, 'CR01', Date.now());
    const boothDir = path.join(root, 'booth');
    const media = JSON.stringify([
      { file: sampleJpeg(), kind: 'photo', mime: 'image/jpeg' },
      { file: sampleWebm(2), kind: 'video', mime: 'video/webm' },
    ]);
    const seen = new Set<string>();
    let killsAfterReceipt = 0;
    const landed = { beforeFirstSave: 0, midUpload: 0, afterIngestBeforeDelivered: 0 };

    // Every cycle kills somewhere: one in two at a named point (the child kills itself there), the
    // others at a random moment chosen here.
    // Where did this kill land? Read the booth database as the next start will find it.
    const inspect = async () => {
      if (existsSync(path.join(boothDir, 'booth.db'))) {
        const db = openBoothDb(path.join(boothDir, 'booth.db'));
        const rows = new Outbox(db, 'Asia/Shanghai').list(100_000);
        db.close();
        if (rows.some((r) => r.state === 'uploading')) landed.midUpload++;
        for (const r of rows.filter((x) => !x.deliveredAt)) {
          if (await intake.store.caseById(r.id)) {
            landed.afterIngestBeforeDelivered++;
            break;
          }
        }
      } else landed.beforeFirstSave++;
    };
    const POINTS = ['save', 'commit', 'upload', 'ingest'] as const;
    const selfKills: Record<string, number> = { save: 0, commit: 0, upload: 0, ingest: 0 };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      let receipts = 0;
      let ready = false;
      const named = cycle % 2 === 0 ? POINTS[(cycle / 2) % POINTS.length]! : '';
      const { child, exited } = runChild([boothDir, intakeUrl, token, 'drive', '4'], { CRASH_MEDIA: media, CRASH_POINT: named }, (line) => {
        if (line === 'READY') ready = true;
        if (line.startsWith('KILL ')) selfKills[line.slice(5)]!++;
        if (line.startsWith('RECEIPT ')) {
          seen.add(line.split(' ')[1]!);
          receipts++;
        }
      });
      if (named) {
        // The child dies at its point; a point it never reaches ends with a kill from here. Generous:
        // on a loaded 2-core machine starting the child alone can take several seconds, and a
        // cycle cut short before its point proves nothing about that point.
        await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
        if (receipts > 0) killsAfterReceipt++;
        child.kill('SIGKILL');
        await exited;
        await inspect();
        continue;
      }
      // Once the core is up, kill it within 0–1.2 s: saving takes tens of ms per submission and
      // delivery runs alongside, so this lands while saving, right after commits, mid-upload and
      // between the upload and recording "delivered". A few cycles kill it during start-up.
      const startupKill = random() < 0.1;
      while (!ready && !startupKill && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      const wait = startupKill ? Math.floor(random() * 800) : Math.floor(random() * 1_200);
      await Promise.race([exited, new Promise((r) => setTimeout(r, wait))]);
      if (receipts > 0) killsAfterReceipt++;
      child.kill('SIGKILL');
      await exited;
      await inspect();
    }

    // Drain: no more kills; the booth delivers everything it holds.
    let empty = false;
    const drained = runChild([boothDir, intakeUrl, token, 'drain'], {}, (line) => (empty ||= line === 'EMPTY'));
    const until = Date.now() + 120_000;
    while (!empty && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    drained.child.kill('SIGKILL');
    await drained.exited;

    // The booth's receipt log is its outbox; every receipt a resident saw must be in it.
    const db = openBoothDb(path.join(boothDir, 'booth.db'));
    const outbox = new Outbox(db, 'Asia/Shanghai');
    const rows = outbox.list(100_000);
    const receipts: BoothReceipt[] = rows.map((r) => outboxReceipt(outbox, r.id));
    if (!empty) {
      const stuck = rows.filter((r) => !r.deliveredAt).map((r) => `${r.caseNumber} ${r.state} ${r.lastError ?? ''}`);
      throw new Error(`queue did not drain:\n${stuck.join('\n')}`);
    }
    for (const id of seen) expect(rows.some((r) => r.id === id)).toBe(true);
    // Delivered rows are purged with their media (retention 0 days): the invariant checks the
    // intake's bytes against the sha256 the booth recorded, and any copy still there byte for byte.
    const report = await checkInvariant(receipts, path.join(boothDir, 'media'), intake.db, intake.mediaRoot, { outbox });
    console.log(
      `crash: ${CYCLES} kills (named points: ${JSON.stringify(selfKills)}; ${killsAfterReceipt} after a receipt; ${landed.midUpload} with a row uploading, ${landed.afterIngestBeforeDelivered} between the case being created and the booth recording delivery, ${landed.beforeFirstSave} before any save), ${seen.size} receipts seen, ${rows.length} in the outbox, ${report.cases} cases`,
    );
    expect(report).toMatchObject({ lost: [], duplicated: [], withoutReceipt: [], mediaMismatch: [] });
    expect(rows.every((r) => r.deliveredAt !== null && (r.state === 'delivered' || r.state === 'purged'))).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(10);
    if (CYCLES >= 8) for (const p of POINTS) expect(selfKills[p], `kills at ${p}`).toBeGreaterThan(0);
    db.close();
    await intake.close();
  });
});
