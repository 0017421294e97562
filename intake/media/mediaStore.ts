// Where a case's media and playback copies live (issue 16). Two kinds, chosen by a setting
// (INTAKE_STORAGE): the local folder INTAKE_DATA/media (the embedded default), or an S3-compatible
// object store (Ceph RGW, OpenStack Swift s3api, MinIO, Alibaba OSS, Huawei OBS) through the AWS
// SDK v3, under the key prefix `media/` of one bucket (the partial tus uploads share the bucket,
// as 32-hex keys at its root: intake/media/uploadBackend.ts). Keys are server-made relative names
// like `<case uuid>/0.original.webm`; never a client's file name.
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { moveDurably, sha256File } from '../../lib/durableFile.ts';

export interface MediaObject {
  key: string;
  size: number;
}

export interface MediaRead {
  body: Readable;
  /** Size of the whole object. */
  size: number;
  /** The bytes sent: the whole object, or one range of it (inclusive end). */
  range: { start: number; end: number } | null;
}

export interface MediaStore {
  readonly kind: 'folder' | 's3';
  /** A human description for logs and the backup manifest (a folder path, or endpoint/bucket/prefix). */
  readonly where: string;
  /** Size of an object, or null when there is none. */
  size(key: string): Promise<number | null>;
  /** Whether `key` holds exactly these bytes (an item an earlier ingest attempt already put in place). */
  holds(key: string, size: number, sha256: string): Promise<boolean>;
  /** sha256 and size of an object's bytes, read back from the store. */
  hash(key: string): Promise<{ size: number; sha256: string }>;
  /** Reads an object, or one byte range of it (`start`..`end` inclusive, already checked against the size). */
  read(key: string, range?: { start: number; end: number }): Promise<MediaRead>;
  /** Stores a local file under `key` (durably); the local file is left alone. */
  putFile(key: string, localFile: string): Promise<void>;
  /** Copies an object to a local file (ffmpeg reads files). */
  getFile(key: string, localFile: string): Promise<void>;
  /**
   * A local file with the object's bytes for the duration of `use` (the folder store's own file; a
   * temporary copy for the object store).
   */
  withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T>;
  /** A writable local path for `key` whose content is stored when `produce` resolves. */
  produce(key: string, produce: (file: string) => Promise<void>): Promise<void>;
  delete(key: string): Promise<void>;
  /** Every object (for the backup manifest). */
  list(): AsyncIterable<MediaObject>;
  /** Readiness: a small object is written, read back and deleted. */
  probe(): Promise<void>;
}

export async function sha256Stream(body: Readable): Promise<{ size: number; sha256: string }> {
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: h.digest('hex') };
}

function checkKey(key: string): string {
  if (!key || key.startsWith('/') || key.split(/[\\/]/).some((p) => p === '..' || p === '')) throw new Error(`bad media key ${key}`);
  return key;
}

/** The embedded default: files under INTAKE_DATA/media. */
export class FolderMediaStore implements MediaStore {
  readonly kind = 'folder' as const;
  constructor(readonly root: string) {}
  get where(): string {
    return this.root;
  }
  path(key: string): string {
    return path.join(this.root, checkKey(key));
  }
  async size(key: string): Promise<number | null> {
    return stat(this.path(key)).then(
      (s) => (s.isFile() ? s.size : null),
      () => null,
    );
  }
  async holds(key: string, size: number, sha256: string): Promise<boolean> {
    if ((await this.size(key)) !== size) return false;
    return (await sha256File(this.path(key))).sha256 === sha256;
  }
  hash(key: string): Promise<{ size: number; sha256: string }> {
    return sha256File(this.path(key));
  }
  async read(key: string, range?: { start: number; end: number }): Promise<MediaRead> {
    const file = this.path(key);
    const { size } = await stat(file);
    return { body: createReadStream(file, range ? { start: range.start, end: range.end } : {}), size, range: range ?? null };
  }
  async putFile(key: string, localFile: string): Promise<void> {
    const tmp = `${this.path(key)}.tmp-${process.pid}`;
    await mkdir(path.dirname(tmp), { recursive: true });
    await pipeline(createReadStream(localFile), createWriteStream(tmp));
    await moveDurably(tmp, this.path(key));
  }
  /** Moves a local file in (a finished upload): a durable rename, no copy. */
  async adopt(localFile: string, key: string): Promise<void> {
    await moveDurably(localFile, this.path(key));
  }
  async getFile(key: string, localFile: string): Promise<void> {
    await pipeline(createReadStream(this.path(key)), createWriteStream(localFile));
  }
  withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T> {
    return use(this.path(key));
  }
  async produce(key: string, produce: (file: string) => Promise<void>): Promise<void> {
    await mkdir(path.dirname(this.path(key)), { recursive: true });
    await produce(this.path(key));
  }
  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true });
  }
  async *list(): AsyncIterable<MediaObject> {
    const walk = async function* (dir: string, prefix: string): AsyncIterable<MediaObject> {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const rel = prefix ? `${prefix}/${e.name}` : e.name;
        if (e.isDirectory()) yield* walk(path.join(dir, e.name), rel);
        else if (e.isFile() && !e.name.includes('.tmp-')) yield { key: rel, size: (await stat(path.join(dir, e.name))).size };
      }
    };
    yield* walk(this.root, '');
  }
  async probe(): Promise<void> {
    await mkdir(this.root, { recursive: true });
    const probe = path.join(this.root, `.ready-${process.pid}-${randomUUID()}`);
    await writeFile(probe, 'ok');
    await readFile(probe);
    await rm(probe, { force: true });
  }
}

