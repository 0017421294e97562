// `intake backup` / `intake restore` as real CLI processes (issue 16), on both stores: SQLite (online
// backup API) and PostgreSQL (pg_dump / pg_restore into an empty database). A booth delivers a case
// with a video and a callback phone; the running intake is backed up; a second intake is brought up
// from the backup in an empty data folder and plays the case's media to a staff login
// byte-identical (sha256 checked against the booth's), and opens the sealed phone with the restored
// keys (the status page's number + last 4 digits lookup). A tampered backup and a non-empty target
// are refused. With the media on the object store (PostgreSQL + a real Swift s3api): the backup
// lists the bucket's objects with their hashes instead of copying them, a restore brings a second
// intake up on the same bucket that plays the media byte-identical, and a restore whose bucket lost
// an object exits 1 naming it.
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SubmissionManifest } from '../../contract/booth.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';
import type { BackupManifest } from '../../intake/backup.ts';
import type { StorageSettings } from '../../intake/media/storage.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { sampleWebm } from '../support/fakeMedia.ts';
import { storeMatrix, type StoreKind } from '../support/postgres.ts';
import { seedUser, staffLogin } from '../support/staff.ts';
import { startSwift, type Swift } from '../support/swift.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const matrix = storeMatrix('backupRestore');
afterAll(() => matrix.stop());

function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INTAKE_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'intake/cli.ts', ...args],
      { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'silent', ...env }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A booth delivers one case: a 2 s video and a callback phone (sealed with the intake's contact key). */
async function deliverCase(intake: Intake, url: string, id: string, video: Buffer): Promise<void> {
  const token = await issueCredential(intake.delivery, 'BK01', Date.now());
  const link = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 30_000 });
  const up = await link.uploadItem(
    { file: sampleWebm(2), size: video.length, sha256: sha(video), submissionId: id, index: 0, uploadUrl: null },
    () => {},
  );
  expect(up.ok).toBe(true);
  const now = new Date().toISOString();
  const m: SubmissionManifest = {
    submissionId: id,
    caseNumber: 'BK01-20261207-0001',
    residentNumber: null,
    boothCode: 'BK01',
    language: 'zh-CN',
    startedAt: now,
    savedAt: now,
    details: { category: null, location: null },
    contact: { phone: '13800001234' },
    identity: null,
    items: [
      {
        index: 0,
        itemId: randomUUID(),
        kind: 'video',
        mime: 'video/webm',
        camera: 'face',
        size: video.length,
        sha256: sha(video),
        durationSec: 2,
      },
    ],
  };
  expect((await link.finalise(m)).ok).toBe(true);
  await intake.playback.idle();
}

