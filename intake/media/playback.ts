// Playback renditions for staff. The original stays byte-identical to what the booth sent; the
// playback file is what the staff's browsers play. They are current Chromium, Edge and Firefox
// (docs/DEPLOY.md), which play WebM with VP8/VP9/AV1 and Opus/Vorbis and MP4 with H.264/AAC as they
// are: such a recording gets a stream copy (no decoding: about a second for a minute of 720p, the
// MP4 index moved to the front), ready seconds after it arrived. Anything else — or every video
// when INTAKE_PLAYBACK=transcode, for a district with older Safari — is transcoded to H.264/AAC MP4
// (AAC .m4a for audio), as a fallback that must not starve ingest: one at a time per process, under
// nice with a thread limit, and claimed once across the intake processes sharing the store
// (WorkLeases), so two processes never transcode the same item. The backlog (items still pending)
// is in /metrics as intake_queue_depth{queue="playback"}.
import path from 'node:path';
import { copyForPlayback, posterFrame, probe, transcodeAudioM4a, transcodeVideoMp4, type Background, type MediaProbe } from '../../drivers/media/index.ts';
import { createLogger } from '../../lib/log.ts';
import type { CaseItemRow, CaseStore } from '../store/cases.ts';
import type { WorkLeases } from '../store/leases.ts';

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
  private transcodes: { it: CaseItemRow; kind: 'video' | 'audio' }[] = [];
  private busy = false;
  private transcoding = false;
  private idleWaiters: (() => void)[] = [];
  private readonly policy: PlaybackPolicy;
  private readonly background: Background;
  private readonly now: () => number;

  constructor(
    private readonly store: CaseStore,
    private readonly mediaRoot: string,
    private readonly options: PlaybackOptions = {},
  ) {
    this.policy = options.policy ?? 'copy-when-playable';
    this.background = options.background ?? { threads: 1, nice: 10 };
    this.now = options.now ?? Date.now;
  }

  async resume(): Promise<void> {
    for (const it of await this.store.pendingPlayback()) this.add(it);
  }

  add(item: CaseItemRow): void {
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
      for (let it = this.queue.shift(); it; it = this.queue.shift()) await this.claimed(it, () => this.render(it));
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
  private async claimed(it: CaseItemRow, work: () => Promise<void>): Promise<void> {
    const leases = this.options.leases;
    const key = `${it.case_id}/${it.idx}`;
    try {
      if (leases) {
        const r = await leases.once('playback', key, LEASE_MS, this.now(), async () => {
          // Another process may have finished it before this one claimed it.
          if (await this.store.playbackPending(it.case_id, it.idx)) await work();
        });
        if (!r.ran) log.info({ caseId: it.case_id, idx: it.idx }, 'playback rendition claimed by another intake process');
      } else {
        await work();
      }
    } catch (e) {
      log.error({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'playback rendition failed');
    }
  }

  private async render(it: CaseItemRow): Promise<void> {
    if (it.kind === 'photo') {
      await this.store.setPlayback(it.case_id, it.idx, 'ready', it.file, it.file);
      return;
    }
    const kind = it.kind === 'audio' ? 'audio' : 'video';
    const src = path.join(this.mediaRoot, it.file);
    let ext: 'webm' | 'mp4' | 'm4a' | null = null;
    if (this.policy === 'copy-when-playable') {
      try {
        ext = playableAsIs(kind, await probe(src));
      } catch (e) {
        log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'recording could not be probed; it is transcoded');
      }
    }
    if (!ext) {
      this.transcodes.push({ it, kind });
      void this.drainTranscodes();
      return;
    }
    const playback = `${baseOf(it.file)}.playback.${ext}`;
    try {
      await copyForPlayback(src, path.join(this.mediaRoot, playback));
    } catch (e) {
      log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'stream copy failed; the recording is transcoded');
      this.transcodes.push({ it, kind });
      void this.drainTranscodes();
      return;
    }
    await this.finish(it, kind, playback);
  }

  private async transcode(it: CaseItemRow, kind: 'video' | 'audio'): Promise<void> {
    const src = path.join(this.mediaRoot, it.file);
    const playback = `${baseOf(it.file)}.playback.${kind === 'video' ? 'mp4' : 'm4a'}`;
    try {
      if (kind === 'video') await transcodeVideoMp4(src, path.join(this.mediaRoot, playback), this.background);
      else await transcodeAudioM4a(src, path.join(this.mediaRoot, playback), this.background);
    } catch (e) {
      log.error({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'playback rendition failed');
      await this.store.setPlayback(it.case_id, it.idx, 'failed', null, null);
      return;
    }
    await this.finish(it, kind, playback);
  }

  private async finish(it: CaseItemRow, kind: 'video' | 'audio', playback: string): Promise<void> {
    let poster: string | null = null;
    if (kind === 'video') {
      // The poster is decoration: without one the player shows its first frame; the rendition stays ready.
      poster = `${baseOf(it.file)}.poster.jpg`;
      await posterFrame(path.join(this.mediaRoot, playback), path.join(this.mediaRoot, poster)).catch((e: unknown) => {
        log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'no poster frame for a video item');
        poster = null;
      });
    }
    await this.store.setPlayback(it.case_id, it.idx, 'ready', playback, poster);
  }
}

function baseOf(file: string): string {
  return file.replace(/\.[^./]+$/, '');
}
