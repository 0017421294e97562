// Staff playback without a transcode wherever the browsers play the original (issue 17), with real
// ffmpeg: WebM VP8/Opus gets a stream copy, MP4 H.264/AAC a stream copy with its index in front, a
// codec the browsers do not play (MPEG-4 Part 2 in Matroska) the H.264/AAC transcode; two intake
// processes on one store (two queues with their own lease owners) render each item once. The
// booth's receipt never waits for the playback worker: with the worker held for real (its ffprobe
// blocked reading a FIFO that stands in for a recording), a booth's case is filed and answered while
// its item is still pending, and every ffmpeg/ffprobe run of the worker is niced.
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../drivers/media/index.ts';
import { PlaybackQueue } from '../../intake/media/playback.ts';
import { FolderMediaStore } from '../../intake/media/mediaStore.ts';
import { CaseStore } from '../../intake/store/cases.ts';
import { openSqliteStore } from '../../intake/store/db.ts';
import { WorkLeases } from '../../intake/store/leases.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { submissionManifest } from '../../testkit/manifest.ts';
import { eventually } from '../../testkit/eventually.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { sampleWebm } from '../support/fakeMedia.ts';
import { seedCase } from '../support/staff.ts';

let dir: string;
let db: Kysely<IntakeDatabase>;
const media = () => path.join(dir, 'media');

function make(name: string, args: string[]): string {
  const out = path.join(dir, name);
  execFileSync('ffmpeg', [
    '-v',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=15',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '2',
    ...args,
    out,
  ]);
  return out;
}

async function pendingCase(file: string, mime: string): Promise<string> {
  const { id } = await seedCase(db, { receivedAt: new Date().toISOString(), media: { file, kind: 'video', mime, mediaRoot: media() } });
  await db.updateTable('case_items').set({ playback_state: 'pending', playback_file: null }).where('case_id', '=', id).execute();
  return id;
}

