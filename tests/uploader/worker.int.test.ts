// The upload worker against the real intake: a revoked booth keeps its data queued; a permanently
// refused submission is shown to technicians and does not block the others; `booth queue` lists,
// explains and retries; heartbeats reach the intake (latest per booth, history kept); retention
// deletes media only of delivered submissions, and only after N days.
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueCredential, revokeCredential } from '../../intake/boothCredentials.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { seal } from '../../lib/sealed.ts';
import { runCli } from '../../main/cli.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { buildHeartbeat, HeartbeatSender } from '../../uploader/heartbeat.ts';
import { Heartbeat } from '../../contract/booth.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { RetentionSweeper } from '../../uploader/retentionSweeper.ts';
import { buildManifest, UploadWorker } from '../../uploader/worker.ts';
import { systemClock } from '../../lib/clock.ts';
import { eventually } from '../support/stack.ts';

const FAST = { initialDelayMs: 20, factor: 2, capMs: 100, jitter: 0, maxRetryAfterMs: 100 };

interface Rig {
  root: string;
  intake: Intake;
  url: string;
  outbox: Outbox;
  mediaDir: string;
  client: IntakeLink;
  worker: UploadWorker;
  sealingKey: Buffer;
  /** The credential the booth presents (a technician may replace it). */
  token: { value: string };
  close(): Promise<void>;
}

let rig: Rig | null = null;
afterEach(async () => {
  await rig?.close();
  rig = null;
});

