// A resident's unfinished session: its items live under sessions/<uuid>/ until 立即上传 moves
// them into the outbox. An item is taken at once and checked behind the resident's review
// (addItem). Discarding (idle reset, 返回) removes the directory: nothing is left behind.
// A recording is in clear on disk only while its checks run (ffmpeg and ffprobe read files): the
// last check seals it with the booth key (lib/sealed.ts) and removes the clear copy, so what the
// resident reviews for minutes and what 立即上传 moves into the outbox is sealed. A power cut
// before that leaves clear files in sessions/, which the next start removes before anything else
// (clearLeftovers); docs/DELIVERY.md "Media at rest".
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CameraRole, CaptureKind, Language } from '../lib/vocab.ts';
import { sealMediaFile } from '../lib/sealed.ts';
import { extensionFor } from '../lib/mediaTypes.ts';
import { AdmissionError, admitMedia, posterFrame, sniffImage, streamCopy } from '../drivers/media/index.ts';
import { isDiskFull } from '../lib/diskFull.ts';
import { createLogger } from '../lib/log.ts';
import type { ItemSummary, SessionInfo } from '../contract/kiosk.ts';
import { BoothError } from './api/errors.ts';

const log = createLogger('sessions');

export interface SessionItem extends ItemSummary {
  file: string; // absolute
  /** Empty until `checked` settles. */
  sha256: string;
  /** Settles when remux, probe, hash, poster and fsync are done (never rejects). */
  checked: Promise<void>;
  /** Set when the checks refused the recording. */
  refused: BoothError | null;
}

export interface Session {
  id: string;
  startedAt: string;
  language: Language;
  items: SessionItem[];
}

/** A recording as it arrives from the kiosk: the request body, and its length when declared. */
export interface MediaBody {
  stream: Readable;
  length: number | null;
}

