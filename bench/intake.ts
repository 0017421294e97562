// The intake's side of a recording: from the moment a 60 s 720p video has arrived (its case item
// written, as after the booth's last tus PATCH and manifest) to staff being able to play it, with
// the playback worker as it runs in the intake (intake/media/playback.ts), handed the item as the
// booth API hands it on arrival: a stream copy (and poster) for what the staff's browsers play,
// niced and on one thread like all of that worker's runs. The peer is the transcode it replaced
// (H.264/AAC, as before issue 17), measured on the same file in the same run with its CPU limits
// (1 thread, nice 10).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlaybackQueue, type PlaybackPolicy } from '../intake/media/playback.ts';
import { FolderMediaStore } from '../intake/media/mediaStore.ts';
import { CaseStore } from '../intake/store/cases.ts';
import { openSqliteStore } from '../intake/store/db.ts';
import { seedCase } from '../testkit/staff.ts';
import { size, spread, timed, withPeer, type Bench, type BenchFigure } from './figure.ts';
import { recording720p } from './rig.ts';

async function readyMs(policy: PlaybackPolicy, video: string, repeats: number): Promise<number[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-playback-'));
  const db = await openSqliteStore(path.join(dir, 'intake.db'));
  const media = path.join(dir, 'media');
  const out: number[] = [];
  try {
    const store = new CaseStore(db);
    for (let i = 0; i < repeats; i++) {
      const { id } = await seedCase(db, {
        receivedAt: new Date().toISOString(),
        media: { file: video, kind: 'video', mime: 'video/webm', mediaRoot: media },
      });
      await db.updateTable('case_items').set({ playback_state: 'pending', playback_file: null }).where('case_id', '=', id).execute();
      const queue = new PlaybackQueue(store, new FolderMediaStore(media), { policy });
      const [item] = await store.pendingPlayback([id]);
      // Handed over as the booth API does when the case is filed: an idle worker starts on it at once.
      const t0 = performance.now();
      queue.add(item!);
      await queue.idle();
      out.push(performance.now() - t0);
      const row = await db.selectFrom('case_items').select('playback_state').where('case_id', '=', id).executeTakeFirstOrThrow();
      if (row.playback_state !== 'ready') throw new Error(`playback ${row.playback_state} under policy ${policy}`);
    }
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export const bench: Bench = {
  title: 'Intake: a recording playable for staff',
  budgetSeconds: 120,
  async run(): Promise<BenchFigure[]> {
    const seconds = size(60, 10);
    const video = recording720p(seconds);
    const copy = await readyMs('copy-when-playable', video, size(5, 2));
    const transcode = await readyMs('transcode', video, 1);
    const f = withPeer(
      timed(
        `a ${seconds} s 1280×720 WebM (VP8/Opus) has arrived → staff can play it (stream copy + poster, the playback worker as it runs in the intake)`,
        copy,
        {
          goal: '≤ 10 s after arrival',
          met: spread(copy).median <= 10_000,
          notes: 'from the case item being stored to playback_state = ready; the upload itself comes before (delivery bench)',
        },
      ),
      {
        name: 'the H.264/AAC transcode it replaced, same file, 1 thread under nice 10 (single run)',
        value: Math.round(transcode[0]!),
        unit: 'ms',
      },
    );
    return [f];
  },
};
