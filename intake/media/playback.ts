// Playback renditions for staff. The original stays byte-identical to what the booth sent; the
// playback file is what the staff's browsers play. They are current Chromium, Edge and Firefox
// (docs/DEPLOY.md), which play WebM with VP8/VP9/AV1 and Opus/Vorbis and MP4 with H.264/AAC as they
// are: such a recording gets a stream copy (no decoding: about a second for a minute of 720p, the
// MP4 index moved to the front), ready seconds after it arrived. Anything else — or every video
// when INTAKE_PLAYBACK=transcode, for a district with older Safari — is transcoded to H.264/AAC MP4
// (AAC .m4a for audio).
// Every step of it (the probe, the stream copy, the poster, the transcode) runs in one worker per
// process that must not starve ingest (issue 17: 400 un-niced copy + poster runs beside a 200-booth
// burst halved it): one item at a time, every ffmpeg/ffprobe under nice with a thread limit, each
// item claimed once across the intake processes sharing the store (WorkLeases), so two processes
// never render the same item. The arrival path only hands the item over (add()) after the case is
// filed; the booth's receipt never waits for it. An idle worker starts at once on arrival; every
// process also rescans pending items each minute, so an item whose claim a dead process held is
// taken over once the lease runs out. The backlog (items still pending, all processes) is in
// /metrics as intake_queue_depth{queue="playback"}. On the object store
// (intake/media/mediaStore.ts) ffmpeg works on temporary local copies and the results are uploaded.
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
  /** How every ffmpeg/ffprobe run of the worker yields to ingest (defaults: 1 thread, nice 10). */
  background?: Background;
  /**
   * True while booths are uploading or filing (requests in flight): the worker holds back each
   * ffmpeg/ffprobe start until it is false, for at most MAX_YIELD_MS a start.
   */
  ingestBusy?: () => boolean;
  now?: () => number;
}

/** How long a claim on an item lasts: longer than the slowest transcode (a 10-minute video at 1× realtime). */
const LEASE_MS = 15 * 60_000;

/**
 * Longest a run's start waits for ingest to pause. Starting a child process blocks this process's
 * event loop until the child has exec'd (issue 17 profile: ~40 ms a start on the loaded 2-core bench
 * machine, 3 starts an item), so the worker starts none while booths are in flight, yet goes on at a
 * start per 2 s under constant ingest.
 */
const MAX_YIELD_MS = 2_000;

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
  private running = false;
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

  /** Hands an arrived (or rescanned) item to the worker and returns at once; an idle worker starts on it now. */
  add(item: CaseItemRow): void {
    const key = `${item.case_id}/${item.idx}`;
    if (this.queued.has(key)) return; // already waiting in this process (a rescan found it again)
    this.queued.add(key);
    this.queue.push(item);
    void this.drain();
  }

  /** Items this process's worker holds: waiting, and the one it is on. */
  get backlog(): number {
    return this.queued.size;
  }

  /** Resolves when the worker has nothing left (tests, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private isIdle(): boolean {
    return !this.running && this.queue.length === 0;
  }

  /** The one worker: one item at a time, in arrival order. */
  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let it = this.queue.shift(); it; it = this.queue.shift()) {
        await this.yieldToIngest(); // its claim and checks are commits too (an fsync each on SQLite)
        await this.claimed(it, () => this.render(it));
        this.queued.delete(`${it.case_id}/${it.idx}`);
      }
    } finally {
      this.running = false;
      if (this.isIdle()) this.idleWaiters.splice(0).forEach((r) => r());
    }
  }

  /** Waits while booths are uploading or filing, up to MAX_YIELD_MS (see there). */
  private async yieldToIngest(): Promise<void> {
    const busy = this.options.ingestBusy;
    if (!busy) return;
    const until = performance.now() + MAX_YIELD_MS;
    while (busy() && performance.now() < until) await new Promise((r) => setTimeout(r, 50));
  }

  /** Runs `work` if this process holds the item's lease and the item is still pending; gives the claim back after. */
  private async claimed(it: CaseItemRow, work: () => Promise<void>): Promise<void> {
    const leases = this.options.leases;
    const key = `${it.case_id}/${it.idx}`;
    try {
      if (leases) {
        if (!(await leases.claim('playback', key, LEASE_MS, this.now()))) {
          log.info({ caseId: it.case_id, idx: it.idx }, 'playback rendition claimed by another intake process');
          return;
        }
        try {
          // Another process may have finished it before this one claimed it.
          if (await this.store.playbackPending(it.case_id, it.idx)) await work();
        } finally {
          await leases.release('playback', key);
        }
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
    const bg = this.background;
    const copied = await this.media.withLocalFile(it.file, async (src) => {
      let ext: 'webm' | 'mp4' | 'm4a' | null = null;
      if (this.policy === 'copy-when-playable') {
        try {
          await this.yieldToIngest();
          ext = playableAsIs(kind, await probe(src, bg.nice));
        } catch (e) {
          log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'recording could not be probed; it is transcoded');
        }
      }
      if (!ext) return null;
      const playback = `${baseOf(it.file)}.playback.${ext}`;
      try {
        return {
          playback,
          poster: await this.produce(it, kind, playback, async (out) => {
            await this.yieldToIngest();
            await streamCopy(src, out, bg);
          }),
        };
      } catch (e) {
        log.warn({ caseId: it.case_id, idx: it.idx, err: (e as Error).message }, 'stream copy failed; the recording is transcoded');
        return null;
      }
    });
    if (copied) await this.store.setPlayback(it.case_id, it.idx, 'ready', copied.playback, copied.poster);
    else await this.transcode(it, kind);
  }

  private async transcode(it: CaseItemRow, kind: 'video' | 'audio'): Promise<void> {
    const playback = `${baseOf(it.file)}.playback.${kind === 'video' ? 'mp4' : 'm4a'}`;
    let poster: string | null;
    try {
      poster = await this.media.withLocalFile(it.file, (src) =>
        this.produce(it, kind, playback, async (out) => {
          await this.yieldToIngest();
          await transcodeForPlayback(kind, src, out, this.background);
        }),
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
        .produce(key, async (jpg) => {
          await this.yieldToIngest();
          await posterFrame(out, jpg, 1, undefined, this.background);
        })
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
