// Simulated booths against one intake process, for the intake's capacity sections (intakeIngest,
// intakeDay): the intake as `npm run intake` runs it (its own process, SQLite + media folder, the
// default single-server setup), booths as the uploader runs them (outbox + upload worker + tus over
// IntakeLink, one SQLite outbox and one connection pool each), and the intake process's CPU time and
// memory read from /proc. A booth's media are hard links to one recording made with ffmpeg: the
// bytes on the wire and on the intake's disk are the real ones, the booths' own disks are not part
// of what is measured (on a real district they are other machines).
import { randomBytes, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { issueCredential } from '../intake/boothCredentials.ts';
import type { PlaybackPolicy } from '../intake/media/playback.ts';
import { openSqliteStore } from '../intake/store/db.ts';
import { DeliveryStore } from '../intake/store/delivery.ts';
import type { IntakeDatabase } from '../intake/store/schema.ts';
import { sha256File } from '../lib/durableFile.ts';
import { openBoothDb } from '../uploader/db.ts';
import { IntakeLink } from '../uploader/intakeLink.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import { startIntakeProcess, type IntakeProcess } from '../testkit/intakeProcess.ts';

export interface BenchIntake {
  proc: IntakeProcess;
  /** The bench's own handle on the intake's SQLite store (credentials, staff users, counts). */
  db: Kysely<IntakeDatabase>;
  dataDir: string;
  /** Booth code → credential. */
  tokens: Map<string, string>;
  stop(): Promise<void>;
}

/** An intake process on SQLite + folder media in `dataDir`, with credentials issued to `boothCodes` first. */
export async function startBenchIntake(dataDir: string, playback: PlaybackPolicy, boothCodes: string[]): Promise<BenchIntake> {
  const db = await openSqliteStore(path.join(dataDir, 'intake.db'));
  const delivery = new DeliveryStore(db);
  const tokens = new Map<string, string>();
  for (const code of boothCodes) tokens.set(code, await issueCredential(delivery, code, Date.now()));
  const proc = await startIntakeProcess(
    { LOG_LEVEL: 'error', INTAKE_HOST: '127.0.0.1', INTAKE_DATA: dataDir, INTAKE_PLAYBACK: playback },
    120_000,
    // BENCH_INTAKE_CPU_PROF=DIR: the intake writes a V8 CPU profile there when it stops (what a figure spends its time on).
    process.env.BENCH_INTAKE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_INTAKE_CPU_PROF}`] : [],
  );
  return {
    proc,
    db,
    dataDir,
    tokens,
    async stop() {
      await proc.stop();
      await db.destroy();
    },
  };
}

/** A media file every booth sends (hard-linked into each booth's media folder). */
export interface SharedMedia {
  file: string;
  kind: 'video' | 'audio' | 'photo';
  mime: string;
  camera: 'face' | 'document' | null;
  durationSec: number | null;
  size: number;
  sha256: string;
}

export async function sharedMedia(file: string, kind: SharedMedia['kind'], mime: string, durationSec: number | null): Promise<SharedMedia> {
  const { size, sha256 } = await sha256File(file);
  return { file, kind, mime, camera: kind === 'photo' ? 'document' : kind === 'video' ? 'face' : null, durationSec, size, sha256 };
}

export interface SimBooth {
  code: string;
  outbox: Outbox;
  bdb: ReturnType<typeof openBoothDb>;
  link: IntakeLink;
  worker: UploadWorker;
  /** Saves a submission of these media, as 立即上传 does, and wakes the worker: its id and the bytes it holds. */
  submit(media: SharedMedia[]): { id: string; bytes: number };
  close(): Promise<void>;
}

export function simBooth(
  root: string,
  code: string,
  token: string,
  intakeUrl: string,
  o: { pollMs: number; concurrency?: number },
): SimBooth {
  const dir = path.join(root, code);
  const mediaDir = path.join(dir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  const bdb = openBoothDb(path.join(dir, 'booth.db'));
  const outbox = new Outbox(bdb, 'Asia/Shanghai');
  const link = new IntakeLink({ intakeUrl, token, idleTimeoutMs: 30_000 });
  const worker = new UploadWorker({
    outbox,
    client: link,
    mediaDir,
    sealingKey: randomBytes(32),
    random: Math.random,
    retry: { initialDelayMs: 50, factor: 2, capMs: 1000, jitter: 0.2, maxRetryAfterMs: 1000 },
    concurrency: o.concurrency ?? 2,
    pollMs: o.pollMs,
  });
  return {
    code,
    outbox,
    bdb,
    link,
    worker,
    submit(media) {
      const id = randomUUID();
      mkdirSync(path.join(mediaDir, id));
      const items = media.map((m, idx) => {
        const file = path.join(id, `${idx}${path.extname(m.file)}`);
        linkSync(m.file, path.join(mediaDir, file));
        return {
          idx,
          itemId: randomUUID(),
          kind: m.kind,
          mime: m.mime,
          camera: m.camera,
          file,
          size: m.size,
          sha256: m.sha256,
          durationSec: m.durationSec,
        };
      });
      const now = Date.now();
      outbox.commit(
        {
          id,
          boothCode: code,
          language: 'zh-CN',
          startedAt: new Date(now).toISOString(),
          details: { category: null, location: null },
          personalSealed: null,
          items,
        },
        now,
      );
      worker.wake();
      return { id, bytes: media.reduce((n, m) => n + m.size, 0) };
    },
    async close() {
      await worker.stop();
      link.close();
      bdb.close();
    },
  };
}

/** Submissions the booths' outboxes still hold, and attempts beyond the first (retries after an error). */
export function outboxTally(booths: SimBooth[]): { waiting: number; failed: number; delivered: number; retries: number } {
  let waiting = 0;
  let failed = 0;
  let delivered = 0;
  let retries = 0;
  for (const b of booths) {
    const s = b.outbox.summary();
    waiting += s.waiting;
    failed += s.failed;
    delivered += s.delivered;
    const row = b.bdb.prepare('SELECT COALESCE(SUM(MAX(attempts - 1, 0)), 0) AS n FROM submissions').get() as { n: number };
    retries += row.n;
  }
  return { waiting, failed, delivered, retries };
}

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function statFields(pid: number): string[] | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: fields after its closing parenthesis.
    return s.slice(s.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds of a process and of its children it has waited for (ffmpeg runs), from /proc. */
export function cpuSeconds(pid: number): number {
  const f = statFields(pid);
  if (!f) return NaN;
  // After the name: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17), i.e. index field − 3.
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / CLK_TCK;
}

/** Resident set size in bytes (VmRSS). */
export function rssBytes(pid: number): number {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

export interface ChildProc {
  pid: number;
  nice: number;
  cmdline: string[];
}

/** The running children of `pid` (the intake's ffmpeg and ffprobe runs), with their nice value and arguments. */
export function childrenOf(pid: number): ChildProc[] {
  const out: ChildProc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const f = statFields(Number(name));
    if (!f || Number(f[1]) !== pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean);
      out.push({ pid: Number(name), nice: Number(f[16]), cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
