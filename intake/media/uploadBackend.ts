// Where partial tus uploads live, matched to the media store (intake/media/mediaStore.ts):
//  - folder: @tus/file-store in INTAKE_DATA/uploads (data file + .json info per upload); a finished
//    item is moved into media with a durable rename;
//  - s3: @tus/s3-store in the media bucket (a multipart upload per item, `<id>.info` beside it,
//    `<id>.part` for a tail shorter than a part), so any intake process behind the load balancer
//    can take the next PATCH; a finished item is copied into `media/` inside the store and the
//    upload's objects are deleted.
// Either way the intake reads the finished bytes back to check their sha256 before a case is made.
import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { FileStore } from '@tus/file-store';
import { S3Store } from '@tus/s3-store';
import type { DataStore, Upload } from '@tus/utils';
import { createLogger } from '../../lib/log.ts';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { sha256File } from '../../lib/durableFile.ts';
import { type FolderMediaStore, type MediaStore, type S3MediaStore, sha256Stream } from './mediaStore.ts';
import { s3ClientConfig, type S3Settings, withDeleteMd5 } from './s3Client.ts';

export const UPLOAD_ID = /^[0-9a-f]{32}$/;

export interface UploadBackend {
  readonly datastore: DataStore;
  /** sha256 and size of a finished upload's bytes, read back from where they are. */
  hash(uploadId: string): Promise<{ size: number; sha256: string }>;
  /** Whether a finished upload's bytes are still there (not yet moved into media, not expired). */
  exists(uploadId: string): Promise<boolean>;
  /** Puts a finished upload's bytes into media under `key` (after this, discard() removes the upload). */
  moveToMedia(uploadId: string, key: string): Promise<void>;
  /** Removes an upload's data and info, whatever is left of them. */
  discard(uploadId: string): Promise<void>;
  /** Deletes expired partial uploads and orphans; how many went. */
  cleanUpExpired(now: number): Promise<number>;
}

function checkId(uploadId: string): string {
  if (!UPLOAD_ID.test(uploadId)) throw new Error('bad upload id');
  return uploadId;
}

/** An hour's grace: a .json and its data file are not written at the same instant. */
const ORPHAN_GRACE_MS = 3_600_000;

export class FolderUploads implements UploadBackend {
  readonly datastore: FileStore;
  constructor(
    readonly directory: string,
    private readonly media: FolderMediaStore,
    private readonly expiryMs: number,
  ) {
    this.datastore = new FileStore({ directory, expirationPeriodInMilliseconds: expiryMs });
  }
  path(uploadId: string): string {
    return path.join(this.directory, checkId(uploadId));
  }
  hash(uploadId: string): Promise<{ size: number; sha256: string }> {
    return sha256File(this.path(uploadId));
  }
  exists(uploadId: string): Promise<boolean> {
    return stat(this.path(uploadId)).then(
      () => true,
      () => false,
    );
  }
  moveToMedia(uploadId: string, key: string): Promise<void> {
    return this.media.adopt(this.path(uploadId), key);
  }
  async discard(uploadId: string): Promise<void> {
    await rm(this.path(uploadId), { force: true });
    await rm(`${this.path(uploadId)}.json`, { force: true });
  }
  async cleanUpExpired(now: number): Promise<number> {
    return (await this.datastore.deleteExpired()) + (await this.sweepOrphans(now));
  }

  /**
   * Info files whose data file is gone (left by older versions when a delivered item was moved into
   * media), and data files without an info file older than the expiry (which the library's
   * expiration cannot see). Returns how many files were removed.
   */
  private async sweepOrphans(now: number): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch {
      return 0;
    }
    const present = new Set(names);
    let removed = 0;
    for (const name of names) {
      const info = name.endsWith('.json');
      const id = info ? name.slice(0, -5) : name;
      if (!UPLOAD_ID.test(id)) continue;
      const partner = info ? id : `${id}.json`;
      if (present.has(partner)) continue;
      const age = now - (await stat(path.join(this.directory, name)).catch(() => ({ mtimeMs: now }))).mtimeMs;
      if (age < (info ? ORPHAN_GRACE_MS : Math.max(this.expiryMs, ORPHAN_GRACE_MS))) continue;
      await rm(path.join(this.directory, name), { force: true });
      removed++;
    }
    return removed;
  }
}

const log = createLogger('intake.uploads');

const s3Missing = (e: unknown): boolean => {
  const err = e as { Code?: string; name?: string; $metadata?: { httpStatusCode?: number } };
  return ['NoSuchUpload', 'NoSuchKey'].includes(err.Code ?? err.name ?? '') || err.$metadata?.httpStatusCode === 404;
};

