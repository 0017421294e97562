// Staff playback without a transcode wherever the browsers play the original (issue 17), with real
// ffmpeg: WebM VP8/Opus gets a stream copy, MP4 H.264/AAC a stream copy with its index in front, a
// codec the browsers do not play (MPEG-4 Part 2 in Matroska) the H.264/AAC transcode; two intake
// processes on one store (two queues with their own lease owners) render each item once.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
