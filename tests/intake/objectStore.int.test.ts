// Media and partial uploads on an S3-compatible object store (issue 16), against a real one the test
// starts: OpenStack Swift with s3api (tests/support/swift.ts). A booth delivers a video and a 7 MB
// item over tus (the large one crosses the 5 MiB part size: a real multipart upload); the case's
// media are byte-identical in the bucket under media/, the upload objects are gone, nothing is
// written to the local media or uploads folders; the playback copy is made from the object store and
// put back there; the staff player gets byte ranges (206) and the whole original; readiness
// touches the object store (503 `storage` once Swift is stopped). An upload whose parts were all
// stored but never completed (its process killed between the two) is completed by the next process.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionManifest } from '../../contract/booth.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { readAll, type S3MediaStore } from '../../intake/media/mediaStore.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { S3Uploads } from '../../intake/media/uploadBackend.ts';
import { Upload } from '@tus/utils';
import { Readable } from 'node:stream';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { sampleWebm } from '../support/fakeMedia.ts';
import { seedUser, staffLogin } from '../support/staff.ts';
import { startSwift, type Swift } from '../support/swift.ts';
import { startChaosProxy } from '../support/chaosProxy.ts';
import { submissionManifest } from '../../testkit/manifest.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-s3-'));
const BUCKET = 'shuoba-intake';
let swift: Swift;
let intake: Intake;
let url: string;
let token: string;

beforeAll(async () => {
  swift = await startSwift();
  intake = await createIntake({
    dataDir: path.join(root, 'intake'),
    storage: {
      kind: 's3',
      endpoint: swift.endpoint,
      region: swift.region,
      bucket: BUCKET,
      accessKeyId: swift.accessKeyId,
      secretAccessKey: swift.secretAccessKey,
    },
  });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  token = await issueCredential(intake.delivery, 'S301', Date.now());
  await seedUser(intake.db, 'clerk', 'viewer');
}, 300_000);

