// Recordings at rest (lib/sealed.ts): chunked AES-256-GCM. Round trip at sizes around the chunk
// boundary, any clear range from a sealed file (a tus resume starts anywhere), nothing of the
// plaintext in the file, and a wrong key, a flipped bit or a cut file fail loudly.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { isSealedMedia, MEDIA_CHUNK, openSealedMedia, sealMediaBytes, sealMediaFile } from '../../lib/sealed.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'sealed-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const key = randomBytes(32);

async function bytes(r: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('sealed recordings', () => {
  it('round-trips every size around the chunk boundary and serves any range', async () => {
    for (const size of [0, 1, MEDIA_CHUNK - 1, MEDIA_CHUNK, MEDIA_CHUNK + 1, 3 * MEDIA_CHUNK + 17]) {
      const plain = randomBytes(size);
      const file = path.join(dir, `r${size}.sealed`);
      const w = await sealMediaBytes(plain, file, key);
      expect(w).toEqual({ size, sha256: createHash('sha256').update(plain).digest('hex') });
      const onDisk = readFileSync(file);
      expect(isSealedMedia(onDisk)).toBe(true);
      if (size >= 64) expect(onDisk.includes(plain.subarray(0, 64))).toBe(false);
      const m = await openSealedMedia(file, key);
      expect(m.size).toBe(size);
      expect((await bytes(m.range(0))).equals(plain)).toBe(true);
      for (const [a, b] of [
        [0, 1],
        [5, MEDIA_CHUNK + 3],
        [MEDIA_CHUNK, size],
        [size - 1, size],
        [Math.floor(size / 2), size],
      ] as const) {
        if (a < 0 || a > size || b < a) continue;
        expect((await bytes(m.range(a, b))).equals(plain.subarray(a, b)), `${size}: ${a}..${b}`).toBe(true);
      }
    }
  });

  it('seals a clear file in place (one rename), and a sealed file from a clear one', async () => {
    const plain = randomBytes(200_000);
    const clear = path.join(dir, 'clear.webm');
    writeFileSync(clear, plain);
    const w = await sealMediaFile(clear, clear, key);
    expect(w.size).toBe(plain.length);
    expect(isSealedMedia(readFileSync(clear))).toBe(true);
    expect((await bytes((await openSealedMedia(clear, key)).range(0))).equals(plain)).toBe(true);
  });

  it('refuses a wrong key, a flipped bit, a cut file and a file that is not sealed', async () => {
    const plain = randomBytes(3 * MEDIA_CHUNK);
    const file = path.join(dir, 'tamper.sealed');
    await sealMediaBytes(plain, file, key);
    await expect(bytes((await openSealedMedia(file, randomBytes(32))).range(0))).rejects.toThrow();
    const good = readFileSync(file);
    const flipped = Buffer.from(good);
    flipped[good.length - 100]! ^= 1;
    writeFileSync(file, flipped);
    await expect(bytes((await openSealedMedia(file, key)).range(0))).rejects.toThrow();
    // The header is authenticated too: a claimed size one chunk shorter drops the last chunk.
    const shorter = Buffer.from(good);
    shorter.writeBigUInt64BE(BigInt(2 * MEDIA_CHUNK), 12);
    writeFileSync(file, shorter);
    await expect(bytes((await openSealedMedia(file, key)).range(0))).rejects.toThrow();
    writeFileSync(file, good);
    truncateSync(file, good.length - 10);
    await expect(bytes((await openSealedMedia(file, key)).range(0))).rejects.toThrow(/truncated/);
    writeFileSync(file, 'not sealed at all, just text');
    await expect(openSealedMedia(file, key)).rejects.toThrow(/not a sealed recording/);
  });
});
