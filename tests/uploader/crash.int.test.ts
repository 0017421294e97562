// Crash test: the booth core runs as a child process and is killed with SIGKILL at random moments
// (while saving, right after a commit, mid-upload, between the upload and recording delivery),
// then restarted; ≥30 cycles; then the delivery invariant over every receipt the booth issued.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { seededRandom } from '../support/chaosProxy.ts';
import { checkInvariant, type BoothReceipt } from '../support/deliveryInvariant.ts';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';

const CYCLES = Number(process.env.CRASH_CYCLES ?? 30);
const SEED = Number(process.env.CRASH_SEED ?? 7);
const root = mkdtempSync(path.join(os.tmpdir(), 'crash-'));
afterAll(() => (process.env.CRASH_KEEP ? console.log(`kept ${root}`) : rmSync(root, { recursive: true, force: true })));

const CHILD = path.resolve('tests/support/crashBooth.ts');

function runChild(args: string[], env: NodeJS.ProcessEnv, onLine: (line: string) => void): { child: ChildProcess; exited: Promise<void> } {
  // node --import tsx, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL of
  // the CLI would not reach, and two booth cores would then share one data directory.
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
    }
  });
  child.stderr!.on('data', (c: Buffer) => process.env.CRASH_DEBUG && process.stderr.write(c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, exited };
}

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
        for (const r of rows.filter((x) => x.state !== 'delivered')) {
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
    const receipts: BoothReceipt[] = rows.map((r) => ({
      submissionId: r.id,
      caseNumber: r.caseNumber,
      items: outbox.items(r.id).map((i) => ({ idx: i.idx, size: i.size, sha256: i.sha256, file: i.file })),
    }));
    if (!empty) {
      const stuck = rows.filter((r) => r.state !== 'delivered').map((r) => `${r.caseNumber} ${r.state} ${r.lastError ?? ''}`);
      throw new Error(`queue did not drain:\n${stuck.join('\n')}`);
    }
    for (const id of seen) expect(rows.some((r) => r.id === id)).toBe(true);
    const report = await checkInvariant(receipts, path.join(boothDir, 'media'), intake.db, intake.mediaRoot);
    console.log(
      `crash: ${CYCLES} kills (named points: ${JSON.stringify(selfKills)}; ${killsAfterReceipt} after a receipt; ${landed.midUpload} with a row uploading, ${landed.afterIngestBeforeDelivered} between the case being created and the booth recording delivery, ${landed.beforeFirstSave} before any save), ${seen.size} receipts seen, ${rows.length} in the outbox, ${report.cases} cases`,
    );
    expect(report).toMatchObject({ lost: [], duplicated: [], withoutReceipt: [], mediaMismatch: [] });
    expect(rows.every((r) => r.state === 'delivered')).toBe(true);
    expect(seen.size).toBeGreaterThanOrEqual(10);
    if (CYCLES >= 8) for (const p of POINTS) expect(selfKills[p], `kills at ${p}`).toBeGreaterThan(0);
    db.close();
    await intake.close();
  });
});
