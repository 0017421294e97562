// A heartbeat is written without an fsync of its commit (intake/store/delivery.ts addHeartbeat):
// on SQLite its INSERT runs at synchronous=NORMAL and the connection is back at FULL right after, so
// every other write (a credential here; cases, uploads) stays durable; on PostgreSQL its transaction
// commits with synchronous_commit off and the session keeps the server's setting. Observed on the
// real stores: SQLite's setting read on the store's own connection at the moment each statement
// runs (better-sqlite3's prepare wrapped), Postgres's by a trigger that records current_setting().
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../../intake/store/db.ts';
import { DeliveryStore } from '../../../intake/store/delivery.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import { heartbeatRow } from '../../../testkit/heartbeatRow.ts';
import { storeMatrix } from '../../support/postgres.ts';

const matrix = storeMatrix('fleet/heartbeatWrite');
afterAll(() => matrix.stop());

const heartbeat = (booth: string) => heartbeatRow(booth, Date.now());

describe('a heartbeat is committed without waiting for the disk, every other write still durable', () => {
  let dir: string | undefined;
  let db: Kysely<IntakeDatabase> | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await db?.destroy();
    db = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('on SQLite: the heartbeat INSERT at synchronous=NORMAL, the credential write before and after at FULL', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-write-'));
    // The synchronous setting in effect when each INSERT runs, read on the connection that runs it.
    const seen: { table: string; synchronous: unknown }[] = [];
    const prepare = Database.prototype.prepare;
    vi.spyOn(Database.prototype, 'prepare').mockImplementation(function (this: Database.Database, source: string) {
      const stmt = prepare.call(this, source);
      const table = /^insert into "(\w+)"/i.exec(source)?.[1];
      if (!table) return stmt;
      const synchronous = () => this.pragma('synchronous', { simple: true });
      const loose = stmt as unknown as { run: (...args: unknown[]) => unknown };
      const run = loose.run.bind(stmt);
      loose.run = (...args) => {
        seen.push({ table, synchronous: synchronous() });
        return run(...args);
      };
      return stmt;
    } as typeof prepare);
    db = await openSqliteStore(path.join(dir, 'intake.db'));
    const store = new DeliveryStore(db);
    await store.put({ boothId: 'HB01', secretHash: 'a'.repeat(64), createdAt: Date.now(), revokedAt: null });
    await store.addHeartbeat(heartbeat('HB01'));
    await store.put({ boothId: 'HB02', secretHash: 'b'.repeat(64), createdAt: Date.now(), revokedAt: null });
    // 2 = FULL (the store's setting), 1 = NORMAL.
    expect(seen.filter((s) => ['booth_credentials', 'booth_heartbeats'].includes(s.table))).toEqual([
      { table: 'booth_credentials', synchronous: 2 },
      { table: 'booth_heartbeats', synchronous: 1 },
      { table: 'booth_credentials', synchronous: 2 },
    ]);
    expect((await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(db)).rows[0]!.synchronous).toBe(2);
    expect((await store.latest('HB01'))?.version).toBe('0.1.0');
  });

  it.runIf(matrix.stores.includes('postgres'))(
    'on PostgreSQL: the heartbeat’s transaction commits with synchronous_commit off, the session keeps on',
    async () => {
      const { databaseUrl } = await matrix.options('postgres', 'hbwrite');
      db = await openPostgresStore(databaseUrl!);
      await sql`CREATE TABLE hb_sync_seen (v text)`.execute(db);
      await sql`CREATE FUNCTION hb_sync_seen() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN INSERT INTO hb_sync_seen VALUES (current_setting('synchronous_commit')); RETURN NEW; END $$`.execute(db);
      await sql`CREATE TRIGGER hb_sync_seen BEFORE INSERT ON booth_heartbeats FOR EACH ROW EXECUTE FUNCTION hb_sync_seen()`.execute(db);
      const store = new DeliveryStore(db);
      await store.addHeartbeat(heartbeat('HB01'));
      await store.addHeartbeat(heartbeat('HB01'));
      expect((await sql<{ v: string }>`SELECT v FROM hb_sync_seen`.execute(db)).rows.map((r) => r.v)).toEqual(['off', 'off']);
      expect((await sql<{ synchronous_commit: string }>`SHOW synchronous_commit`.execute(db)).rows[0]!.synchronous_commit).toBe('on');
      expect((await store.latest('HB01'))?.version).toBe('0.1.0');
    },
  );
});
