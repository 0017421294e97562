// Playback renditions for staff. The original stays byte-identical to what the booth sent; the
// rendition is what browsers play: H.264/AAC MP4 for video, AAC for audio, a JPEG poster.
// One job at a time: ffmpeg on a 2-core server must not starve the booth API.
import path from 'node:path';
import { posterFrame, transcodeAudioM4a, transcodeVideoMp4 } from '../../drivers/media/index.ts';
import { createLogger } from '../../lib/log.ts';
import type { CaseItemRow, CaseStore } from '../store/cases.ts';

const log = createLogger('playback');

export class PlaybackQueue {
  private queue: CaseItemRow[] = [];
  private busy = false;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly store: CaseStore,
    private readonly mediaRoot: string,
  ) {}

  async resume(): Promise<void> {
    for (const it of await this.store.pendingPlayback()) this.add(it);
  }

  add(item: CaseItemRow): void {
    this.queue.push(item);
    void this.drain();
  }

  /** Resolves when the queue is empty (tests, shutdown). */
  idle(): Promise<void> {
    if (!this.busy && this.queue.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let it = this.queue.shift(); it; it = this.queue.shift()) await this.render(it);
    } finally {
      this.busy = false;
      this.idleWaiters.splice(0).forEach((r) => r());
    }
  }

  private async render(it: CaseItemRow): Promise<void> {
    const src = path.join(this.mediaRoot, it.file);
    const base = it.file.replace(/\.[^./]+$/, '');
    try {
      if (it.kind === 'photo') {
        await this.store.setPlayback(it.case_id, it.idx, 'ready', it.file, it.file);
        return;
      }
      // Browsers differ in what they play (Safari: no webm/Opus in older versions); H.264/AAC MP4
      // and AAC .m4a play in all of them. The original stays untouched next to the rendition.
      const playback = it.kind === 'video' ? `${base}.playback.mp4` : `${base}.playback.m4a`;
      if (it.kind === 'video') await transcodeVideoMp4(src, path.join(this.mediaRoot, playback));
      else await transcodeAudioM4a(src, path.join(this.mediaRoot, playback));
      let poster: string | null = null;
      if (it.kind === 'video') {
        // The poster is decoration: without one the player shows its first frame; the rendition stays ready.
        poster = `${base}.poster.jpg`;
        await posterFrame(path.join(this.mediaRoot, playback), path.join(this.mediaRoot, poster)).catch((e: unknown) => {
          log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'no poster frame for a video item');
          poster = null;
        });
      }
      await this.store.setPlayback(it.case_id, it.idx, 'ready', playback, poster);
    } catch (e) {
      log.error({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'playback rendition failed');
      await this.store.setPlayback(it.case_id, it.idx, 'failed', null, null);
    }
  }
}