describe.each(matrix.stores)('backup and restore on %s', (store: StoreKind) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'backup-'));
  const video = readFileSync(sampleWebm(2));
  const id = randomUUID();
  let source: Intake;
  let sourceEnv: Record<string, string>;
  let targetUrl: string | undefined;
  let restored: Intake | undefined;

  beforeAll(async () => {
    const { databaseUrl } = await matrix.options(store, 'backup_source');
    targetUrl = (await matrix.options(store, 'backup_target')).databaseUrl;
    sourceEnv = { INTAKE_DATA: path.join(root, 'source'), ...(databaseUrl ? { INTAKE_DATABASE_URL: databaseUrl } : {}) };
    source = await createIntake({ dataDir: sourceEnv.INTAKE_DATA!, ...(databaseUrl ? { databaseUrl } : {}) });
    const url = await source.app.listen({ host: '127.0.0.1', port: 0 });
    await seedUser(source.db, 'clerk', 'viewer');
    await deliverCase(source, url, id, video);
  }, 180_000);

  afterAll(async () => {
    await restored?.close();
    await source?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('backs up the running intake: database, keys, media with hashes', async () => {
    const r = await cli(['backup', '--out', path.join(root, 'backup')], sourceEnv);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(root, 'backup', 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest.database.kind).toBe(store);
    expect(manifest.keys.map((k) => k.file)).toContain('keys/contact.key');
    const original = manifest.media.find((x) => x.key.endsWith('0.original.webm'));
    expect(original).toMatchObject({ size: video.length, sha256: sha(video), copied: true });
    expect(manifest.media.some((x) => x.key.includes('.playback.'))).toBe(true);
  }, 120_000);

  it('restores into an empty data folder; the second intake plays the media byte-identical and opens the sealed phone', async () => {
    const target = path.join(root, 'restored');
    const env = { INTAKE_DATA: target, ...(targetUrl ? { INTAKE_DATABASE_URL: targetUrl } : {}) };
    const r = await cli(['restore', '--from', path.join(root, 'backup')], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Restoring again over it is refused.
    expect((await cli(['restore', '--from', path.join(root, 'backup')], env)).code).toBe(1);
    restored = await createIntake({ dataDir: target, ...(targetUrl ? { databaseUrl: targetUrl } : {}) });
    const url = await restored.app.listen({ host: '127.0.0.1', port: 0 });
    const staff = await staffLogin(url, 'clerk');
    const res = await fetch(`${url}/staff/media/${id}/0/original`, { headers: { cookie: staff.cookie } });
    expect(res.status).toBe(200);
    const played = Buffer.from(await res.arrayBuffer());
    expect(sha(played)).toBe(sha(video));
    expect(played.equals(video)).toBe(true);
    expect((await fetch(`${url}/staff/media/${id}/0/playback`, { headers: { cookie: staff.cookie, range: 'bytes=0-99' } })).status).toBe(
      206,
    );
    const look = await fetch(`${url}/api/status/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ number: 'BK01-20261207-0001', phoneLast4: '1234' }),
    });
    expect(look.status).toBe(200);
  }, 120_000);

  it('refuses a backup whose files do not match its manifest', async () => {
    appendFileSync(path.join(root, 'backup', 'keys', 'contact.key'), 'x');
    const r = await cli(['restore', '--from', path.join(root, 'backup')], { INTAKE_DATA: path.join(root, 'elsewhere') });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/keys\/contact\.key does not match/);
  }, 60_000);
});

describe('backup and restore with the media on the object store (PostgreSQL + Swift s3api)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'backup-s3-'));
  const video = readFileSync(sampleWebm(2));
  const id = randomUUID();
  const BUCKET = 'shuoba-backup';
  let swift: Swift;
  let storage: StorageSettings & { kind: 's3' };
  let s3Env: Record<string, string>;
  let source: Intake | undefined;
  let restored: Intake | undefined;

  beforeAll(async () => {
    if (!matrix.stores.includes('postgres')) throw new Error('PostgreSQL 15 is required (scripts/setup.sh installs it)');
    swift = await startSwift();
    storage = {
      kind: 's3',
      endpoint: swift.endpoint,
      region: swift.region,
      bucket: BUCKET,
      accessKeyId: swift.accessKeyId,
      secretAccessKey: swift.secretAccessKey,
    };
    s3Env = {
      INTAKE_STORAGE: 's3',
      INTAKE_S3_ENDPOINT: swift.endpoint,
      INTAKE_S3_BUCKET: BUCKET,
      INTAKE_S3_REGION: swift.region,
      INTAKE_S3_ACCESS_KEY_ID: swift.accessKeyId,
      INTAKE_S3_SECRET_ACCESS_KEY: swift.secretAccessKey,
    };
    const { databaseUrl } = await matrix.options('postgres', 'backup_s3_source');
    source = await createIntake({ dataDir: path.join(root, 'source'), databaseUrl: databaseUrl!, storage });
    const url = await source.app.listen({ host: '127.0.0.1', port: 0 });
    await seedUser(source.db, 'clerk', 'viewer');
    await deliverCase(source, url, id, video);
    const r = await cli(['backup', '--out', path.join(root, 'backup')], {
      ...s3Env,
      INTAKE_DATA: path.join(root, 'source'),
      INTAKE_DATABASE_URL: databaseUrl!,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  }, 300_000);

  afterAll(async () => {
    await restored?.close();
    await source?.close();
    await swift?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the objects with their hashes instead of copying them; a restore on the same bucket plays the media byte-identical', async () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'backup', 'manifest.json'), 'utf8')) as BackupManifest;
    expect(manifest.storage).toMatchObject({ kind: 's3' });
    expect(manifest.database.kind).toBe('postgres');
    const original = manifest.media.find((x) => x.key === `${id}/0.original.webm`);
    expect(original).toMatchObject({ size: video.length, sha256: sha(video), copied: false });
    expect(manifest.media.some((x) => x.key.includes('.playback.'))).toBe(true);
    expect(existsSync(path.join(root, 'backup', 'media'))).toBe(false);

    const databaseUrl = (await matrix.options('postgres', 'backup_s3_target')).databaseUrl!;
    const target = path.join(root, 'restored');
    const r = await cli(['restore', '--from', path.join(root, 'backup')], {
      ...s3Env,
      INTAKE_DATA: target,
      INTAKE_DATABASE_URL: databaseUrl,
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    restored = await createIntake({ dataDir: target, databaseUrl, storage });
    const url = await restored.app.listen({ host: '127.0.0.1', port: 0 });
    const staff = await staffLogin(url, 'clerk');
    const played = Buffer.from(
      await (await fetch(`${url}/staff/media/${id}/0/original`, { headers: { cookie: staff.cookie } })).arrayBuffer(),
    );
    expect(played.equals(video)).toBe(true);
    const ranged = await fetch(`${url}/staff/media/${id}/0/playback`, { headers: { cookie: staff.cookie, range: 'bytes=0-99' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(100);
  }, 180_000);

  it('a restore whose bucket lost a listed object exits 1 and names it', async () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'backup', 'manifest.json'), 'utf8')) as BackupManifest;
    const original = manifest.media.find((x) => x.key === `${id}/0.original.webm`)!;
    await source!.media.delete(original.key);
    const databaseUrl = (await matrix.options('postgres', 'backup_s3_lost')).databaseUrl!;
    const r = await cli(['restore', '--from', path.join(root, 'backup')], {
      ...s3Env,
      INTAKE_DATA: path.join(root, 'lost'),
      INTAKE_DATABASE_URL: databaseUrl,
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('1 media objects listed in the backup are missing from the object store');
    expect(r.stderr).toContain(original.key);
    // Only that one: the playback copy and poster are still there.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('  ')).length).toBe(1);
  }, 180_000);
});
