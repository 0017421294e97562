// The booth API's idempotency and authentication, heartbeats reaching the fleet view — against the real
// intake on 127.0.0.1, on both stores (SQLite, the default, and Postgres 15, the scale-out store).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential, revokeCredential } from '../../intake/boothCredentials.ts';
import { SubmissionManifest } from '../../contract/booth.ts';
import { fingerprint, IN_PROGRESS_LEASE_MS } from '../../intake/idempotency.ts';
import { openApiDocument } from '../../intake/openapi.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { IdempotencyStore } from '../../intake/store/idempotencyKeys.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { startIntakeProcess, type IntakeProcess } from '../support/intakeProcess.ts';
import { storeMatrix, type StoreKind } from '../support/postgres.ts';
import { seedUser, staffLogin } from '../support/staff.ts';
import { photoItem, submissionManifest } from '../../testkit/manifest.ts';

const matrix = storeMatrix('boothApi');
afterAll(() => matrix.stop());

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  // Media (tus uploads, items) stay in the local data directory whichever store holds the rows.
  const root = mkdtempSync(path.join(os.tmpdir(), 'boothapi-'));
  let intake: Intake;
  let url: string;
  let token: string;
  /** The store options, so a second intake process can share the store. */
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    databaseUrl = (await matrix.options(store, 'booth_api')).databaseUrl;
    intake = await createIntake({ dataDir: path.join(root, 'intake'), ...(databaseUrl ? { databaseUrl } : {}) });
    url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    token = await issueCredential(intake.delivery, 'ID01', Date.now());
  });
  afterAll(async () => {
    await intake.close();
    rmSync(root, { recursive: true, force: true });
  });

  let seq = 0;
  /** Uploads `count` items over tus and returns a manifest for them. */
  async function prepared(client: IntakeLink, boothCode = 'ID01', count = 1): Promise<SubmissionManifest> {
    const id = randomUUID();
    const items: SubmissionManifest['items'] = [];
    for (let index = 0; index < count; index++) {
      const bytes = randomBytes(20_000 + Math.floor(Math.random() * 1000));
      const file = path.join(root, `${id}-${index}.jpg`);
      writeFileSync(file, bytes);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const up = await client.uploadItem({ file, size: bytes.length, sha256, submissionId: id, index, uploadUrl: null }, () => {});
      expect(up.ok).toBe(true);
      items.push(photoItem(index, bytes.length, sha256));
    }
    return submissionManifest(boothCode, id, `${boothCode}-20261125-${String(++seq).padStart(4, '0')}`, items);
  }

  const post = (manifest: unknown, headers: Record<string, string>, base = url) =>
    fetch(`${base}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(manifest),
    });
  /** The manifest as the booth sends it (credential, Idempotency-Key), to one intake; status and parsed body. */
  const deliver = async (m: SubmissionManifest, base = url): Promise<{ status: number; body: unknown; retryAfter: string | null }> => {
    const res = await post(m, { authorization: `Bearer ${token}`, 'idempotency-key': `"${m.submissionId}"` }, base);
    return { status: res.status, body: await res.json(), retryAfter: res.headers.get('retry-after') };
  };
  const caseRows = (id: string) => intake.db.selectFrom('cases').selectAll().where('id', '=', id).execute();
  const itemRows = (id: string) => intake.db.selectFrom('case_items').selectAll().where('case_id', '=', id).execute();
  const keyRow = (id: string) => new IdempotencyStore(intake.db).get('ID01', id);

  describe('idempotency', () => {
    it('replays the stored answer for the same key and body: the first status (201) and the same body', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const first = await deliver(m);
      expect(first.status).toBe(201);
      expect((first.body as { submissionId: string }).submissionId).toBe(m.submissionId);
      const again = await deliver(m);
      expect(again).toEqual(first);
      // The booth's client accepts it as the acknowledgement.
      const viaClient = await client.finalise(m);
      expect(viaClient.ok && viaClient.ack).toEqual(first.body);
      expect(await caseRows(m.submissionId)).toHaveLength(1);
      expect(await keyRow(m.submissionId)).toMatchObject({ state: 'done', response_status: 201, lease_owner: null });
      // The case's first history row is written by the one history writer, with the case, once.
      const hist = await intake.db.selectFrom('case_history').select(['action', 'user_id']).where('case_id', '=', m.submissionId).execute();
      expect(hist).toEqual([{ action: 'created', user_id: null }]);
    });

    it('refuses the same key with a different body (422), and a missing key (400)', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
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
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
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
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const lying = { ...m, items: [{ ...m.items[0]!, sha256: 'a'.repeat(64) }] };
      expect(await client.finalise(lying)).toMatchObject({ ok: false, code: 'items_missing', missing: [0] });
    });
  });

  describe('ingest is transactional', () => {
    it('a failure in the middle of case creation leaves no case, no items and no idempotency record; the retry adopts the moved files', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client, 'ID01', 2);
      // A real failure inside the store's transaction: inserting the second item row is refused,
      // after the case row and the first item row went in.
      if (store === 'sqlite') {
        await sql`create trigger fail_second_item before insert on case_items when new.idx = 1 begin select raise(abort, 'injected: item insert refused'); end`.execute(
          intake.db,
        );
      } else {
        await sql`create function fail_second_item() returns trigger language plpgsql as $$ begin if new.idx = 1 then raise exception 'injected: item insert refused'; end if; return new; end $$`.execute(
          intake.db,
        );
        await sql`create trigger fail_second_item before insert on case_items for each row execute function fail_second_item()`.execute(
          intake.db,
        );
      }
      try {
        const failed = await deliver(m);
        expect(failed.status).toBe(500);
        expect(await caseRows(m.submissionId)).toEqual([]);
        expect(await itemRows(m.submissionId)).toEqual([]);
        expect(await keyRow(m.submissionId)).toBeUndefined();
      } finally {
        await sql`drop trigger fail_second_item${store === 'postgres' ? sql` on case_items` : sql``}`.execute(intake.db);
        if (store === 'postgres') await sql`drop function fail_second_item()`.execute(intake.db);
      }
      // The booth's retry needs no item sent again: the files moved in before the failed
      // transaction are adopted (else the answer would be 422 items_missing).
      const retried = await client.finalise(m);
      expect(retried.ok).toBe(true);
      expect(await caseRows(m.submissionId)).toHaveLength(1);
      expect((await itemRows(m.submissionId)).map((i) => i.sha256)).toEqual(m.items.map((i) => i.sha256));
      expect(await keyRow(m.submissionId)).toMatchObject({ state: 'done' });
    });
  });

  describe('two intake processes on one store', () => {
    let other: IntakeProcess;
    beforeAll(async () => {
      // `npm run intake` as a separate process: same store, same data directory (uploads, media).
      other = await startIntakeProcess({
        INTAKE_DATA: path.join(root, 'intake'),
        ...(databaseUrl ? { INTAKE_DATABASE_URL: databaseUrl } : {}),
      });
    });
    afterAll(async () => other?.stop());

    const holdKey = async (m: SubmissionManifest, at: number) => {
      const claim = await new IdempotencyStore(intake.db).claim('ID01', m.submissionId, fingerprint(SubmissionManifest.parse(m)), at);
      if (claim.kind !== 'proceed') throw new Error(`could not hold the key: ${claim.kind}`);
      return claim.owner;
    };

    it('a request still running in one process makes the other answer 409; then both replay the stored answer', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      // This process holds the key, as a request in the middle of its ingest does.
      const owner = await holdKey(m, Date.now());
      const busy = await deliver(m, other.url);
      expect(busy).toMatchObject({ status: 409, retryAfter: '5', body: { error: { code: 'in_progress' } } });
      expect(await caseRows(m.submissionId)).toEqual([]);
      await new IdempotencyStore(intake.db).release('ID01', m.submissionId, owner);
      const created = await deliver(m, other.url);
      expect(created.status).toBe(201);
      expect(await deliver(m)).toEqual(created);
      expect(await deliver(m, other.url)).toEqual(created);
      const changed = await deliver({ ...m, details: { category: 'noise', location: null } });
      expect(changed).toMatchObject({ status: 422, body: { error: { code: 'idempotency_conflict' } } });
      expect(await caseRows(m.submissionId)).toHaveLength(1);
    });

    it('a lease whose process died does not block the key for ever', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      await holdKey(m, Date.now() - IN_PROGRESS_LEASE_MS - 1_000);
      const created = await deliver(m, other.url);
      expect(created.status).toBe(201);
      expect(await caseRows(m.submissionId)).toHaveLength(1);
      expect(await keyRow(m.submissionId)).toMatchObject({ state: 'done', response_status: 201 });
    });

    it('concurrent duplicates sent to both processes: one case, and every answer the stored one or 409', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => deliver(m, i % 2 === 0 ? url : other.url)));
      expect(answers.filter((a) => a.status !== 201 && a.status !== 409)).toEqual([]);
      const created = answers.filter((a) => a.status === 201);
      expect(created.length).toBeGreaterThan(0);
      for (const a of created) expect(a.body).toEqual(created[0]!.body);
      expect(await caseRows(m.submissionId)).toHaveLength(1);
      // Afterwards both replay the one stored answer.
      expect((await deliver(m, other.url)).body).toEqual(created[0]!.body);
      expect((await deliver(m)).body).toEqual(created[0]!.body);
    });
  });

  describe('authentication', () => {
    it('refuses no credential, a wrong one and a revoked booth with 401; another booth code with 403', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const key = { 'idempotency-key': `"${m.submissionId}"` };
      expect((await post(m, key)).status).toBe(401);
      expect((await post(m, { ...key, authorization: `Bearer ${token.slice(0, -3)}abc` })).status).toBe(401);
      const other = await issueCredential(intake.delivery, 'ID02', Date.now());
      expect((await post(m, { ...key, authorization: `Bearer ${other}` })).status).toBe(403);
      const heartbeat = await fetch(`${url}/api/v1/heartbeats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(heartbeat.status).toBe(401);
      const tus = await fetch(`${url}/api/v1/uploads`, { method: 'POST', headers: { 'tus-resumable': '1.0.0', 'upload-length': '10' } });
      expect(tus.status).toBe(401);

      const revokedToken = await issueCredential(intake.delivery, 'ID03', Date.now());
      const revokedClient = new IntakeLink({ intakeUrl: url, token: revokedToken, idleTimeoutMs: 5_000 });
      const r = await prepared(revokedClient, 'ID03');
      await revokeCredential(intake.delivery, 'ID03', Date.now());
      expect(await revokedClient.finalise(r)).toMatchObject({ ok: false, outcome: { status: 401 } });
      expect(await intake.store.caseById(r.submissionId)).toBeUndefined();
    });

    it('bounds bodies, item counts and durations', async () => {
      const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
      const m = await prepared(client);
      const headers = { authorization: `Bearer ${token}`, 'idempotency-key': `"${m.submissionId}"` };
      const huge = { ...m, details: { category: null, location: 'x'.repeat(70_000) } };
      expect((await post(huge, headers)).status).toBe(413);
      const many = { ...m, items: Array.from({ length: 21 }, (_, i) => ({ ...m.items[0]!, index: i })) };
      expect((await post(many, headers)).status).toBe(400);
      const long = { ...m, items: [{ ...m.items[0]!, kind: 'video', mime: 'video/webm', durationSec: 16 * 60 }] };
      expect((await post(long, headers)).status).toBe(400);
      const heartbeat = await fetch(`${url}/api/v1/heartbeats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ junk: 'x'.repeat(20_000) }),
      });
      expect(heartbeat.status).toBe(413);
    });

    it('serves health and the OpenAPI document without a credential', async () => {
      expect((await fetch(`${url}/api/v1/health`)).status).toBe(200);
      const doc = (await (await fetch(`${url}/api/v1/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      // The document itself is checked in openapi.test.ts; here, that it is the one served.
      expect(doc).toEqual(openApiDocument());
      expect(doc.openapi).toBe('3.1.0');
      expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/submissions', '/api/v1/heartbeats', '/api/v1/uploads']));
    });
  });

  describe('heartbeats and the fleet view', () => {
    it('stores a heartbeat (epoch-ms times, byte counts beyond 2^31) and the admin fleet view shows it', async () => {
      await seedUser(intake.db, 'admin', 'admin');
      const admin = await staffLogin(url, 'admin');
      expect((await admin.fetch('POST', '/staff/api/fleet/booths', { code: 'ID01', village: '一村', location: '村委会大厅' })).status).toBe(
        200,
      );
      const hb = {
        boothCode: 'ID01',
        sentAt: new Date().toISOString(),
        version: '0.1.0',
        queueDepth: 2,
        oldestUnsentSec: 90,
        bytesWaiting: 3_500_000_000,
        disk: { freeBytes: 400_000_000_000, totalBytes: 512_000_000_000 },
        devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' },
        lastError: null,
        alerts: ['disk nearly full: 400 MiB free, below the 512 MiB the booth needs to take new recordings'],
      };
      const res = await fetch(`${url}/api/v1/heartbeats`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(hb),
      });
      expect(res.status).toBe(200); // the answer carries the number authority (docs/DELIVERY.md "Numbers");
      const latest = await intake.delivery.latest('ID01');
      expect(latest).toMatchObject({ queueDepth: 2, diskFreeBytes: 400_000_000_000 });
      expect((await intake.delivery.heartbeatHistory('ID01'))[0]).toMatchObject({
        bytes_waiting: 3_500_000_000,
        disk_total_bytes: 512_000_000_000,
      });
      expect(typeof latest!.receivedAt).toBe('number');
      const fleet = await admin.json<{
        booths: { code: string; lastHeartbeatAt: number | null; heartbeat: { diskTotalBytes: number; alerts: string[] } | null }[];
      }>('GET', '/staff/api/fleet');
      const row = fleet.booths.find((b) => b.code === 'ID01')!;
      expect(row.lastHeartbeatAt).toBeGreaterThan(Date.now() - 60_000);
      expect(row.heartbeat?.diskTotalBytes).toBe(512_000_000_000);
      // The booth's own alert reaches the admin (it flags an enrolled booth: flags.test.ts; this one
      // has a credential from the CLI, not an enrolment, so it carries no flags).
      expect(row.heartbeat?.alerts).toEqual(hb.alerts);
      const history = await admin.json<{ count: number }>('GET', '/staff/api/fleet/booths/ID01/heartbeats');
      expect(history.count).toBe(1);
    });
  });
});