const isMissing = (e: unknown): boolean =>
  e instanceof NoSuchKey || e instanceof NotFound || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

/** Media on an S3-compatible object store, under `prefix` in `bucket`. */
export class S3MediaStore implements MediaStore {
  readonly kind = 's3' as const;
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
    readonly prefix = 'media/',
    private readonly endpoint = '',
  ) {}
  get where(): string {
    return `${this.endpoint}/${this.bucket}/${this.prefix}`;
  }
  objectKey(key: string): string {
    return this.prefix + checkKey(key);
  }
  async size(key: string): Promise<number | null> {
    try {
      const h = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
      return h.ContentLength ?? 0;
    } catch (e) {
      if (isMissing(e)) return null;
      throw e;
    }
  }
  async holds(key: string, size: number, sha256: string): Promise<boolean> {
    if ((await this.size(key)) !== size) return false;
    return (await this.hash(key)).sha256 === sha256;
  }
  async hash(key: string): Promise<{ size: number; sha256: string }> {
    return sha256Stream((await this.read(key)).body);
  }
  async read(key: string, range?: { start: number; end: number }): Promise<MediaRead> {
    const r = await this.client.send(
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: this.objectKey(key),
        ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
      }),
    );
    const total = range ? Number(/\/(\d+)$/.exec(r.ContentRange ?? '')?.[1] ?? NaN) : (r.ContentLength ?? 0);
    return { body: r.Body as Readable, size: total, range: range ?? null };
  }
  async putFile(key: string, localFile: string): Promise<void> {
    const { size } = await stat(localFile);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Body: createReadStream(localFile), ContentLength: size }),
    );
  }
  /** Copies an object of this bucket (a finished tus upload) to `key`, inside the store. */
  async copyFrom(sourceKey: string, key: string): Promise<void> {
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), CopySource: `${this.bucket}/${sourceKey}` }),
    );
  }
  async getFile(key: string, localFile: string): Promise<void> {
    await pipeline((await this.read(key)).body, createWriteStream(localFile));
  }
  async withLocalFile<T>(key: string, use: (file: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-media-'));
    try {
      const file = path.join(dir, path.basename(key));
      await this.getFile(key, file);
      return await use(file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  async produce(key: string, produce: (file: string) => Promise<void>): Promise<void> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'intake-media-'));
    try {
      const file = path.join(dir, path.basename(key));
      await produce(file);
      await this.putFile(key, file);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) }));
  }
  async *list(): AsyncIterable<MediaObject> {
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix, ...(token ? { ContinuationToken: token } : {}) }),
      );
      for (const o of r.Contents ?? [])
        if (o.Key && !o.Key.startsWith(`${this.prefix}.ready-`)) yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 };
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
  }
  async probe(): Promise<void> {
    // Its own key per check (checks overlap; another server may run the same pid).
    const Key = `${this.prefix}.ready-${process.pid}-${randomUUID()}`;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: 'ok' }));
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key }));
    await r.Body?.transformToString();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }));
  }
}

/** Reads a whole object into memory (tests, small objects). */
export async function readAll(store: MediaStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await store.read(key)).body) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