afterAll(async () => {
  await intake?.close();
  await swift?.stop();
  rmSync(root, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('intake media on an S3-compatible object store (Swift s3api)', () => {
  const id = randomUUID();
  const video = readFileSync(sampleWebm(2));
  const big = randomBytes(7 * 1024 * 1024 + 123);

  it('takes a submission over tus into the bucket: byte-identical media, upload objects gone, no local files', async () => {
    expect(intake.media.kind).toBe('s3');
    const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 30_000 });
    const files = [video, big].map((b, i) => {
      const f = path.join(root, `${i}.bin`);
      writeFileSync(f, b);
      return f;
    });
    const items: SubmissionManifest['items'] = [];
    for (const [index, bytes] of [video, big].entries()) {
      const up = await client.uploadItem(
        { file: files[index]!, size: bytes.length, sha256: sha(bytes), submissionId: id, index, uploadUrl: null },
        () => {},
      );
      expect(up.ok).toBe(true);
      items.push({
        index,
        itemId: randomUUID(),
        kind: index === 0 ? 'video' : 'photo',
        mime: index === 0 ? 'video/webm' : 'image/jpeg',
        camera: index === 0 ? 'face' : 'document',
        size: bytes.length,
        sha256: sha(bytes),
        durationSec: index === 0 ? 2 : null,
      });
    }
    const m = submissionManifest('S301', id, 'S301-20261207-0001', items);
    const r = await client.finalise(m);
    expect(r.ok).toBe(true);
    const rows = await intake.db
      .selectFrom('case_items')
      .select(['idx', 'file', 'size', 'sha256'])
      .where('case_id', '=', id)
      .orderBy('idx')
      .execute();
    expect(rows.map((x) => x.size)).toEqual([video.length, big.length]);
    expect((await readAll(intake.media, rows[0]!.file)).equals(video)).toBe(true);
    expect((await readAll(intake.media, rows[1]!.file)).equals(big)).toBe(true);
    expect(await intake.media.hash(rows[1]!.file)).toEqual({ size: big.length, sha256: sha(big) });
    // Only media/ is left in the bucket: the uploads' data, .info and .part objects went with delivery.
    const s3 = intake.media as S3MediaStore;
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const keys = (listed.Contents ?? []).map((o) => o.Key!);
    expect(keys.filter((k) => !k.startsWith('media/'))).toEqual([]);
    expect(keys).toEqual(expect.arrayContaining([`media/${rows[0]!.file}`, `media/${rows[1]!.file}`]));
    for (const local of ['media', 'uploads']) {
      const dir = path.join(root, 'intake', local);
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
    }
  }, 120_000);

  it('renders the playback copy from the store into the store; the staff player gets ranges and the whole original', async () => {
    await intake.playback.idle();
    const item = await intake.db
      .selectFrom('case_items')
      .selectAll()
      .where('case_id', '=', id)
      .where('idx', '=', 0)
      .executeTakeFirstOrThrow();
    expect(item.playback_state).toBe('ready');
    expect(await intake.media.size(item.playback_file!)).toBeGreaterThan(1000);
    expect(await intake.media.size(item.poster_file!)).toBeGreaterThan(100);
    const staff = await staffLogin(url, 'clerk');
    const get = (variant: string, range?: string) =>
      fetch(`${url}/staff/media/${id}/0/${variant}`, { headers: { cookie: staff.cookie, ...(range ? { range } : {}) } });
    const whole = await get('original');
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.headers.get('content-type')).toBe('video/webm');
    expect(Buffer.from(await whole.arrayBuffer()).equals(video)).toBe(true);
    const part = await get('original', 'bytes=100-199');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${video.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(video.subarray(100, 200))).toBe(true);
    const tail = await get('original', 'bytes=-50');
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(video.subarray(video.length - 50))).toBe(true);
    expect((await get('original', `bytes=${video.length}-`)).status).toBe(416);
    // A WebM from the booth plays as is: its playback copy is a stream copy (WebM), not a transcode.
    const copy = await get('playback', 'bytes=0-');
    expect(copy.status).toBe(206);
    expect(copy.headers.get('content-type')).toBe('video/webm');
    expect((await copy.arrayBuffer()).byteLength).toBe(await intake.media.size(item.playback_file!));
    expect((await fetch(`${url}/staff/media/${id}/0/original`)).status).toBe(401); // behind the login
  }, 120_000);

  it('keeps every byte of a PATCH cut past a part and in a tail: the next HEAD says what arrived', async () => {
    // Cut once after a whole 5 MiB part plus an odd tail, once inside the next part: the offset after
    // each cut is exactly the body bytes that reached the intake (a stored part, and a `.part` tail
    // for what is shorter than a part), nothing rounded down to a part.
    const port = Number(new URL(url).port);
    const proxy = await startChaosProxy(port);
    const bytes = randomBytes(7 * 1024 * 1024 + 77);
    const file = path.join(root, 'cut.bin');
    writeFileSync(file, bytes);
    const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 30_000, inRequestDelaysMs: [] });
    const item = { file, size: bytes.length, sha256: sha(bytes), submissionId: randomUUID(), index: 0 };
    let uploadUrl: string | null = null;
    let offset = 0;
    try {
      for (const afterBytes of [5 * 1024 * 1024 + 100_001, 700_003]) {
        proxy.setScript(() => ({ kind: 'reset', afterBytes, flushUpstream: true, method: 'PATCH' }));
        expect((await client.uploadItem({ ...item, uploadUrl }, (u) => void (uploadUrl = u))).ok).toBe(false);
        const received = proxy.stats.cutLog.at(-1)!.bodyForwarded;
        const res = await fetch(`${url}${new URL(uploadUrl!).pathname}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' },
        });
        expect(Number(res.headers.get('upload-offset')) - offset).toBe(received);
        offset += received;
      }
      proxy.setScript(() => ({ kind: 'pass' }));
      // The intake checks the finished bytes against the sha256 (a mismatch answers 460): ok = identical.
      expect((await client.uploadItem({ ...item, uploadUrl }, () => {})).ok).toBe(true);
    } finally {
      client.close();
      await proxy.close();
    }
  }, 120_000);

  it('completes an upload whose parts were all stored but which its process never completed (SIGKILL between the two)', async () => {
    // The scale test's second fault: the intake process writing an item's last part was SIGKILLed
    // before CompleteMultipartUpload. Its parts add up to the size, so the next HEAD said "done",
    // and every finalise read back an object that never came to be (500 NoSuchKey, for ever).
    // Process A is made to die at exactly that step (its completion throws); process B, the
    // survivor with its own store object on the same bucket, is then asked about the upload.
    const settings = {
      endpoint: swift.endpoint,
      region: swift.region,
      bucket: BUCKET,
      accessKeyId: swift.accessKeyId,
      secretAccessKey: swift.secretAccessKey,
    };
    const media = intake.media as S3MediaStore;
    const a = new S3Uploads(settings, media, 86_400_000);
    const b = new S3Uploads(settings, media, 86_400_000);
    const bytes = randomBytes(5 * 1024 * 1024 + 4_321); // two parts, the last one short
    const uploadId = randomUUID().replaceAll('-', '');
    await a.datastore.create(new Upload({ id: uploadId, size: bytes.length, offset: 0, metadata: {} }));
    Object.assign(a.datastore, {
      finishMultipartUpload: () => Promise.reject(new Error('SIGKILL: the process is gone before CompleteMultipartUpload')),
    });
    await expect(a.datastore.write(Readable.from([bytes]), uploadId, 0)).rejects.toThrow(/SIGKILL/);
    // The booth's HEAD on the survivor: every byte is there, and now so is the object.
    expect((await b.datastore.getUpload(uploadId)).offset).toBe(bytes.length);
    expect(await b.hash(uploadId)).toEqual({ size: bytes.length, sha256: sha(bytes) });
    // Asked again (a second HEAD, the finalise's check), it is simply finished.
    expect((await b.datastore.getUpload(uploadId)).offset).toBe(bytes.length);
    await b.discard(uploadId);
    expect(await b.exists(uploadId)).toBe(false);
  }, 120_000);

  it('is ready while the object store answers, and not ready (storage) once it is gone', async () => {
    expect(await (await fetch(`${url}/api/v1/ready`)).json()).toEqual({ ok: true });
    // Checks that overlap (the load balancer's, the monitoring's) each use their own probe object:
    // with one per process, one check deleted what another was about to read and failed it.
    const overlapping = await Promise.all(Array.from({ length: 8 }, () => fetch(`${url}/api/v1/ready`).then((x) => x.json())));
    expect(overlapping).toEqual(Array.from({ length: 8 }, () => ({ ok: true })));
    await swift.stop();
    const r = await fetch(`${url}/api/v1/ready`);
    expect(r.status).toBe(503);
    expect(await r.json()).toMatchObject({ ok: false, error: { code: 'not_ready', failed: ['storage'] } });
  }, 60_000);
});
