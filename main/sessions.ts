// A resident's unfinished session: its items live under sessions/<uuid>/ until 立即上传 moves
// them into the outbox. Discarding (idle reset, 返回) removes the directory: nothing is left behind.
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CameraRole, CaptureKind, Language } from '../lib/vocab.ts';
import { sha256File, writeFileDurably } from '../lib/durableFile.ts';
import { extensionFor } from '../lib/mediaTypes.ts';
import { AdmissionError, admitMedia, posterFrame, remux, sniffImage } from '../drivers/media/index.ts';
import { isDiskFull } from '../lib/diskFull.ts';
import { createLogger } from '../lib/log.ts';
import type { ItemSummary, SessionInfo } from '../contract/kiosk.ts';
import { BoothError } from './api/errors.ts';

const log = createLogger('sessions');

export interface SessionItem extends ItemSummary {
  file: string; // absolute
  sha256: string;
}

export interface Session {
  id: string;
  startedAt: string;
  language: Language;
  items: SessionItem[];
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
    return { sessionId: s.id, startedAt: s.startedAt, items: s.items.map(({ file: _f, sha256: _s, ...summary }) => summary) };
  }

  async addItem(id: string, kind: CaptureKind, mime: string, camera: CameraRole | null, bytes: Buffer): Promise<SessionItem> {
    const s = this.get(id);
    const limits = this.limits();
    if (bytes.length === 0) throw new BoothError('media_empty', 'the recording is empty');
    if (bytes.length > limits.itemBytes) throw new BoothError('media_too_large', `the recording is larger than ${limits.itemBytes} bytes`);
    if (s.items.length >= limits.itemsPerSubmission) throw new BoothError('too_many_items', 'this submission already holds as many items as allowed');
    if (kind === 'photo' && s.items.filter((i) => i.kind === 'photo').length >= limits.photos) {
      throw new BoothError('too_many_items', `at most ${limits.photos} photos`);
    }
    // A photo is what its bytes are (JPEG, PNG or WebP), whatever type the client declared.
    if (kind === 'photo') {
      const format = sniffImage(bytes.subarray(0, 16));
      if (!format) {
        log.warn({ sessionId: s.id, mime, bytes: bytes.length }, 'photo refused: the content is not JPEG, PNG or WebP');
        throw new BoothError('media_unreadable', 'the photo is not an image (JPEG, PNG or WebP expected)');
      }
      mime = `image/${format}`;
    }
    const ext = extensionFor(mime);
    // MediaRecorder webm has no duration: keep the raw bytes aside, remux (stream copy, no
    // transcoding) into the item's file, and hash that, so the booth and intake agree on one file.
    // The disk check counts what the item really takes while it is admitted: raw + remuxed copy.
    const needsRemux = ext === 'webm' || ext === 'mkv';
    await this.checkDisk(needsRemux ? 2 * bytes.length : bytes.length);
    const itemId = randomUUID();
    const file = path.join(this.root, s.id, `${itemId}.${ext}`);
    const raw = needsRemux ? path.join(this.root, s.id, `${itemId}.raw.${ext}`) : file;
    const poster = path.join(this.root, s.id, `${itemId}.poster.jpg`);
    const cleanUp = async () => {
      for (const f of [file, raw, poster]) await rm(f, { force: true });
    };
    let written;
    let durationSec: number | null;
    try {
      written = await writeFileDurably(raw, bytes);
      if (needsRemux) {
        await remux(raw, file);
        await rm(raw, { force: true });
        await fsyncFile(file);
        written = { path: file, ...(await sha256File(file)) };
      }
      const p = await admitMedia(file, kind, bytes.subarray(0, 16));
      durationSec = kind === 'photo' ? null : p.durationSec;
    } catch (e) {
      await cleanUp();
      if (isDiskFull(e)) {
        log.error({ sessionId: s.id, kind, bytes: bytes.length, err: e }, 'TECHNICIAN ALERT: disk full while storing an item');
        throw new BoothError('disk_full', 'the booth is out of disk space');
      }
      const reason = e instanceof AdmissionError ? e.reason : (e as Error).message;
      log.warn({ sessionId: s.id, kind, mime, bytes: bytes.length, reason }, 'recording refused');
      throw new BoothError('media_unreadable', `the recording cannot be read: ${reason}`);
    }
    // The poster is decoration: a failure leaves the kiosk's placeholder (the video element's own
    // first frame) and a line for technicians, never a refused recording.
    let posterDataUrl: string | null = null;
    if (kind === 'video') {
      try {
        await posterFrame(file, poster, Math.min(1, (durationSec ?? 0) / 2), 320);
        posterDataUrl = `data:image/jpeg;base64,${(await readFile(poster)).toString('base64')}`;
      } catch (e) {
        await rm(poster, { force: true });
        log.warn({ sessionId: s.id, err: e }, 'no poster frame for a video item; the kiosk shows a placeholder');
      }
    }
    // The session may have been discarded while we probed (idle reset): do not resurrect it.
    if (!this.sessions.has(s.id)) {
      await rm(path.join(this.root, s.id), { recursive: true, force: true });
      throw new BoothError('session_closed', 'this session has ended');
    }
    const item: SessionItem = { itemId, kind, mime, camera, size: written.size, durationSec, posterDataUrl, file, sha256: written.sha256 };
    s.items.push(item);
    return item;
  }

  async deleteItem(id: string, itemId: string): Promise<Session> {
    const s = this.get(id);
    const idx = s.items.findIndex((i) => i.itemId === itemId);
    if (idx < 0) throw new BoothError('not_found', 'no such item');
    const [item] = s.items.splice(idx, 1);
    await rm(item!.file, { force: true });
    await rm(path.join(this.root, s.id, `${itemId}.poster.jpg`), { force: true });
    return s;
  }

  /** Forgets the session (its files are removed, or were moved into the outbox by submit). */
  async close(id: string, removeFiles: boolean): Promise<boolean> {
    const existed = this.sessions.delete(id);
    if (removeFiles) await rm(path.join(this.root, id), { recursive: true, force: true });
    return existed;
  }

  get size(): number {
    return this.sessions.size;
  }
}

async function fsyncFile(file: string): Promise<void> {
  const h = await open(file, 'r+');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}