async function start(boothCode = 'WK01'): Promise<Rig> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'worker-'));
  const intake = await createIntake({ dataDir: path.join(root, 'intake') });
  const url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  const token = { value: await issueCredential(intake.delivery, boothCode, Date.now()) };
  const sealingKey = randomBytes(32);
  const boothDir = path.join(root, 'booth');
  const db = openBoothDb(path.join(boothDir, 'booth.db'));
  const outbox = new Outbox(db, 'Asia/Shanghai');
  const mediaDir = path.join(boothDir, 'media');
  const client = new IntakeLink({ intakeUrl: url, token: () => token.value, idleTimeoutMs: 2_000, inRequestDelaysMs: [0] });
  const worker = new UploadWorker({ outbox, client, mediaDir, sealingKey, retry: FAST, pollMs: 30, random: () => 0.5 });
  return {
    root,
    intake,
    url,
    outbox,
    mediaDir,
    client,
    worker,
    sealingKey,
    token,
    async close() {
      await worker.stop();
      client.close();
      db.close();
      await intake.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

async function save(
  r: Rig,
  opts: { mime?: string; boothCode?: string; personal?: Buffer | null } = {},
): Promise<{ id: string; caseNumber: string }> {
  const id = randomUUID();
  const file = path.join(id, '0.jpg');
  const w = await writeFileDurably(path.join(r.mediaDir, file), randomBytes(5_000));
  const { caseNumber } = r.outbox.commit(
    {
      id,
      boothCode: opts.boothCode ?? 'WK01',
      language: 'zh-CN',
      startedAt: new Date().toISOString(),
      details: { category: null, location: null },
      personalSealed: opts.personal ?? null,
      items: [
        {
          idx: 0,
          itemId: randomUUID(),
          kind: 'photo',
          mime: opts.mime ?? 'image/jpeg',
          camera: 'document',
          file,
          size: w.size,
          sha256: w.sha256,
          durationSec: null,
        },
      ],
    },
    Date.now(),
  );
  return { id, caseNumber };
}

/** How many 32-byte slices of `secret` occur in the raw bytes of `file` (none when it does not exist). */
function slicesIn(file: string, secret: Buffer): number {
  if (!existsSync(file)) return 0;
  const bytes = readFileSync(file);
  let found = 0;
  for (let i = 0; i + 32 <= secret.length; i += 32) if (bytes.includes(secret.subarray(i, i + 32))) found++;
  return found;
}

function cliIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('upload worker', () => {
  it('a revoked booth is refused with 401 and keeps its data queued; a new credential resumes it', async () => {
    rig = await start();
    await revokeCredential(rig.intake.delivery, 'WK01', Date.now());
    const { id } = await save(rig);
    rig.worker.start();
    await eventually(() => rig!.outbox.get(id)!.state === 'failed', 'a refused attempt');
    const row = rig.outbox.get(id)!;
    expect(row.permanentError).toBe(false);
    expect(row.lastError).toMatch(/401/);
    expect(existsSync(path.join(rig.mediaDir, id))).toBe(true);
    expect(await rig.intake.store.countCases()).toBe(0);
    // Re-enrolled: the new credential is picked up without a restart and the data goes.
    rig.token.value = await issueCredential(rig.intake.delivery, 'WK01', Date.now());
    await eventually(() => rig!.outbox.get(id)!.state === 'delivered', 'delivery after re-enrolment');
    expect(await rig.intake.store.countCases()).toBe(1);
  });

  it('a permanently refused submission is shown to technicians and does not block the queue; `booth queue` explains and retries it', async () => {
    rig = await start();
    const bad = await save(rig, { mime: 'text/plain' }); // the intake's schema refuses it (400)
    const good = [await save(rig), await save(rig)];
    rig.worker.start();
    await eventually(() => good.every((g) => rig!.outbox.get(g.id)!.state === 'delivered'), 'the good ones delivered');
    await eventually(() => rig!.outbox.get(bad.id)!.state === 'failed', 'the bad one failed');
    const row = rig.outbox.get(bad.id)!;
    expect(row.permanentError).toBe(true);
    expect(row.lastError).toMatch(/400/);
    await rig.worker.stop();

    // The CLI reads the same database.
    const dataDir = path.join(rig.root, 'booth');
    const list = cliIo();
    expect(await runCli(['queue', '--data', dataDir], list.io)).toBe(0);
    const listing = list.out.join('\n');
    expect(listing).toContain(bad.caseNumber);
    expect(listing).toMatch(/failed!/);
    expect(listing).not.toContain(good[0]!.caseNumber); // delivered rows only with --all
    const all = cliIo();
    await runCli(['queue', '--data', dataDir, '--all'], all.io);
    expect(all.out.join('\n')).toContain(good[0]!.caseNumber);
    const error = cliIo();
    expect(await runCli(['queue', 'error', bad.caseNumber, '--data', dataDir], error.io)).toBe(0);
    expect(error.out.join('\n')).toMatch(/refused for good[\s\S]*400/);
    const retry = cliIo();
    expect(await runCli(['queue', 'retry', bad.caseNumber, '--data', dataDir], retry.io)).toBe(0);
    expect(rig.outbox.get(bad.id)!.state).toBe('saved');
    const unknown = cliIo();
    expect(await runCli(['queue', 'retry', 'XX99-20260101-0001', '--data', dataDir], unknown.io)).toBe(1);
  });

  it('after a crash between the case being created and "delivered" being recorded, nothing is sent twice', async () => {
    rig = await start();
    const { id, caseNumber } = await save(rig);
    const items = rig.outbox.items(id);
    for (const it of items) {
      const up = await rig.client.uploadItem(
        { file: path.join(rig.mediaDir, it.file), size: it.size, sha256: it.sha256, submissionId: id, index: it.idx, uploadUrl: null },
        (url) => rig!.outbox.setUploadUrl(id, it.idx, url),
      );
      expect(up.ok).toBe(true);
    }
    const first = await rig.client.finalise(buildManifest(rig.outbox.get(id)!, items, rig.sealingKey));
    expect(first.ok).toBe(true);
    // The booth "died" here; on restart the worker asks before sending.
    const before = rig.client.transport.bytesSent;
    rig.worker.start();
    await eventually(() => rig!.outbox.get(id)!.state === 'delivered', 'delivered');
    expect(rig.client.transport.bytesSent - before).toBeLessThan(items[0]!.size);
    expect((await rig.intake.db.selectFrom('cases').select('case_number').execute()).map((c) => c.case_number)).toEqual([caseNumber]);
  });

  it('heartbeats: the intake keeps every one and the latest per booth', async () => {
    rig = await start();
    await save(rig);
    const r = rig;
    const sender = new HeartbeatSender({
      link: r.client,
      clock: systemClock,
      build: () =>
        buildHeartbeat({
          boothCode: 'WK01',
          version: '0.1.0',
          outbox: r.outbox,
          dataDir: r.mediaDir,
          devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' }),
          retention: { mediaDays: 7, diskAlertFraction: 0.9 },
          now: Date.now,
        }),
    });
    expect(await sender.sendNow()).toBe(200);
    expect(await sender.sendNow()).toBe(200);
    // A setting that refuses every recording (minFreeBytes near 2^53, as the enrolment e2e uses)
    // still makes a heartbeat the contract accepts: what recording needs is clamped, not overflowed.
    const extreme = await buildHeartbeat({
      boothCode: 'WK01',
      version: '0.1.0',
      outbox: r.outbox,
      dataDir: r.mediaDir,
      retention: { mediaDays: 7, diskAlertFraction: 0.9 },
      now: Date.now,
      devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' }),
      minFreeBytes: Number.MAX_SAFE_INTEGER,
      itemBytes: 10 ** 9,
    });
    expect(Heartbeat.safeParse(extreme).success).toBe(true);
    const latest = await r.intake.delivery.latest('WK01');
    expect(latest).toMatchObject({ version: '0.1.0', queueDepth: 1, devices: { idReader: 'missing' } });
    expect(latest!.diskTotalBytes).toBeGreaterThan(0);
    expect(await r.intake.delivery.heartbeatHistory('WK01')).toHaveLength(2);
    expect((await r.intake.delivery.latestHeartbeats()).map((h) => h.booth_code)).toEqual(['WK01']);
    // Another booth's heartbeat under this credential is refused.
    const forged = await fetch(`${r.url}/api/v1/heartbeats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: r.client.authorization },
      body: JSON.stringify({ ...(await sender['o'].build()), boothCode: 'XX01' }),
    });
    expect(forged.status).toBe(403);
  });

  it('a disk below the free space the booth needs to record raises the alert the back office sees', async () => {
    rig = await start();
    const r = rig;
    // The real file system of the test machine, and a refusal threshold above its free space: the
    // state in which the kiosk turns residents away (main/disk.ts) must reach the fleet view.
    const hb = await buildHeartbeat({
      boothCode: 'WK01',
      version: '0.1.0',
      outbox: r.outbox,
      dataDir: r.root,
      devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' }),
      retention: { mediaDays: 7, diskAlertFraction: 1 },
      minFreeBytes: Number.MAX_SAFE_INTEGER,
      now: Date.now,
    });
    expect(hb.alerts).toEqual([expect.stringMatching(/^disk nearly full: \d+ MiB free, below the \d+ MiB the booth needs/)]);
    const sender = new HeartbeatSender({ link: r.client, clock: systemClock, build: async () => hb });
    expect(await sender.sendNow()).toBe(200);
    expect(JSON.parse((await r.intake.delivery.heartbeatHistory('WK01', 1))[0]!.alerts_json)).toEqual(hb.alerts);
    // With room to spare, no alert.
    const fine = await buildHeartbeat({
      boothCode: 'WK01',
      version: '0.1.0',
      outbox: r.outbox,
      dataDir: r.root,
      devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' }),
      retention: { mediaDays: 7, diskAlertFraction: 1 },
      minFreeBytes: 1,
      now: Date.now,
    });
    expect(fine.alerts).toEqual([]);
  });

  it('identity leaves the disk with the delivery: no slice of the sealed block in booth.db or booth.db-wal', async () => {
    rig = await start();
    const dbFile = path.join(rig.root, 'booth', 'booth.db');
    // One block that fits in its row's page and one that spills into overflow pages.
    const small = seal(Buffer.from(JSON.stringify({ phone: '13800000000' })), rig.sealingKey);
    const large = seal(Buffer.from(JSON.stringify({ phone: '13900000000', padding: randomBytes(6_000).toString('hex') })), rig.sealingKey);
    const sent = [await save(rig, { personal: small }), await save(rig, { personal: large })];
    const onDisk = (secret: Buffer) => slicesIn(dbFile, secret) + slicesIn(`${dbFile}-wal`, secret);
    // The scan can see them: before delivery the blocks are on disk (in the WAL, just committed).
    expect(onDisk(small)).toBeGreaterThan(0);
    expect(onDisk(large)).toBeGreaterThan(large.length / 32 / 2);
    rig.worker.start();
    await eventually(() => sent.every((s) => rig!.outbox.get(s.id)!.state === 'delivered'), 'both delivered');
    // No waiting for an automatic checkpoint or a sweep: gone from both files once delivered.
    expect(onDisk(small)).toBe(0);
    expect(onDisk(large)).toBe(0);
  });

  it('a reader holding the old snapshot delays the scrub; the next retention sweep finishes it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scrub-'));
    const file = path.join(dir, 'booth.db');
    const db = openBoothDb(file);
    const reader = openBoothDb(file);
    try {
      db.pragma('busy_timeout = 50'); // the blocked checkpoint gives up at once instead of after 5 s
      const outbox = new Outbox(db, 'Asia/Shanghai');
      const id = randomUUID();
      const secret = seal(
        Buffer.from(JSON.stringify({ phone: '13800000000', padding: randomBytes(3_000).toString('hex') })),
        randomBytes(32),
      );
      const item = {
        idx: 0,
        itemId: randomUUID(),
        kind: 'photo' as const,
        mime: 'image/jpeg',
        camera: 'document' as const,
        file: `${id}/0.jpg`,
        size: 1,
        sha256: 'a'.repeat(64),
        durationSec: null,
      };
      outbox.commit(
        {
          id,
          boothCode: 'WK01',
          language: 'zh-CN',
          startedAt: new Date().toISOString(),
          details: { category: null, location: null },
          personalSealed: secret,
          items: [item],
        },
        Date.now(),
      );
      const onDisk = () => slicesIn(file, secret) + slicesIn(`${file}-wal`, secret);
      // The `booth queue` CLI, say, in the middle of a read: its snapshot still holds the block.
      reader.exec('BEGIN');
      reader.prepare('SELECT COUNT(*) FROM submissions').get();
      outbox.transition(id, { type: 'claim' });
      outbox.transition(id, { type: 'delivered' });
      expect(outbox.get(id)!.personalSealed).toBeNull();
      expect(onDisk()).toBeGreaterThan(0);
      reader.exec('COMMIT');
      const sweeper = new RetentionSweeper({ outbox, mediaDir: dir, config: { mediaDays: 7, diskAlertFraction: 1 }, clock: systemClock });
      await sweeper.sweep();
      expect(onDisk()).toBe(0);
    } finally {
      reader.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('commits at 立即上传 never checkpoint (the WAL holds them, fsynced); the retention sweep copies them into booth.db', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ckpt-'));
    const file = path.join(dir, 'booth.db');
    const db = openBoothDb(file);
    try {
      const outbox = new Outbox(db, 'Asia/Shanghai');
      outbox.applyAuthority({ caseSequence: {}, residentBlock: { start: 50_000_000, size: 1_000 } }, Date.now());
      const commit = (i: number) => {
        const id = randomUUID();
        const item = {
          idx: 0,
          itemId: randomUUID(),
          kind: 'video' as const,
          mime: 'video/webm',
          camera: 'face' as const,
          file: `${id}/0.webm`,
          size: 1,
          sha256: 'a'.repeat(64),
          durationSec: 1,
        };
        return outbox.commit(
          {
            id,
            boothCode: 'WK01',
            language: 'zh-CN',
            startedAt: new Date().toISOString(),
            details: { category: null, location: null },
            personalSealed: null,
            items: [item],
          },
          Date.UTC(2026, 0, 1) + i * 60_000,
        );
      };
      db.pragma('wal_checkpoint(TRUNCATE)');
      const dbBytes = statSync(file).size;
      // More pages than SQLite's default automatic checkpoint (1,000) would have let through.
      const receipts = Array.from({ length: 200 }, (_, i) => commit(i));
      expect(new Set(receipts.map((r) => r.residentNumber)).size).toBe(200); // the cached statements still number each once
      const frames = (statSync(`${file}-wal`).size - 32) / (4096 + 24);
      expect(frames).toBeGreaterThan(1_000);
      expect(statSync(file).size).toBe(dbBytes);
      const sweeper = new RetentionSweeper({ outbox, mediaDir: dir, config: { mediaDays: 7, diskAlertFraction: 1 }, clock: systemClock });
      await sweeper.sweep();
      expect(statSync(file).size).toBeGreaterThan(dbBytes);
      const fresh = openBoothDb(file);
      expect((fresh.prepare('SELECT COUNT(*) AS n FROM submissions').get() as { n: number }).n).toBe(200);
      fresh.close();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('retention: identity goes with delivery, media on the confirmation or after N days, unsent media never', async () => {
    rig = await start();
    const sent = await save(rig, { personal: seal(Buffer.from('{"phone":"13800000000"}'), rig.sealingKey) });
    const unsent = await save(rig, { boothCode: 'WK01' });
    rig.worker.start();
    await eventually(
      () => rig!.outbox.get(sent.id)!.state === 'delivered' && rig!.outbox.get(unsent.id)!.state === 'delivered',
      'both delivered',
    );
    await rig.worker.stop();
    expect(rig.outbox.get(sent.id)!.personalSealed).toBeNull();
    // A third one that stays unsent (the worker is stopped).
    const waiting = await save(rig);
    let now = Date.now();
    const clock = { ...systemClock, now: () => now };
    // The days are the back office's setting (mediaRetentionDays), read at each use.
    let days = 7;
    const sweeper = new RetentionSweeper({
      outbox: rig.outbox,
      mediaDir: rig.mediaDir,
      config: {
        get mediaDays() {
          return days;
        },
        diskAlertFraction: 1,
      },
      clock,
    });
    expect(await sweeper.sweep()).toMatchObject({ purged: 0 });
    // On the intake's confirmation (the core wires the worker's onDelivered here): kept while the
    // setting says 7 days, never for an unsent one; at 0 days deleted at once.
    expect(await sweeper.afterDelivery(sent.id)).toBe(false);
    expect(await sweeper.afterDelivery(waiting.id)).toBe(false);
    expect(existsSync(path.join(rig.mediaDir, sent.id))).toBe(true);
    days = 0;
    expect(await sweeper.afterDelivery(unsent.id)).toBe(true);
    expect(rig.outbox.get(unsent.id)!.state).toBe('purged');
    expect(existsSync(path.join(rig.mediaDir, unsent.id))).toBe(false);
    expect(await sweeper.afterDelivery(waiting.id)).toBe(false);
    expect(existsSync(path.join(rig.mediaDir, waiting.id))).toBe(true);
    days = 7;
    now += 7 * 86_400_000 + 1;
    expect(await sweeper.sweep()).toMatchObject({ purged: 1 });
    expect(rig.outbox.get(sent.id)!.state).toBe('purged');
    expect(existsSync(path.join(rig.mediaDir, sent.id))).toBe(false);
    now += 1000 * 86_400_000;
    await sweeper.sweep();
    expect(rig.outbox.get(waiting.id)!.state).toBe('saved');
    expect(existsSync(path.join(rig.mediaDir, waiting.id))).toBe(true);
    // The disk alert is raised past the threshold (any real disk is fuller than 0.1 %).
    const alerting = new RetentionSweeper({
      outbox: rig.outbox,
      mediaDir: rig.mediaDir,
      config: { mediaDays: 7, diskAlertFraction: 0.1 },
      clock,
    });
    await alerting.sweep();
    expect(alerting.alert).toMatch(/disk .* full/);
  });
});
