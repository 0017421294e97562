// Several intake processes on one PostgreSQL (docs/DEPLOY.md): two real `npm run intake` processes
// share one database and one data directory. Each due 4th-day reminder goes out once (one webhook
// POST, one history row) although both tick every 200 ms; the work-lease helper gives a piece of
// work to exactly one claimant; the Postgres advisory-lock tus locker makes a second "process" wait
// for an upload lock and asks the holder to let go; rate limits (the staff login's) count across
// both processes; /metrics, readiness and liveness answer. The 渐次升级 proposals for overdue cases
// (issue 15) are made once and their notices POSTed once, though both processes' tickers race for them.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { WorkLeases } from '../../intake/store/leases.ts';
import { RateLimits } from '../../intake/store/rateLimits.ts';
import { PgAdvisoryLocker } from '../../intake/delivery/pgLocker.ts';
import { writeSettings } from '../../intake/staff/settings.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';
import { startIntakeProcess, type IntakeProcess } from '../support/intakeProcess.ts';
import { seedCase, seedUnit } from '../support/staff.ts';

const CASES = 12;
const root = mkdtempSync(path.join(os.tmpdir(), 'intake-multi-'));
let pgServer: Postgres;
let url: string;
let db: Kysely<IntakeDatabase>;
let hook: Server;
const posts: { caseNumber: string; type?: string; reason?: string; level?: number }[] = [];
const procs: IntakeProcess[] = [];

