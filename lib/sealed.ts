// Personal data at rest is sealed with AES-256-GCM under the booth key (keys/booth.key):
//  - small values (phone, identity block): version(1) | iv(12) | tag(16) | ciphertext, so a wrong
//    key or a flipped bit fails loudly;
//  - recordings (video, voice, photos): chunked, so a file of hundreds of MiB is sealed and opened
//    as a stream, and a tus upload resuming at any offset decrypts from there (sealMediaFile,
//    openSealedMedia; docs/DELIVERY.md "Media at rest").
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, mkdir, open, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { writeFileDurably } from './durableFile.ts';

const VERSION = 1;

export function seal(plain: Buffer, key: Buffer): Buffer {
  if (key.length !== 32) throw new Error('sealing key must be 32 bytes');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function unseal(sealed: Buffer, key: Buffer): Buffer {
  if (sealed.length < 29 || sealed[0] !== VERSION) throw new Error('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(1, 13));
  decipher.setAuthTag(sealed.subarray(13, 29));
  return Buffer.concat([decipher.update(sealed.subarray(29)), decipher.final()]);
}

export const sealJson = (value: unknown, key: Buffer): Buffer => seal(Buffer.from(JSON.stringify(value), 'utf8'), key);
export const unsealJson = <T>(sealed: Buffer, key: Buffer): T => JSON.parse(unseal(sealed, key).toString('utf8')) as T;

/**
 * Loads the 32-byte key from `file`, creating it (mode 0600) on first use. Provisioning may
 * write this file instead; the key never goes to git or logs.
 */
export async function loadOrCreateKey(file: string): Promise<Buffer> {
  try {
    const hex = (await readFile(file, 'utf8')).trim();
    const key = Buffer.from(hex, 'hex');
    if (key.length !== 32) throw new Error(`key file ${file} does not hold 32 bytes of hex`);
    return key;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    const key = randomBytes(32);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, key.toString('hex'), { mode: 0o600, flag: 'wx' });
    await chmod(file, 0o600);
    return key;
  }
}

// ---------- recordings at rest ----------
//
// A sealed media file is a header and the recording in chunks of CHUNK bytes (the last shorter),
// each sealed on its own (the STREAM construction):
//   header = magic "SBMEDIA1"(8) | chunk size u32 BE(4) | plaintext size u64 BE(8) | nonce prefix(7)
//   chunk i = AES-256-GCM(ciphertext | tag(16)), nonce = prefix(7) | i u32 BE(4) | last(1), AAD = header
// The header is authenticated by every chunk, the counter fixes each chunk's place and the last
// flag the end: a reordered, dropped, truncated or extended chunk fails to open, as does a wrong key.

const MEDIA_MAGIC = Buffer.from('SBMEDIA1', 'latin1');
const MEDIA_HEADER = 27;
const TAG = 16;
/** Plaintext bytes per chunk: 64 KiB (0.02 % of overhead; a resume reads at most one chunk it does not send). */
export const MEDIA_CHUNK = 64 * 1024;

/** Whether these first bytes of a file are a sealed recording's. */
export function isSealedMedia(head: Buffer): boolean {
  return head.length >= MEDIA_MAGIC.length && head.subarray(0, MEDIA_MAGIC.length).equals(MEDIA_MAGIC);
}

function mediaNonce(prefix: Buffer, index: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0);
  nonce.writeUInt32BE(index, 7);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

const chunkCount = (plainSize: number, chunk: number) => Math.max(1, Math.ceil(plainSize / chunk));

/**
 * Seals the recording in `source` into `target` durably (a temporary name, fsync, rename, fsync of
 * the folder: lib/durableFile.ts), hashing the plaintext on the way (one read of the clear file).
 * `target` may be `source` itself: the sealed file then replaces the clear one in one rename, so a
 * crash at any moment leaves either the whole clear file or the whole sealed one, never neither.
 * The caller removes the clear file when `target` is another name.
 */
export async function sealMediaFile(source: string, target: string, key: Buffer): Promise<{ size: number; sha256: string }> {
  return sealMedia(createReadStream(source, { highWaterMark: MEDIA_CHUNK }), (await stat(source)).size, target, key);
}

/** Seals bytes held in memory into `target` durably (nothing of them is written in clear). */
export function sealMediaBytes(bytes: Buffer, target: string, key: Buffer): Promise<{ size: number; sha256: string }> {
  return sealMedia([bytes], bytes.length, target, key);
}

async function sealMedia(
  source: AsyncIterable<Buffer> | Iterable<Buffer>,
  plainSize: number,
  target: string,
  key: Buffer,
): Promise<{ size: number; sha256: string }> {
  if (key.length !== 32) throw new Error('sealing key must be 32 bytes');
  const header = Buffer.alloc(MEDIA_HEADER);
  MEDIA_MAGIC.copy(header, 0);
  header.writeUInt32BE(MEDIA_CHUNK, 8);
  header.writeBigUInt64BE(BigInt(plainSize), 12);
  const prefix = randomBytes(7);
  prefix.copy(header, 20);
  const hash = createHash('sha256');
  const total = chunkCount(plainSize, MEDIA_CHUNK);
  async function* sealed(): AsyncGenerator<Buffer> {
    yield header;
    let index = 0;
    let read = 0;
    let pending: Buffer = Buffer.alloc(0);
    const sealChunk = (plain: Buffer): Buffer => {
      const cipher = createCipheriv('aes-256-gcm', key, mediaNonce(prefix, index, index === total - 1));
      cipher.setAAD(header);
      const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      index++;
      return body;
    };
    for await (const piece of source) {
      hash.update(piece);
      read += piece.length;
      if (read > plainSize) throw new Error('the recording grew while it was being sealed');
      pending = pending.length ? Buffer.concat([pending, piece]) : piece;
      while (pending.length >= MEDIA_CHUNK && index < total - 1) {
        yield sealChunk(pending.subarray(0, MEDIA_CHUNK));
        pending = pending.subarray(MEDIA_CHUNK);
      }
    }
    if (read !== plainSize) throw new Error('the recording changed size while it was being sealed');
    yield sealChunk(pending);
  }
  await writeFileDurably(target, Readable.from(sealed()));
  return { size: plainSize, sha256: hash.digest('hex') };
}

export interface SealedMedia {
  /** The recording's size in clear. */
  size: number;
  /** The clear bytes [start, end) as a stream, decrypted chunk by chunk (at most one chunk in memory). */
  range(start: number, end?: number): Readable;
}

/** Opens a sealed recording for reading: checks its header (the key is checked by the first chunk read). */
export async function openSealedMedia(file: string, key: Buffer): Promise<SealedMedia> {
  const fh = await open(file, 'r');
  let header: Buffer;
  try {
    header = Buffer.alloc(MEDIA_HEADER);
    const { bytesRead } = await fh.read(header, 0, MEDIA_HEADER, 0);
    if (bytesRead < MEDIA_HEADER || !isSealedMedia(header)) throw new Error(`${file} is not a sealed recording`);
  } finally {
    await fh.close();
  }
  const chunk = header.readUInt32BE(8);
  const size = Number(header.readBigUInt64BE(12));
  const prefix = header.subarray(20, 27);
  const total = chunkCount(size, chunk);
  if (chunk <= 0) throw new Error(`${file} has a damaged header`);
  async function* decrypt(start: number, end: number): AsyncGenerator<Buffer> {
    if (start >= end) return;
    const h = await open(file, 'r');
    try {
      for (let index = Math.floor(start / chunk); index < total && index * chunk < end; index++) {
        const plainLen = index === total - 1 ? size - index * chunk : chunk;
        const sealedChunk = Buffer.alloc(plainLen + TAG);
        const at = MEDIA_HEADER + index * (chunk + TAG);
        const { bytesRead } = await h.read(sealedChunk, 0, sealedChunk.length, at);
        if (bytesRead !== sealedChunk.length) throw new Error(`${file} is truncated`);
        const decipher = createDecipheriv('aes-256-gcm', key, mediaNonce(prefix, index, index === total - 1));
        decipher.setAAD(header);
        decipher.setAuthTag(sealedChunk.subarray(plainLen));
        const plain = Buffer.concat([decipher.update(sealedChunk.subarray(0, plainLen)), decipher.final()]);
        const from = Math.max(0, start - index * chunk);
        const to = Math.min(plainLen, end - index * chunk);
        yield plain.subarray(from, to);
      }
    } finally {
      await h.close();
    }
  }
  return {
    size,
    range: (start, end = size) => Readable.from(decrypt(start, Math.min(end, size)), { objectMode: false }),
  };
}
