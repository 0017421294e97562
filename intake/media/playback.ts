// Playback renditions for staff. The original stays byte-identical to what the booth sent; the
// playback file is what the staff's browsers play. They are current Chromium, Edge and Firefox
// (docs/DEPLOY.md), which play WebM with VP8/VP9/AV1 and Opus/Vorbis and MP4 with H.264/AAC as they
// are: such a recording gets a stream copy (no decoding: about a second for a minute of 720p, the
// MP4 index moved to the front), ready seconds after it arrived. Anything else — or every video
// when INTAKE_PLAYBACK=transcode, for a district with older Safari — is transcoded to H.264/AAC MP4
// (AAC .m4a for audio), as a fallback that must not starve ingest: one at a time per process, under
// nice with a thread limit, and claimed once across the intake processes sharing the store
// (WorkLeases), so two processes never transcode the same item. The backlog (items still pending)
// is in /metrics as intake_queue_depth{queue="playback"}. Every process rescans pending items each
// minute, so an item whose claim a dead process held is taken over once the lease runs out. On the
// object store (intake/media/mediaStore.ts) ffmpeg works on temporary local copies and the results
// are uploaded.
import { posterFrame, probe, streamCopy, transcodeForPlayback, type Background, type MediaProbe } from '../../drivers/media/index.ts';
import { createLogger } from '../../lib/log.ts';
import type { CaseItemRow, CaseStore } from '../store/cases.ts';
import type { WorkLeases } from '../store/leases.ts';
import type { MediaStore } from './mediaStore.ts';

const log = createLogger('playback');

export type PlaybackPolicy = 'copy-when-playable' | 'transcode';

export interface PlaybackOptions {
  /** Claims each item once across processes; without it (a single process) every item is this process's. */
  leases?: WorkLeases;
  policy?: PlaybackPolicy;
  /** How a transcode yields to ingest (defaults: 1 thread, nice 10). */
  background?: Background;
  now?: () => number;
}

/** How long a claim on an item lasts: longer than the slowest transcode (a 10-minute video at 1× realtime). */
const LEASE_MS = 15 * 60_000;

/** What the staff browsers play without a transcode: the playback file's extension, or null. */
export function playableAsIs(kind: 'video' | 'audio', p: MediaProbe): 'webm' | 'mp4' | 'm4a' | null {
  const webm = /(^|,)(webm|matroska)(,|$)/.test(p.formatName);
  const mp4 = /(^|,)mp4(,|$)/.test(p.formatName);
  const a = p.audio?.codec ?? null;
  if (kind === 'video') {
    const v = p.video?.codec ?? null;
    if (webm && (v === 'vp8' || v === 'vp9' || v === 'av1') && (a === null || a === 'opus' || a === 'vorbis')) return 'webm';
    if (mp4 && v === 'h264' && (a === null || a === 'aac')) return 'mp4';
    return null;
  }
  if (p.video) return null;
  if (webm && (a === 'opus' || a === 'vorbis')) return 'webm';
  if (mp4 && a === 'aac') return 'm4a';
  return null;
}

export class PlaybackQueue {
  private queue: CaseItemRow[] = [];
  private queued = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private transcodes: { it: CaseItemRow; kind: 'video' | 'audio' }[] = [];
  private busy = false;
  private transcoding = false;
  private idleWaiters: (() => void)[] = [];
  private readonly policy: PlaybackPolicy;
  private readonly background: Background;
  private readonly now: () => number;

  constructor(
    private readonly store: CaseStore,
    private readonly media: MediaStore,
    private readonly options: PlaybackOptions = {},
  ) {
    this.policy = options.policy ?? 'copy-when-playable';
    this.background = options.background ?? { threads: 1, nice: 10 };
    this.now = options.now ?? Date.now;
  }

  /** Queues every pending item (at start, and then every `rescanMs` when given). */
  async resume(rescanMs?: number): Promise<void> {
    for (const it of await this.store.pendingPlayback()) this.add(it);
    if (rescanMs && !this.timer) {
      this.timer = setInterval(
        () => void this.resume().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'pending renditions not rescanned')),
        rescanMs,
      );
      this.timer.unref();
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  add(item: CaseItemRow): void {
    const key = `${item.case_id}/${item.idx}`;
    if (this.queued.has(key)) return; // already waiting in this process (a rescan found it again)
    this.queued.add(key);
    this.queue.push(item);
    void this.drain();
  }

  /** Items waiting for a transcode in this process (the copies are never waiting long). */
  get transcodeBacklog(): number {
    return this.transcodes.length + (this.transcoding ? 1 : 0);
  }