/**
 * @tus/s3-store with one gap closed. An upload whose last part is stored but whose multipart upload
 * was never completed (its intake process was SIGKILLed, or CompleteMultipartUpload failed, between
 * the two) has parts adding up to its size, so the library reports offset = size: the booth's HEAD
 * says "done", no PATCH ever comes again, nothing completes it, the object never appears and every
 * finalise of that submission failed reading it back (500 NoSuchKey, for ever; the scale test's
 * second fault). getUpload completes such an upload before answering. It runs under the tus lock
 * for HEAD and PATCH; a completion racing another process's ends in NoSuchUpload, which means done.
 */
export class CompletingS3Store extends S3Store {
  override async getUpload(id: string): Promise<Upload> {
    const upload = await super.getUpload(id);
    if (upload.size === undefined || upload.offset !== upload.size) return upload;
    let parts;
    try {
      parts = await this.retrieveParts(id);
    } catch (e) {
      if (s3Missing(e)) return upload; // completed (the usual case for a finished upload)
      throw e;
    }
    // Only when the parts alone hold every byte (not with a `.part` tail, which completion would drop).
    if (parts.reduce((n, p) => n + (p.Size ?? 0), 0) !== upload.size) return upload;
    const metadata = await this.getMetadata(id);
    try {
      await this.finishMultipartUpload(metadata, parts);
    } catch (e) {
      if (!s3Missing(e)) throw e;
    }
    await this.completeMetadata(metadata.file);
    await this.clearCache(id);
    log.warn({ uploadId: id }, 'completed an upload whose parts were all stored but never completed');
    return upload;
  }
}

const S3_UPLOAD_OBJECT = /^([0-9a-f]{32})(\.info|\.part)?$/;

export class S3Uploads implements UploadBackend {
  readonly datastore: CompletingS3Store;
  private readonly client: S3Client;
  private readonly bucket: string;
  constructor(
    settings: S3Settings,
    private readonly media: S3MediaStore,
    private readonly expiryMs: number,
  ) {
    this.bucket = settings.bucket;
    // Parts of 5 MiB (the S3 minimum): a booth sends an item in one PATCH, streamed part by part.
    // No object tags (not every S3-compatible server has them): expiry lists multipart uploads.
    this.datastore = new CompletingS3Store({
      partSize: 5 * 1024 * 1024,
      useTags: false,
      expirationPeriodInMilliseconds: expiryMs,
      s3ClientConfig: { ...s3ClientConfig(settings), bucket: settings.bucket },
    });
    this.client = withDeleteMd5((this.datastore as unknown as { client: S3Client }).client);
  }
  async hash(uploadId: string): Promise<{ size: number; sha256: string }> {
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: checkId(uploadId) }));
    return sha256Stream(r.Body as Readable);
  }
  async exists(uploadId: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: checkId(uploadId) }));
      return true;
    } catch (e) {
      if ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw e;
    }
  }
  moveToMedia(uploadId: string, key: string): Promise<void> {
    return this.media.copyFrom(checkId(uploadId), key);
  }
  async discard(uploadId: string): Promise<void> {
    // The library's remove() first aborts the multipart upload, which a finished upload no longer
    // has (NoSuchUpload): delete the objects directly.
    await this.datastore.remove(checkId(uploadId)).catch(() => undefined);
    await this.client.send(
      new DeleteObjectsCommand({
        Bucket: this.bucket,
        Delete: { Objects: [{ Key: uploadId }, { Key: `${uploadId}.info` }, { Key: `${uploadId}.part` }], Quiet: true },
      }),
    );
  }
  async cleanUpExpired(now: number): Promise<number> {
    let removed = await this.datastore.deleteExpired();
    // Finished uploads never turned into a case (the booth gave up on the submission): their
    // objects stay at the bucket's root; they go once older than the expiry.
    let token: string | undefined;
    const stale: string[] = [];
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Delimiter: '/', ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of r.Contents ?? []) {
        if (!o.Key || !S3_UPLOAD_OBJECT.test(o.Key)) continue;
        if (o.LastModified && now - o.LastModified.getTime() > Math.max(this.expiryMs, ORPHAN_GRACE_MS)) stale.push(o.Key);
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    for (let i = 0; i < stale.length; i += 1000) {
      const batch = stale.slice(i, i + 1000);
      await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      removed += batch.length;
    }
    return removed;
  }
}

/** The media store and upload backend for a storage setting. */
export type Storage = { media: MediaStore; uploads: UploadBackend };
