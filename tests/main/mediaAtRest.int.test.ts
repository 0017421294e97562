// Recordings at rest on the booth (issue 18): from the end of the core's checks on, a recording is
// kept only sealed (AES-256-GCM chunks, lib/sealed.ts) under the booth key; the intake still gets
// byte-identical clear media; the booth's copy goes when the intake confirms its sha256 (retention
// 0 days, the default). Real booth core + intake on 127.0.0.1; the scan reads every file under the
// booth's data folder, booth.db and its WAL included.
// Then the booth core in a child process, SIGKILLed while its boot sweep seals a clear media file
// (a booth from before sealing) and while a recording is in clear in its checks: nothing is lost,
// no half-sealed or clear copy is left, and everything is delivered once.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { isSealedMedia, loadOrCreateKey, openSealedMedia } from '../../lib/sealed.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { runCrashBooth } from '../support/crashChild.ts';
import { checkInvariant, fillOutbox, outboxReceipt } from '../support/deliveryInvariant.ts';
import { sampleJpeg, sampleVoiceWebm, sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';

const json = { 'content-type': 'application/json' };
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
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

/** The clear bytes of a sealed recording. */
async function opened(file: string, key: Buffer): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of (await openSealedMedia(file, key)).range(0)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
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

  it('after submit nothing under the data folder holds face video, voice or photos in clear; after delivery the copies are gone', async () => {
    const video = readFileSync(sampleWebm(2));
    const voice = readFileSync(sampleVoiceWebm());
    const photo = readFileSync(sampleJpeg());
    await stack.stopIntake(); // queued, not delivered: the booth must hold them sealed meanwhile
    const { sessionId } = await call<{ sessionId: string }>('/api/sessions', { method: 'POST', headers: json, body: '{}' });
    for (const [kind, mime, body] of [
      ['video', 'video/webm', video],
      ['audio', 'audio/webm', voice],
      ['photo', 'image/jpeg', photo],
    ] as const)
      await call(`/api/sessions/${sessionId}/items?kind=${kind}&mime=${mime}`, { method: 'PUT', headers: { 'content-type': mime }, body });
    const receipt = await call<{ submissionId: string }>(`/api/sessions/${sessionId}/submit`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    const dataDir = stack.core.dataDir;
    const kept = outboxReceipt(stack.core.outbox, receipt.submissionId);
    expect(kept.items).toHaveLength(3);
    expect(clearMedia(dataDir, [video, voice, photo])).toEqual([]);
    // What rests is the recording, sealed to the booth key: it opens to the bytes whose sha256 the booth recorded.
    const key = await loadOrCreateKey(path.join(dataDir, 'keys', 'booth.key'));
    for (const it of kept.items) {
      const file = path.join(stack.core.mediaDir, it.file);
      expect(isSealedMedia(readFileSync(file))).toBe(true);
      const clear = await opened(file, key);
      expect([clear.length, sha256(clear)]).toEqual([it.size, it.sha256]);
    }
    expect((await opened(path.join(stack.core.mediaDir, kept.items[2]!.file), key)).equals(photo)).toBe(true);

    await stack.startIntake();
    // Delivered, then (retention 0) purged: either way the intake has confirmed it.
    await eventually(() => stack.core.outbox.get(receipt.submissionId)?.deliveredAt, 'delivery');
    // The intake holds the clear bytes: the sha256 and size the booth recorded (the video and the
    // voice are the booth's remuxed copies; the photo is byte for byte the resident's).
    const items = await stack.intake.db
      .selectFrom('case_items')
      .select(['idx', 'kind', 'file'])
      .where('case_id', '=', receipt.submissionId)
      .orderBy('idx')
      .execute();
    expect(items.map((i) => i.kind)).toEqual(['video', 'audio', 'photo']);
    for (const [n, i] of items.entries()) {
      const stored = readFileSync(path.join(stack.intake.mediaRoot as string, i.file));
      expect([stored.length, sha256(stored)]).toEqual([kept.items[n]!.size, kept.items[n]!.sha256]);
    }
    expect(readFileSync(path.join(stack.intake.mediaRoot as string, items[2]!.file)).equals(photo)).toBe(true);
    // Retention 0 days (the default): the booth's sealed copies go once the intake confirmed them.
    await eventually(() => stack.core.outbox.get(receipt.submissionId)?.state === 'purged', 'the row purged');
    expect(existsSync(path.join(stack.core.mediaDir, receipt.submissionId))).toBe(false);
    expect(clearMedia(dataDir, [video, voice, photo])).toEqual([]);
  });
});