export interface SessionLimits {
  itemBytes: number;
  itemsPerSubmission: number;
  photos: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly root: string,
    private readonly limits: () => SessionLimits,
    /** The booth key (keys/booth.key) recordings are sealed with once checked. */
    private readonly sealingKey: () => Buffer,
    /** Throws BoothError('disk_full') when taking `bytes` more would leave the disk nearly full. */
    private readonly checkDisk: (bytes: number) => Promise<void> = async () => undefined,
  ) {}

  /** At boot no session can be continued: whatever a power cut left in sessions/ is discarded. */
  async clearLeftovers(): Promise<number> {
    await mkdir(this.root, { recursive: true });
    const dirs = await readdir(this.root);
    await Promise.all(dirs.map((d) => rm(path.join(this.root, d), { recursive: true, force: true })));
    return dirs.length;
  }

  start(language: Language, nowMs: number): Session {
    const s: Session = { id: randomUUID(), startedAt: new Date(nowMs).toISOString(), language, items: [] };
    this.sessions.set(s.id, s);
    return s;
  }

  get(id: string): Session {
    const s = this.sessions.get(id);
    if (!s) throw new BoothError('session_closed', 'this session has ended');
    return s;
  }

  info(s: Session): SessionInfo {
    return { sessionId: s.id, startedAt: s.startedAt, items: s.items.map(summaryOf) };
  }

  /**
   * Takes a recording at 停止 and answers as soon as its bytes are on disk: the kiosk reviews what
   * the browser already holds, while the checks run behind (remux for WebM, ffprobe, sha256, poster,
   * fsync). `checked(…)` waits for them; submit waits for them too, so admission still decides
   * before a submission is committed, and a resident who reviews longer than the checks take never
   * waits. The item counts against the limits from the moment it is taken. `replaces`: the item
   * this one is a re-do of (still held until the kiosk drops it): the two count as one.
   */
  async addItem(
    id: string,
    kind: CaptureKind,
    mime: string,
    camera: CameraRole | null,
    body: Buffer | MediaBody,
    replaces: string | null = null,
  ): Promise<SessionItem> {
    const s = this.get(id);
    const limits = this.limits();
    const declared: number | null = body.length;
    if (declared === 0) throw new BoothError('media_empty', 'the recording is empty');
    if (declared !== null && declared > limits.itemBytes)
      throw new BoothError('media_too_large', `the recording is larger than ${limits.itemBytes} bytes`);
    const counted = s.items.filter((i) => i.itemId !== replaces);
    if (counted.length >= limits.itemsPerSubmission)
      throw new BoothError('too_many_items', 'this submission already holds as many items as allowed');
    if (kind === 'photo' && counted.filter((i) => i.kind === 'photo').length >= limits.photos) {
      throw new BoothError('too_many_items', `at most ${limits.photos} photos`);
    }
    // A photo is small and decided at once (below): its bytes are read whole.
    if (kind === 'photo' && !Buffer.isBuffer(body)) body = await readBounded(body.stream, limits.itemBytes);
    // A photo is what its bytes are (JPEG, PNG or WebP), whatever type the client declared.
    if (kind === 'photo' && Buffer.isBuffer(body)) {
      const format = sniffImage(body.subarray(0, 16));
      if (!format) {
        log.warn({ sessionId: s.id, mime, bytes: body.length }, 'photo refused: the content is not JPEG, PNG or WebP');
        throw new BoothError('media_unreadable', 'the photo is not an image (JPEG, PNG or WebP expected)');
      }
      mime = `image/${format}`;
    }
    const ext = extensionFor(mime);
    // MediaRecorder webm has no duration: keep the raw bytes aside, remux (stream copy, no
    // transcoding) into the item's file, and hash that, so the booth and intake agree on one file.
    // The disk check counts what the item really takes while it is admitted: raw + remuxed copy
    // (the raw copy is gone before the sealed one is written).
    const needsRemux = ext === 'webm' || ext === 'mkv';
    const expected = Buffer.isBuffer(body) ? body.length : (body.length ?? limits.itemBytes);
    await this.checkDisk(needsRemux ? 2 * expected : expected);
    const itemId = randomUUID();
    const clear = path.join(this.root, s.id, `${itemId}.${ext}`);
    const raw = needsRemux ? path.join(this.root, s.id, `${itemId}.raw.${ext}`) : clear;
    // Not fsynced here: a session's files are worthless after a power cut (boot clears them); the
    // check below writes the sealed file that submit will move durably. A recording is written as its bytes arrive
    // (no copy of it in memory): at 停止 the answer comes as soon as the last byte is on disk.
    let head: Buffer;
    let size: number;
    try {
      await mkdir(path.dirname(raw), { recursive: true });
      if (Buffer.isBuffer(body)) {
        await writeFile(raw, body);
        head = body.subarray(0, 16);
        size = body.length;
      } else {
        ({ head, size } = await writeBounded(body.stream, raw, limits.itemBytes));
        if (size === 0) throw new BoothError('media_empty', 'the recording is empty');
      }
    } catch (e) {
      await rm(raw, { force: true });
      if (isDiskFull(e)) {
        log.error({ sessionId: s.id, kind, bytes: declared, err: e }, 'TECHNICIAN ALERT: disk full while storing an item');
        throw new BoothError('disk_full', 'the booth is out of disk space');
      }
      throw e;
    }
    const item: SessionItem = {
      itemId,
      kind,
      mime,
      camera,
      size,
      durationSec: null,
      posterDataUrl: null,
      // The clear file while it is checked; the sealed one (<itemId>.sealed) once the checks passed.
      file: clear,
      sha256: '',
      checked: Promise.resolve(),
      refused: null,
    };
    // The checks start after this answer has left: spawning ffmpeg blocks the event loop for a
    // while (a fork of the core), and the resident waits for the answer, not for the checks.
    item.checked = new Promise<void>((r) => setImmediate(r)).then(() => this.check(s, item, raw, needsRemux, head));
    s.items.push(item);
    // A photo's check is one decode (tens of ms) and the capture screen waits for its answer anyway:
    // it is decided here. Video and audio are decided behind review.
    if (kind === 'photo') {
      await item.checked;
      if (item.refused) {
        s.items.splice(s.items.indexOf(item), 1);
        throw item.refused;
      }
    }
    return item;
  }

  /** The checks behind addItem (admission, remux, hash, fsync, poster). Never rejects: a refusal is kept on the item. */
  private async check(s: Session, item: SessionItem, raw: string, needsRemux: boolean, head: Buffer): Promise<void> {
    const { itemId, kind, mime } = item;
    const clear = item.file;
    const sealed = path.join(this.root, s.id, `${itemId}.sealed`);
    const poster = path.join(this.root, s.id, `${itemId}.poster.jpg`);
    const cleanUp = async () => {
      for (const f of [clear, raw, poster, sealed]) await rm(f, { force: true });
    };
    try {
      if (needsRemux) {
        await streamCopy(raw, clear);
        await rm(raw, { force: true });
      }
      const p = await admitMedia(clear, kind, head);
      const durationSec = kind === 'photo' ? null : p.durationSec;
      // The poster is decoration: a failure leaves the kiosk's placeholder (the video element's own
      // first frame) and a line for technicians, never a refused recording. It is read into memory
      // and its file removed at once (a face in clear).
      if (kind === 'video') {
        try {
          await posterFrame(clear, poster, Math.min(1, (durationSec ?? 0) / 2), 320);
          item.posterDataUrl = `data:image/jpeg;base64,${(await readFile(poster)).toString('base64')}`;
        } catch (e) {
          log.warn({ sessionId: s.id, err: e }, 'no poster frame for a video item; the kiosk shows a placeholder');
        } finally {
          await rm(poster, { force: true });
        }
      }
      // Sealed (temp, fsync, rename) and hashed in one read; then the clear copy goes.
      const written = await sealMediaFile(clear, sealed, this.sealingKey());
      await rm(clear, { force: true });
      Object.assign(item, { file: sealed, size: written.size, sha256: written.sha256, durationSec });
    } catch (e) {
      await cleanUp();
      if (isDiskFull(e)) {
        log.error({ sessionId: s.id, kind, err: e }, 'TECHNICIAN ALERT: disk full while storing an item');
        item.refused = new BoothError('disk_full', 'the booth is out of disk space');
      } else {
        const reason = e instanceof AdmissionError ? e.reason : (e as Error).message;
        log.warn({ sessionId: s.id, kind, mime, bytes: item.size, reason }, 'recording refused');
        item.refused = new BoothError('media_unreadable', `the recording cannot be read: ${reason}`);
      }
    }
    // The session was discarded (idle reset) or the item deleted while we checked: leave nothing.
    // (Never rejects: nothing may be waiting for this promise once the session is gone.)
    try {
      if (!this.sessions.has(s.id)) await removeDir(path.join(this.root, s.id));
      else if (!s.items.includes(item)) await cleanUp();
    } catch (e) {
      log.warn({ sessionId: s.id, err: e }, 'files of a discarded item could not be removed; the next start removes them');
    }
  }

  /** The item once its checks are done; a refused item is an error (the kiosk drops it). */
  async checked(id: string, itemId: string): Promise<SessionItem> {
    const item = this.get(id).items.find((i) => i.itemId === itemId);
    if (!item) throw new BoothError('not_found', 'no such item');
    await item.checked;
    if (item.refused) throw item.refused;
    return item;
  }

  async deleteItem(id: string, itemId: string): Promise<Session> {
    const s = this.get(id);
    const idx = s.items.findIndex((i) => i.itemId === itemId);
    if (idx < 0) throw new BoothError('not_found', 'no such item');
    const [item] = s.items.splice(idx, 1);
    await item!.checked; // its check cleans up after itself once it sees the item gone
    await rm(item!.file, { force: true });
    await rm(path.join(this.root, s.id, `${itemId}.poster.jpg`), { force: true });
    return s;
  }

  /**
   * Forgets the session (its files are removed, or were moved into the outbox by submit). Checks
   * still running (a recording discarded right after 停止) write into the session's directory: it is
   * removed once they are done, so nothing of a discarded session is on disk when this returns, and
   * the removal does not race ffmpeg creating a file there (ENOTEMPTY, once a 500 on discard).
   */
  async close(id: string, removeFiles: boolean): Promise<boolean> {
    const s = this.sessions.get(id);
    const existed = this.sessions.delete(id);
    if (s) await Promise.all(s.items.map((i) => i.checked));
    if (removeFiles) await removeDir(path.join(this.root, id));
    return existed;
  }

  get size(): number {
    return this.sessions.size;
  }
}

