// Saving a recording and a submission at the booth, beside the floors it cannot beat:
//  - 停止 → the core holds the recording (the core's share of 停止 → review), beside writing and
//    fsyncing the same bytes, and ffmpeg's own remux (stream copy) of them;
//  - 立即上传 → receipt: the submit call the kiosk makes (items already staged);
//  - outbox commits per second beside the disk's fdatasync rate and SQLite's own minimal commit.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openBoothDb } from '../uploader/db.ts';
import { Outbox } from '../uploader/outbox.ts';
import { repeat, sig, spread, timed, withPeer, type Bench, type BenchFigure } from './figure.ts';
import { json, recording720p, startBenchCore } from './rig.ts';

const REPEATS = 5;

/** Rate of `fn` run `n` times, as a median over `rounds` rounds (per second), with the spread of rounds. */
function rateOf(n: number, rounds: number, fn: (i: number) => void): { median: number; spread: ReturnType<typeof spread> } {
  const rates: number[] = [];
  let k = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(k++);
    rates.push(n / ((performance.now() - t0) / 1000));
  }
  const s = spread(rates);
  return { median: s.median, spread: s };
}

/** write(64 bytes) + fdatasync on one file in `dir`, as fast as the disk acknowledges. */
function fdatasyncRate(dir: string): ReturnType<typeof rateOf> {
  const file = path.join(dir, 'fdatasync.bin');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(64, 7);
  try {
    return rateOf(500, 3, (i) => {
      writeSync(fd, block, 0, block.length, (i % 64) * 64);
      fdatasyncSync(fd);
    });
  } finally {
    closeSync(fd);
  }
}

export const bench: Bench = {
  title: 'Saving a recording and a submission at the booth',
  budgetSeconds: 60,
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-submit-'));
    const figures: BenchFigure[] = [];
    try {
      const video = recording720p(60);
      const bytes = readFileSync(video);
      const mb = (bytes.length / 1e6).toFixed(1);

      // The floors: the same bytes written and fsynced; ffmpeg's own stream copy of them.
      const floorWrite = await repeat(REPEATS, (i) => {
        const f = path.join(dir, `floor-${i}.webm`);
        const fd = openSync(f, 'w');
        writeSync(fd, bytes);
        fdatasyncSync(fd);
        closeSync(fd);
        rmSync(f);
      });
      const remuxMs = await repeat(REPEATS, (i) => {
        execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', video, '-c', 'copy', path.join(dir, `remux-${i}.webm`)]);
      });

      const booth = await startBenchCore();
      const stageMs: number[] = [];
      const submitMs: number[] = [];
      try {
        for (let i = 0; i < REPEATS + 1; i++) {
          const s = await json<{ sessionId: string }>(await booth.call('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
          const t0 = performance.now();
          await json(await booth.call(`/api/sessions/${s.sessionId}/items?kind=video&mime=video/webm`, { method: 'PUT', headers: { 'content-type': 'video/webm' }, body: bytes }));
          const t1 = performance.now();
          await json(await booth.call(`/api/sessions/${s.sessionId}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
          const t2 = performance.now();
          if (i === 0) continue; // warm-up
          stageMs.push(t1 - t0);
          submitMs.push(t2 - t1);
        }
      } finally {
        await booth.close();
      }
      const floor = spread(floorWrite).median;
      figures.push(
        withPeer(
          timed(`停止 → the core holds the recording: PUT of a 60 s 1280×720 WebM (${mb} MB) until the core answers (its share of 停止 → review)`, stageMs, {
            goal: '≤ 300 ms (the whole of 停止 → review, resident bench)',
            met: spread(stageMs).median <= 300,
            notes: `the core's part only: the kiosk's stop and playback setup come on top (resident bench)`,
          }),
          { name: 'write + fdatasync of the same bytes', value: sig(floor), unit: 'ms' },
        ),
      );
      figures.push(timed(`ffmpeg's own stream-copy remux of the same recording (the remux the core runs)`, remuxMs, { notes: 'peer for the core\'s background remux, a process start included' }));
      figures.push(timed('立即上传 → receipt: the submit call alone (item staged; durable move + outbox commit)', submitMs, { notes: 'what the kiosk calls at 立即上传' }));

      // Commits per second: the outbox's real transaction, SQLite's minimal commit, the disk's fdatasync.
      const disk = fdatasyncRate(dir);
      const db = openBoothDb(path.join(dir, 'rate.db'));
      const outbox = new Outbox(db, 'Asia/Shanghai');
      const outboxRate = rateOf(1000, 3, (i) => {
        outbox.commit(
          {
            id: randomUUID(), boothCode: 'BENCH', language: 'zh-CN', startedAt: new Date().toISOString(), details: { category: null, location: null }, personalSealed: null,
            items: [{ idx: 0, itemId: randomUUID(), kind: 'video', mime: 'video/webm', camera: 'face', file: 'x/y.webm', size: 1, sha256: 'a'.repeat(64), durationSec: 1 }],
          },
          Date.UTC(2026, 0, 1) + i * 40_000, // spread over days: at most 9999 a day
        );
      });
      db.close();
      const minimal = new Database(path.join(dir, 'minimal.db'));
      minimal.pragma('journal_mode = WAL');
      minimal.pragma('synchronous = FULL');
      minimal.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
      const ins = minimal.prepare('INSERT INTO t (v) VALUES (?)');
      const minimalRate = rateOf(1000, 3, (i) => ins.run(String(i)));
      minimal.close();
      const dbSize = statSync(path.join(dir, 'rate.db')).size;
      figures.push(
        withPeer(
          { name: '立即上传 commits per second: the outbox transaction (case number + submission + item), WAL + synchronous=FULL, 3 rounds of 1,000', value: sig(outboxRate.median), unit: 'commits/s', spread: outboxRate.spread, goal: '≥ 0.5× the disk\'s fdatasync rate', notes: `SQLite's own minimal commit (one-row insert, same pragmas): ${sig(minimalRate.median)}/s = ${sig(outboxRate.median / minimalRate.median, 2)}× of it; database ${(dbSize / 1e6).toFixed(1)} MB` },
          { name: 'the disk\'s write(64 B) + fdatasync rate, same directory', value: sig(disk.median), unit: '/s' },
        ),
      );
      const last = figures[figures.length - 1]!;
      last.met = last.peer!.ratio >= 0.5;
      return figures;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