beforeAll(async () => {
  if (!postgresAvailable()) throw new Error('PostgreSQL 15 is required (scripts/setup.sh installs it)');
  pgServer = await startPostgres();
  url = await pgServer.createDatabase('multi');
  db = await openPostgresStore(url);
  hook = createServer((req, res) => {
    let b = '';
    req.on('data', (c: Buffer) => (b += c.toString()));
    req.on('end', () => {
      posts.push(JSON.parse(b) as { caseNumber: string });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  await writeSettings(db, { webhookUrl: `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook` });
  const unit = await seedUnit(db, '城管科');
  const past = new Date(Date.now() - 3_600_000).toISOString();
  for (let i = 0; i < CASES; i++) {
    const c = await seedCase(db, { receivedAt: past, status: 'assigned', unitId: unit, dispatchedAt: past });
    await db
      .updateTable('cases')
      .set({ reminder_at: past, due_at: new Date(Date.now() + 86_400_000).toISOString() })
      .where('id', '=', c.id)
      .execute();
  }
  const env = { INTAKE_DATABASE_URL: url, INTAKE_DATA: path.join(root, 'data'), INTAKE_REMINDER_EVERY_MS: '200' };
  procs.push(...(await Promise.all([startIntakeProcess(env, 120_000), startIntakeProcess(env, 120_000)])));
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop()));
  hook?.close();
  await db?.destroy();
  await pgServer?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('two intake processes on one Postgres', () => {
  it('each due reminder is POSTed once and recorded once', async () => {
    for (let i = 0; i < 200 && posts.length < CASES; i++) await new Promise((r) => setTimeout(r, 100));
    // both processes keep ticking: give them several more rounds to send a duplicate
    await new Promise((r) => setTimeout(r, 1_500));
    expect(posts).toHaveLength(CASES);
    expect(new Set(posts.map((p) => p.caseNumber)).size).toBe(CASES);
    const history = await db.selectFrom('case_history').select('case_id').where('action', '=', 'reminder').execute();
    expect(history).toHaveLength(CASES);
  });

  it('serves metrics, readiness and liveness on each process', async () => {
    for (const p of procs) {
      expect((await fetch(`${p.url}/api/v1/live`)).status).toBe(200);
      const ready = await fetch(`${p.url}/api/v1/ready`);
      expect(await ready.json()).toEqual({ ok: true });
      const text = await (await fetch(`${p.url}/metrics`)).text();
      expect(text).toMatch(/^intake_http_requests_total\{method="GET",route="\/api\/v1\/ready",status="200"\} 1$/m);
      expect(text).toMatch(/^intake_http_request_duration_seconds_bucket\{le="[\d.]+",method="GET",route="\/api\/v1\/live"\} \d+$/m);
      expect(text).toMatch(new RegExp(`^intake_cases ${CASES}$`, 'm'));
      expect(text).toMatch(/^intake_reminder_lag_seconds 0$/m); // all sent
      expect(text).toMatch(/^intake_queue_depth\{queue="playback"\} \d+$/m);
      expect(text).toMatch(/^intake_cases_ingested_total 0$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    }
  });

  it('a work lease goes to one claimant; it is taken over once it runs out', async () => {
    const a = new WorkLeases(db, 'process-a');
    const b = new WorkLeases(db, 'process-b');
    const t = Date.now();
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim('test', 'job-1', 60_000, t)));
    expect(claims.filter(Boolean).length).toBeGreaterThanOrEqual(1);
    const holder = (await db.selectFrom('work_leases').select('owner').where('item', '=', 'job-1').executeTakeFirstOrThrow()).owner;
    const other = holder === 'process-a' ? b : a;
    expect(await other.claim('test', 'job-1', 60_000, t + 1_000)).toBe(false);
    expect(await other.claim('test', 'job-1', 60_000, t + 60_001)).toBe(true); // ran out: taken over
    const ran = await Promise.all([a, b].map((l) => l.once('test', 'job-2', 60_000, t, async () => 'done', true)));
    expect(ran.filter((r) => r.ran)).toHaveLength(1);
  });

  it('rate limits are shared: the staff login limit counts requests to both processes', async () => {
    // 10 logins per address per minute (the default) across the district, not 10 per process;
    // a fresh user name each time, so the per-account throttle does not answer first.
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await fetch(`${procs[i % 2]!.url}/staff/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: `nobody${i}`, password: 'wrong password' }),
      });
      codes.push(r.status);
    }
    expect(codes).toEqual([...Array<number>(10).fill(401), 429, 429]);
  });

  it('rate limits: concurrent hits from two connection pools are each counted once', async () => {
    const other = await openPostgresStore(url);
    try {
      const a = new RateLimits(db);
      const b = new RateLimits(other);
      const v = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 ? a : b).hit('api-key', 'key-1', 12, 60_000)));
      expect(v.filter((x) => x.allowed)).toHaveLength(12);
      expect(new Set(v.map((x) => x.count)).size).toBe(30);
    } finally {
      await other.destroy();
    }
  });

  it('渐次升级: each overdue case is proposed once and its notice POSTed once, though both processes tick', async () => {
    const OVERDUE = 6;
    const unit = await seedUnit(db, '物业公司');
    const past = new Date(Date.now() - 2 * 86_400_000).toISOString();
    const ids: string[] = [];
    for (let i = 0; i < OVERDUE; i++) {
      const c = await seedCase(db, { receivedAt: past, status: 'in_progress', unitId: unit, dispatchedAt: past, summary: '积水' });
      // Past its answer's due date, unanswered; no reminder or 签收 clock left to send.
      await db
        .updateTable('cases')
        .set({ due_at: new Date(Date.now() - 3_600_000).toISOString(), reminder_at: null, ack_due_at: null })
        .where('id', '=', c.id)
        .execute();
      ids.push(c.id);
    }
    const proposed = () => posts.filter((p) => p.type === 'notice.escalation_proposed');
    const rows = () => db.selectFrom('escalation_proposals').select(['case_id', 'reason']).where('case_id', 'in', ids).execute();
    for (let i = 0; i < 200 && proposed().length < OVERDUE; i++) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 1_500)); // more rounds of both tickers: room for a duplicate
    expect((await rows()).map((r) => r.reason)).toEqual(Array<string>(OVERDUE).fill('overdue'));
    expect(new Set((await rows()).map((r) => r.case_id)).size).toBe(OVERDUE);
    expect(proposed()).toHaveLength(OVERDUE);
    expect(new Set(proposed().map((p) => p.caseNumber)).size).toBe(OVERDUE);
    expect(proposed().every((p) => p.reason === 'overdue' && p.level === 0)).toBe(true);
    const notices = await db.selectFrom('notices').select(['case_id', 'webhook_state']).where('case_id', 'in', ids).execute();
    expect(notices).toHaveLength(OVERDUE);
    expect(notices.every((n) => n.webhook_state === 'sent')).toBe(true);
    // Claimed under a work lease by one of the two intake processes, not by this test process.
    const owners = await db.selectFrom('work_leases').select('owner').where('kind', '=', 'escalation-proposal').execute();
    expect(owners).toHaveLength(OVERDUE);
    expect(new Set(owners.map((o) => o.owner)).size).toBeLessThanOrEqual(2);
  });

  it('tus upload locks: a second process waits for the first and asks it to let go', async () => {
    const one = await PgAdvisoryLocker.create(url, { acquireTimeoutMs: 5_000 });
    const two = await PgAdvisoryLocker.create(url, { acquireTimeoutMs: 5_000 });
    try {
      const first = one.newLock('a'.repeat(32));
      let asked = 0;
      await first.lock(new AbortController().signal, async () => {
        asked++;
        await first.unlock(); // what @tus/server does: end the old request, then unlock
      });
      const second = two.newLock('a'.repeat(32));
      await second.lock(new AbortController().signal, () => {});
      expect(asked).toBe(1);
      // an unrelated upload is not held up, and a stopped request gives up
      const other = one.newLock('b'.repeat(32));
      await other.lock(new AbortController().signal, () => {});
      await other.unlock();
      const stop = new AbortController();
      stop.abort();
      await expect(one.newLock('a'.repeat(32)).lock(stop.signal, () => {})).rejects.toMatchObject({ status_code: 500 });
      await second.unlock();
    } finally {
      await one.close();
      await two.close();
    }
  });
});