/**
 * Removes a session's directory. An upload still arriving when the session ends (its item not yet in
 * the session, so not waited for) may create a file while the directory is emptied: rm then retries
 * (ENOTEMPTY), and that item's check removes whatever it leaves when it ends.
 */
function removeDir(dir: string): Promise<void> {
  return rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** What the kiosk sees of an item. */
export function summaryOf(item: SessionItem): ItemSummary {
  const { itemId, kind, mime, size, durationSec, camera, posterDataUrl } = item;
  return { itemId, kind, mime, size, durationSec, camera, posterDataUrl };
}

function tooLarge(limit: number): BoothError {
  return new BoothError('media_too_large', `the recording is larger than ${limit} bytes`);
}

async function readBounded(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) {
      stream.destroy();
      throw tooLarge(limit);
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks, n);
}

/** Streams `stream` into `file` (created new), refusing more than `limit` bytes; the first 16 bytes and the size. */
async function writeBounded(stream: Readable, file: string, limit: number): Promise<{ head: Buffer; size: number }> {
  let size = 0;
  let head = Buffer.alloc(0);
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (head.length < 16) head = Buffer.concat([head, chunk.subarray(0, 16 - head.length)]);
      done(size > limit ? tooLarge(limit) : null, chunk);
    },
  });
  await pipeline(stream, count, createWriteStream(file, { flags: 'wx' }));
  return { head, size };
}