const itemOf = (id: string) => db.selectFrom('case_items').selectAll().where('case_id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'playback-'));
  db = await openSqliteStore(path.join(dir, 'intake.db'));
});
afterAll(async () => {
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('staff playback renditions', () => {
  it('copies what browsers play, transcodes the rest; two processes render each item once', async () => {
    const webm = await pendingCase(sampleWebm(2), 'video/webm');
    const mp4 = await pendingCase(
      make('h264.mp4', ['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac']),
      'video/mp4',
    );
    const odd = await pendingCase(make('mpeg4.mkv', ['-c:v', 'mpeg4', '-c:a', 'mp3']), 'video/x-matroska');
    const store = new CaseStore(db);
    const rendered: string[] = [];
    const setPlayback = store.setPlayback.bind(store);
    store.setPlayback = (caseId, idx, ...rest) => {
      rendered.push(`${caseId}/${idx}`);
      return setPlayback(caseId, idx, ...rest);
    };
    const a = new PlaybackQueue(store, new FolderMediaStore(media()), { leases: new WorkLeases(db, 'process-a') });
    const b = new PlaybackQueue(store, new FolderMediaStore(media()), { leases: new WorkLeases(db, 'process-b') });
    await Promise.all([a.resume(), b.resume()]);
    await Promise.all([a.idle(), b.idle()]);

    const w = await itemOf(webm);
    expect(w.playback_state).toBe('ready');
    expect(w.playback_file).toMatch(/\.playback\.webm$/);
    const wp = await probe(path.join(media(), w.playback_file!));
    expect([wp.video?.codec, wp.audio?.codec]).toEqual(['vp8', 'opus']); // a copy: the booth's own streams
    expect(w.poster_file).toMatch(/\.poster\.jpg$/);

    const m = await itemOf(mp4);
    expect(m.playback_file).toMatch(/\.playback\.mp4$/);
    const bytes = readFileSync(path.join(media(), m.playback_file!));
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat')); // faststart: playable before fully loaded
    expect((await probe(path.join(media(), m.playback_file!))).video?.codec).toBe('h264');

    const o = await itemOf(odd);
    expect(o.playback_state).toBe('ready');
    expect(o.playback_file).toMatch(/\.playback\.mp4$/);
    const op = await probe(path.join(media(), o.playback_file!));
    expect([op.video?.codec, op.audio?.codec]).toEqual(['h264', 'aac']);
    expect(rendered.sort()).toEqual([webm, mp4, odd].map((id) => `${id}/0`).sort()); // once each, by one of the two
    // No lease is left behind, and nothing is pending for either process.
    expect(await db.selectFrom('work_leases').selectAll().where('kind', '=', 'playback').execute()).toEqual([]);
    expect(await store.pendingPlayback()).toEqual([]);
  });

  it('INTAKE_PLAYBACK=transcode makes an H.264/AAC MP4 of every video', async () => {
    const webm = await pendingCase(sampleWebm(2), 'video/webm');
    const q = new PlaybackQueue(new CaseStore(db), new FolderMediaStore(media()), { policy: 'transcode' });
    await q.resume();
    await q.idle();
    const w = await itemOf(webm);
    expect(w.playback_file).toMatch(/\.playback\.mp4$/);
    expect((await probe(path.join(media(), w.playback_file!))).video?.codec).toBe('h264');
  });

  it("files a booth's case and answers while the playback worker is held; the worker's runs are niced", async () => {
    const dataDir = path.join(dir, 'intake');
    const intake = await createIntake({ dataDir });
    let release = async () => {};
    try {
      const url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
      const token = await issueCredential(intake.delivery, 'P001', Date.now());
      const mediaRoot = path.join(dataDir, 'media');
      // A case whose recording is a FIFO: the worker's ffprobe blocks reading it until the test writes.
      const { id: held } = await seedCase(intake.db, {
        receivedAt: new Date().toISOString(),
        media: { file: sampleWebm(2), kind: 'video', mime: 'video/webm', mediaRoot },
      });
      await intake.db
        .updateTable('case_items')
        .set({ playback_state: 'pending', playback_file: null })
        .where('case_id', '=', held)
        .execute();
      const heldItem = await itemOfIn(intake.db, held);
      const fifo = path.join(mediaRoot, heldItem.file);
      const real = `${fifo}.real`;
      renameSync(fifo, real);
      execFileSync('mkfifo', [fifo]);
      let released = false;
      // Unblocks the worker: the recording's bytes go to the ffprobe blocked on the FIFO (or, when a
      // check failed before any run opened it, nothing waits), and later runs read the real file.
      release = async () => {
        if (released) return;
        released = true;
        const reader = childrenOf(process.pid).some((c) => c.cmdline.includes(fifo));
        const writer = reader ? await open(fifo, 'w') : null;
        renameSync(real, fifo);
        await writer?.writeFile(readFileSync(fifo));
        await writer?.close();
      };
      intake.playback.add(heldItem);
      const probeRun = await eventually(
        () => childrenOf(process.pid).find((c) => c.cmdline.includes(fifo)),
        'the worker probing the held item',
      );
      expect(path.basename(probeRun.cmdline[0]!)).toBe('ffprobe');
      // Niced below this process (which may itself run under nice: 19 is the floor).
      expect(probeRun.nice).toBe(Math.min(19, os.getPriority() + 10));

      // A booth delivers a video meanwhile: tus upload, then the manifest; the receipt comes back.
      const bytes = readFileSync(sampleWebm(2));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const submissionId = randomUUID();
      const link = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 30_000 });
      const up = await link.uploadItem(
        { file: sampleWebm(2), size: bytes.length, sha256, submissionId, index: 0, uploadUrl: null },
        () => {},
      );
      expect(up.ok).toBe(true);
      const item = {
        index: 0,
        itemId: randomUUID(),
        kind: 'video' as const,
        mime: 'video/webm',
        camera: 'face' as const,
        size: bytes.length,
        sha256,
        durationSec: 2,
      };
      const receipt = await link.finalise(submissionManifest('P001', submissionId, 'P001-20261207-0001', [item]));
      link.close();
      expect(receipt.ok).toBe(true);
      // Filed and answered while its playback is still to be made (the worker is on the held item).
      expect((await itemOfIn(intake.db, submissionId)).playback_state).toBe('pending');
      expect((await itemOfIn(intake.db, held)).playback_state).toBe('pending');
      expect(intake.playback.backlog).toBe(2);
      const metrics = await (await fetch(`${url}/metrics`)).text();
      expect(metrics).toMatch(/^intake_queue_depth\{queue="playback"\} 2$/m);
      expect(metrics).toMatch(/^intake_playback_worker_items 2$/m);

      await release();
      await intake.playback.idle();
      for (const id of [held, submissionId]) {
        const row = await itemOfIn(intake.db, id);
        expect(row.playback_state).toBe('ready');
        expect(row.playback_file).toMatch(/\.playback\.webm$/);
      }
    } finally {
      await release();
      await intake.close();
    }
  }, 120_000);
});

const itemOfIn = (d: Kysely<IntakeDatabase>, id: string) =>
  d.selectFrom('case_items').selectAll().where('case_id', '=', id).where('idx', '=', 0).executeTakeFirstOrThrow();

/** This process's running children (the playback worker's ffmpeg and ffprobe runs), with nice value and arguments, from /proc. */
function childrenOf(pid: number): { pid: number; nice: number; cmdline: string[] }[] {
  const out: { pid: number; nice: number; cmdline: string[] }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[1]) !== pid) continue;
      out.push({
        pid: Number(name),
        nice: Number(f[16]),
        cmdline: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean),
      });
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
