// Recordings at rest on the booth (issue 18): from the end of the core's checks on, a recording is
// kept only sealed (AES-256-GCM chunks, lib/sealed.ts) under the booth key; the intake still gets
// byte-identical clear media; the booth's copy goes when the intake confirms its sha256 (retention
// 0 days, the default). Real booth core + intake on 127.0.0.1; the scan reads every file under the
// booth's data folder, booth.db included.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';

const json = { 'content-type': 'application/json' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? filesUnder(p) : e.isFile() ? [p] : [];
  });
}

/** Files under `dir` that hold media in clear: a media signature at the start, or a slice of the recorded bytes anywhere. */
function clearMedia(dir: string, recorded: Buffer[]): string[] {
  const magic = [Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.from([0xff, 0xd8, 0xff]), Buffer.from('OggS')];
  const slices = recorded.flatMap((b) => [b.subarray(4096, 4096 + 256), b.subarray(b.length - 1024, b.length - 768)]);
  return filesUnder(dir).filter((f) => {
    if (statSync(f).size === 0) return false;
    const bytes = readFileSync(f);
    const mp4 = bytes.subarray(4, 8).toString('latin1') === 'ftyp';
    return mp4 || magic.some((m) => bytes.subarray(0, m.length).equals(m)) || slices.some((s) => bytes.includes(s));
  });
}

describe('recordings at rest on the booth', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function call<T>(pathname: string, init: RequestInit = {}): Promise<T> {
    const env = (await (await coreFetch(stack, pathname, init)).json()) as { ok: boolean; value: T; error?: { code: string } };
    if (!env.ok) throw new Error(`${pathname}: ${env.error?.code}`);
    return env.value;
  }

  it('after submit nothing under the data folder holds the recordings in clear; after delivery the copies are gone', async () => {
    const video = readFileSync(sampleWebm(2));
    const photo = readFileSync(sampleJpeg());
    await stack.stopIntake(); // queued, not delivered: the booth must hold them sealed meanwhile
    const { sessionId } = await call<{ sessionId: string }>('/api/sessions', { method: 'POST', headers: json, body: '{}' });
    await call(`/api/sessions/${sessionId}/items?kind=video&mime=video/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: video,
    });
    await call(`/api/sessions/${sessionId}/items?kind=photo&mime=image/jpeg`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: photo,
    });
    const receipt = await call<{ submissionId: string }>(`/api/sessions/${sessionId}/submit`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    const dataDir = stack.core.dataDir;
    expect(filesUnder(path.join(dataDir, 'media')).length).toBeGreaterThanOrEqual(2);
    expect(clearMedia(dataDir, [video, photo])).toEqual([]);

    await stack.startIntake();
    // Delivered, then (retention 0) purged: either way the intake has confirmed it.
    await eventually(() => stack.core.outbox.get(receipt.submissionId)?.deliveredAt, 'delivery');
    // The intake holds the clear bytes the resident recorded (the booth's copy of the video is the
    // remuxed one, so its sha256 is what the intake confirmed; the photo is byte for byte).
    const items = await stack.intake.db
      .selectFrom('case_items')
      .select(['idx', 'kind', 'sha256', 'file'])
      .where('case_id', '=', receipt.submissionId)
      .orderBy('idx')
      .execute();
    expect(items.map((i) => i.kind)).toEqual(['video', 'photo']);
    for (const i of items) {
      const stored = readFileSync(path.join(stack.intake.mediaRoot as string, i.file));
      expect(createHash('sha256').update(stored).digest('hex')).toBe(i.sha256);
    }
    expect(readFileSync(path.join(stack.intake.mediaRoot as string, items[1]!.file)).equals(photo)).toBe(true);
    // Retention 0 days (the default): the booth's sealed copies go once the intake confirmed them.
    await eventually(() => !filesUnder(path.join(dataDir, 'media')).some((f) => f.includes(receipt.submissionId)), 'the copies deleted');
    expect(clearMedia(dataDir, [video, photo])).toEqual([]);
  });
});
