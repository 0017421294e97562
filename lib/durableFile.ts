// "Durable before the receipt" (STYLE.md habit 9): write to a temporary name, fsync the file,
// rename over the final name, fsync the directory. A power cut leaves either no file or the whole file.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';

export interface WrittenFile {
  path: string;
  size: number;
  sha256: string;
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Streams `source` to `finalPath` durably, hashing on the way. */
export async function writeFileDurably(finalPath: string, source: Readable | Buffer): Promise<WrittenFile> {
  const dir = path.dirname(finalPath);
  await fsp.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(finalPath)}.${randomUUID()}.tmp`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const out = createWriteStream(tmp, { flags: 'wx' });
    async function* hashing(input: AsyncIterable<Buffer> | Iterable<Buffer>) {
      for await (const chunk of input) {
        hash.update(chunk);
        size += chunk.length;
        yield chunk;
      }
    }
    await pipeline(Buffer.isBuffer(source) ? hashing([source]) : hashing(source), out);
    const handle = await fsp.open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, finalPath);
    await fsyncDir(dir);
  } catch (err) {
    await fsp.rm(tmp, { force: true });
    throw err;
  }
  return { path: finalPath, size, sha256: hash.digest('hex') };
}

/** Moves a file durably (same file system): rename, then fsync both directories. */
export async function moveDurably(from: string, to: string): Promise<void> {
  await fsp.mkdir(path.dirname(to), { recursive: true });
  await fsp.rename(from, to);
  await fsyncDir(path.dirname(to));
  if (path.dirname(from) !== path.dirname(to)) await fsyncDir(path.dirname(from));
}

export async function sha256File(file: string): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { size, sha256: hash.digest('hex') };
}
