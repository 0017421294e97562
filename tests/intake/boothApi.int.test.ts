// The booth API's idempotency and authentication, heartbeats reaching the fleet view — against the real
// intake on 127.0.0.1, on both stores (SQLite, the default, and Postgres 15, the scale-out store).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential, revokeCredential } from '../../intake/boothCredentials.ts';
import type { SubmissionManifest } from '../../intake/contract.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { BoothClient } from '../../uploader/boothClient.ts';
import { storeMatrix, type StoreKind } from '../support/postgres.ts';
import { seedUser, staffLogin } from '../support/staff.ts';

const matrix = storeMatrix('boothApi');
afterAll(() => matrix.stop());

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  // Media (tus uploads, items) stay in the local data directory whichever store holds the rows.
  const root = mkdtempSync(path.join(os.tmpdir(), 'boothapi-'));
  let intake: Intake;
  let url: string;
  let token: string;

  beforeAll(async () => {
    intake = await createIntake({ dataDir: path.join(root, 'intake'), ...(await matrix.options(store, 'booth_api')) });
    url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    token = await issueCredential(intake.delivery, 'ID01', Date.now());
  });
  afterAll(async () => {
    await intake.close();
    rmSync(root, { recursive: true, force: true });
  });

  let seq = 0;
  /** Uploads one item over tus and returns a manifest for it. */
  async function prepared(client: BoothClient, boothCode = 'ID01'): Promise<SubmissionManifest> {
    const id = randomUUID();
    const bytes = randomBytes(20_000 + Math.floor(Math.random() * 1000));
    const file = path.join(root, `${id}.jpg`);
    writeFileSync(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const up = await client.uploadItem({ file, size: bytes.length, sha256, submissionId: id, index: 0, uploadUrl: null }, () => {});
    expect(up.ok).toBe(true);
    const now = new Date().toISOString();
    return {
      submissionId: id,
      caseNumber: `${boothCode}-20261125-${String(++seq).padStart(4, '0')}`,
      boothCode,
      language: 'zh-CN',
      startedAt: now,
      savedAt: now,
      details: { category: null, location: null },
      contact: { phone: null },
      identity: null,
      items: [{ index: 0, itemId: randomUUID(), kind: 'photo', mime: 'image/jpeg', camera: 'document', size: bytes.length, sha256, durationSec: null }],
    };
  }

  const post = (manifest: unknown, headers: Record<string, string>) =>
    fetch(`${url}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(manifest) });

  describe('idempotency', () => {
    it('replays the stored answer for the same key and body', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const first = await client.finalise(m);
      const again = await client.finalise(m);
      expect(first.ok && again.ok).toBe(true);
      if (first.ok && again.ok) expect(again.ack).toEqual(first.ack);
      expect(await intake.store.countCases()).toBeGreaterThan(0);
      expect((await intake.db.selectFrom('cases').selectAll().where('id', '=', m.submissionId).execute()).length).toBe(1);
    });

    it('refuses the same key with a different body (422), and a missing key (400)', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      expect((await client.finalise(m)).ok).toBe(true);
      const changed = await client.finalise({ ...m, details: { category: 'noise', location: null } });
      expect(changed).toMatchObject({ ok: false, outcome: { status: 422 }, code: 'idempotency_conflict' });
      const noKey = await post(m, { authorization: `Bearer ${token}` });
      expect(noKey.status).toBe(400);
      const otherKey = await post(m, { authorization: `Bearer ${token}`, 'idempotency-key': `"${randomUUID()}"` });
      expect(otherKey.status).toBe(400);
    });

    it('answers concurrent duplicates with 409, then the stored answer', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const results = await Promise.all(Array.from({ length: 6 }, () => client.finalise(m)));
      const statuses = results.map((r) => (r.ok ? 'ok' : (r.outcome as { status: number }).status));
      expect(statuses).toContain('ok');
      expect(statuses.filter((s) => s !== 'ok' && s !== 409)).toEqual([]);
      expect(statuses).toContain(409);
      const later = await client.finalise(m);
      expect(later.ok).toBe(true);
      expect((await intake.db.selectFrom('cases').selectAll().where('id', '=', m.submissionId).execute()).length).toBe(1);
    });

    it('refuses a manifest whose items were not uploaded (422 items_missing)', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const lying = { ...m, items: [{ ...m.items[0]!, sha256: 'a'.repeat(64) }] };
      expect(await client.finalise(lying)).toMatchObject({ ok: false, code: 'items_missing', missing: [0] });
    });
  });

  describe('authentication', () => {
    it('refuses no credential, a wrong one and a revoked booth with 401; another booth code with 403', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const key = { 'idempotency-key': `"${m.submissionId}"` };
      expect((await post(m, key)).status).toBe(401);
      expect((await post(m, { ...key, authorization: `Bearer ${token.slice(0, -3)}abc` })).status).toBe(401);
      const other = await issueCredential(intake.delivery, 'ID02', Date.now());
      expect((await post(m, { ...key, authorization: `Bearer ${other}` })).status).toBe(403);
      const heartbeat = await fetch(`${url}/api/v1/heartbeats`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(heartbeat.status).toBe(401);
      const tus = await fetch(`${url}/api/v1/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
      expect(tus.status).toBe(401);

      const revokedToken = await issueCredential(intake.delivery, 'ID03', Date.now());
      const revokedClient = new BoothClient({ intakeUrl: url, token: revokedToken, idleTimeoutMs: 5_000 });
      const r = await prepared(revokedClient, 'ID03');
      await revokeCredential(intake.delivery, 'ID03', Date.now());
      expect(await revokedClient.finalise(r)).toMatchObject({ ok: false, outcome: { status: 401 } });
      expect(await intake.store.caseById(r.submissionId)).toBeUndefined();
    });

    it('bounds bodies, item counts and durations', async () => {
      const client = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const headers = { authorization: `Bearer ${token}`, 'idempotency-key': `"${m.submissionId}"` };
      const huge = { ...m, details: { category: null, location: 'x'.repeat(70_000) } };
      expect((await post(huge, headers)).status).toBe(413);
      const many = { ...m, items: Array.from({ length: 21 }, (_, i) => ({ ...m.items[0]!, index: i })) };
      expect((await post(many, headers)).status).toBe(400);
      const long = { ...m, items: [{ ...m.items[0]!, kind: 'video', mime: 'video/webm', durationSec: 16 * 60 }] };
      expect((await post(long, headers)).status).toBe(400);
      const heartbeat = await fetch(`${url}/api/v1/heartbeats`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ junk: 'x'.repeat(20_000) }) });
      expect(heartbeat.status).toBe(413);
    });

    it('serves health and the OpenAPI document without a credential', async () => {
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
      const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/submissions', '/api/v1/heartbeats', '/api/v1/uploads']));
    });
  });

  describe('heartbeats and the fleet view', () => {
    it('stores a heartbeat (epoch-ms times, byte counts beyond 2^31) and the admin fleet view shows it', async () => {
      await seedUser(intake.db, 'admin', 'admin');
      const admin = await staffLogin(url, 'admin');
      expect((await admin.fetch('POST', '/staff/api/fleet/booths', { code: 'ID01', village: '一村', location: '村委会大厅' })).status).toBe(200);
      const hb = {
        boothCode: 'ID01', sentAt: new Date().toISOString(), version: '0.1.0', queueDepth: 2, oldestUnsentSec: 90, bytesWaiting: 3_500_000_000,
        disk: { freeBytes: 400_000_000_000, totalBytes: 512_000_000_000 },
        devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' }, lastError: null, alerts: [],
      };
      const res = await fetch(`${url}/api/v1/heartbeats`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(hb) });
      expect(res.status).toBe(204);
      const latest = await intake.delivery.latest('ID01');
      expect(latest).toMatchObject({ queueDepth: 2, diskFreeBytes: 400_000_000_000 });
      expect((await intake.delivery.heartbeatHistory('ID01'))[0]).toMatchObject({ bytes_waiting: 3_500_000_000, disk_total_bytes: 512_000_000_000 });
      expect(typeof latest!.receivedAt).toBe('number');
      const fleet = await admin.json<{ booths: { code: string; lastHeartbeatAt: number | null; heartbeat: { diskTotalBytes: number } | null }[] }>('GET', '/staff/api/fleet');
      const row = fleet.booths.find((b) => b.code === 'ID01')!;
      expect(row.lastHeartbeatAt).toBeGreaterThan(Date.now() - 60_000);
      expect(row.heartbeat?.diskTotalBytes).toBe(512_000_000_000);
      const history = await admin.json<{ count: number }>('GET', '/staff/api/fleet/booths/ID01/heartbeats');
      expect(history.count).toBe(1);
    });
  });
});