describe('a booth killed while sealing', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'seal-kill-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  /** One life of the booth core: until it kills itself at `point`, or (no point) until `until` is printed, then SIGKILL. */
  async function life(args: string[], point: string, until?: string): Promise<string[]> {
    const lines: string[] = [];
    const { child, exited } = runCrashBooth(args, { CRASH_POINT: point, CRASH_MEDIA: JSON.stringify(media) }, (l) => lines.push(l));
    if (point) await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    else await eventually(() => lines.includes(until!) || child.exitCode !== null, `${until} from the booth`, 120_000);
    child.kill('SIGKILL');
    await exited;
    return lines;
  }
  const media = [{ file: sampleWebm(2), kind: 'video', mime: 'video/webm' }];

  it(
    'the boot sweep finishes a half-sealed file and the checks leave nothing in clear: nothing lost, delivered once',
    { timeout: 300_000 },
    async () => {
      const boothDir = path.join(root, 'booth');
      const mediaDir = path.join(boothDir, 'media');
      // A booth from before sealing: two receipted submissions of 12 MiB each, in clear, not yet sent.
      const db = openBoothDb(path.join(boothDir, 'booth.db'));
      let outbox = new Outbox(db, 'Asia/Shanghai');
      const receipts = await fillOutbox(outbox, mediaDir, 2, () => 0.01, 'CR01', Date.now(), {
        maxBytes: 1024,
        bigBytes: 12 * 1024 * 1024,
      });
      db.close();
      const legacy = receipts.flatMap((r) => r.items.map((it) => readFileSync(path.join(mediaDir, it.file))));
      const intake = await createIntake({ dataDir: path.join(root, 'intake') });
      try {
        const intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
        const token = await issueCredential(intake.delivery, 'CR01', Date.now());
        const away = 'http://127.0.0.1:9'; // nothing listens: the first two lives deliver nothing

        // 1. Killed while the boot sweep seals: a half-written sealed temporary file; the clear files whole.
        expect(await life([boothDir, away, token, 'drain'], 'seal')).toContain('KILL seal');
        const after1 = filesUnder(mediaDir);
        const half = after1.filter((f) => path.basename(f).endsWith('.tmp'));
        expect(half).toHaveLength(1);
        expect(statSync(half[0]!).size).toBeLessThan(12 * 1024 * 1024);
        for (const r of receipts)
          for (const it of r.items) {
            const bytes = readFileSync(path.join(mediaDir, it.file));
            // Still the clear file with its recorded hash, or already the sealed one (one rename).
            if (!isSealedMedia(bytes)) expect(sha256(bytes)).toBe(it.sha256);
          }

        // 2. The next start: the sweep removes the half-sealed file and seals the clear ones (from the
        // start: the plaintext is re-read); then a resident's recording is killed in its checks.
        expect(await life([boothDir, away, token, 'drive', '1'], 'check')).toContain('KILL check');
        expect(filesUnder(mediaDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
        const key = await loadOrCreateKey(path.join(boothDir, 'keys', 'booth.key'));
        for (const r of receipts)
          for (const it of r.items) {
            const clear = await opened(path.join(mediaDir, it.file), key);
            expect([clear.length, sha256(clear)]).toEqual([it.size, it.sha256]);
          }
        const session = filesUnder(path.join(boothDir, 'sessions'));
        expect(session.some((f) => /\.(webm|jpg)$/.test(f))).toBe(true); // the recording in clear at the kill
        const video = readFileSync(media[0]!.file);
        expect(clearMedia(mediaDir, legacy)).toEqual([]);

        // 3. The intake is reachable: the start clears the unfinished session (no receipt was shown
        // for it), the queue drains, and the booth deletes what the intake confirmed.
        expect(await life([boothDir, intakeUrl, token, 'drain'], '', 'EMPTY')).toContain('READY');
        expect(filesUnder(path.join(boothDir, 'sessions'))).toEqual([]);
        const db2 = openBoothDb(path.join(boothDir, 'booth.db'));
        try {
          outbox = new Outbox(db2, 'Asia/Shanghai');
          expect(
            outbox
              .list(100)
              .map((r) => r.id)
              .sort(),
          ).toEqual(receipts.map((r) => r.submissionId).sort());
          expect(outbox.list(100).every((r) => r.deliveredAt !== null)).toBe(true);
          const report = await checkInvariant(receipts, mediaDir, intake.db, intake.mediaRoot, { outbox });
          expect(report).toMatchObject({ lost: [], duplicated: [], withoutReceipt: [], mediaMismatch: [], numberLost: [] });
        } finally {
          db2.close();
        }
        expect(clearMedia(boothDir, [...legacy, video])).toEqual([]);
      } finally {
        await intake.close();
      }
    },
  );
});