  /** Resolves when both lanes are empty (tests, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private isIdle(): boolean {
    return !this.busy && !this.transcoding && this.queue.length === 0 && this.transcodes.length === 0;
  }

  private wakeIdle(): void {
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((r) => r());
  }

  /** The fast lane: photos, stream copies and the decision to transcode; never waits for a transcode. */
  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (let it = this.queue.shift(); it; it = this.queue.shift()) {
        await this.claimed(it, () => this.render(it));
        this.queued.delete(`${it.case_id}/${it.idx}`);
      }
    } finally {
      this.busy = false;
      this.wakeIdle();
    }
  }

  /** The slow lane: one transcode at a time in this process. */
  private async drainTranscodes(): Promise<void> {
    if (this.transcoding) return;
    this.transcoding = true;
    try {
      for (let t = this.transcodes.shift(); t; t = this.transcodes.shift()) {
        const { it, kind } = t;
        await this.claimed(it, () => this.transcode(it, kind));
      }
    } finally {
      this.transcoding = false;
      this.wakeIdle();
    }
  }

  /** Runs `work` if this process holds the item's lease and the item is still pending. */
  /**
   * Runs `work` if this process holds the item's lease and the item is still pending. The claim is
   * given back when the work is done, but kept when the fast lane hands the item to this process's
   * transcode lane (`work` answers 'transcode'): no other process may take it up meanwhile (the
   * transcode claims it again as its owner and gives it back when done).
   */
  private async claimed(it: CaseItemRow, work: () => Promise<'transcode' | void>): Promise<void> {
    const leases = this.options.leases;
    const key = `${it.case_id}/${it.idx}`;
    try {
      if (leases) {
        if (!(await leases.claim('playback', key, LEASE_MS, this.now()))) {
          log.info({ caseId: it.case_id, idx: it.idx }, 'playback rendition claimed by another intake process');
          return;
        }
        let handedOn = false;
        try {
          // Another process may have finished it before this one claimed it.
          if (await this.store.playbackPending(it.case_id, it.idx)) handedOn = (await work()) === 'transcode';
        } finally {
          if (!handedOn) await leases.release('playback', key);
        }
      } else {
        await work();
      }
    } catch (e) {
      log.error({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'playback rendition failed');
    }
  }

  private async render(it: CaseItemRow): Promise<'transcode' | void> {
    if (it.kind === 'photo') {
      await this.store.setPlayback(it.case_id, it.idx, 'ready', it.file, it.file);
      return;
    }
    const kind = it.kind === 'audio' ? 'audio' : 'video';
    const copied = await this.media.withLocalFile(it.file, async (src) => {
      let ext: 'webm' | 'mp4' | 'm4a' | null = null;
      if (this.policy === 'copy-when-playable') {
        try {
          ext = playableAsIs(kind, await probe(src));
        } catch (e) {
          log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'recording could not be probed; it is transcoded');
        }
      }
      if (!ext) return null;
      const playback = `${baseOf(it.file)}.playback.${ext}`;
      try {
        return { playback, poster: await this.produce(it, kind, playback, (out) => streamCopy(src, out)) };
      } catch (e) {
        log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'stream copy failed; the recording is transcoded');
        return null;
      }
    });
    if (!copied) {
      this.transcodes.push({ it, kind });
      void this.drainTranscodes();
      return 'transcode';
    }
    await this.store.setPlayback(it.case_id, it.idx, 'ready', copied.playback, copied.poster);
  }

  private async transcode(it: CaseItemRow, kind: 'video' | 'audio'): Promise<void> {
    const playback = `${baseOf(it.file)}.playback.${kind === 'video' ? 'mp4' : 'm4a'}`;
    let poster: string | null;
    try {
      poster = await this.media.withLocalFile(it.file, (src) =>
        this.produce(it, kind, playback, (out) => transcodeForPlayback(kind, src, out, this.background)),
      );
    } catch (e) {
      log.error({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'playback rendition failed');
      await this.store.setPlayback(it.case_id, it.idx, 'failed', null, null);
      return;
    }
    await this.store.setPlayback(it.case_id, it.idx, 'ready', playback, poster);
  }

  /** Makes the playback file with `make` and, for a video, its poster from it; stores both; the poster's key or null. */
  private async produce(
    it: CaseItemRow,
    kind: 'video' | 'audio',
    playback: string,
    make: (out: string) => Promise<void>,
  ): Promise<string | null> {
    let poster: string | null = null;
    await this.media.produce(playback, async (out) => {
      await make(out);
      if (kind !== 'video') return;
      // The poster is decoration: without one the player shows its first frame; the rendition stays ready.
      const key = `${baseOf(it.file)}.poster.jpg`;
      await this.media
        .produce(key, (jpg) => posterFrame(out, jpg))
        .then(() => (poster = key))
        .catch((e: unknown) =>
          log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'no poster frame for a video item'),
        );
    });
    return poster;
  }
}

function baseOf(file: string): string {
  return file.replace(/\.[^./]+$/, '');
}
