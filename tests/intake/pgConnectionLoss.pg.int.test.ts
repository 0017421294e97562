// A PostgreSQL connection that dies while the intake holds it (a database restart, a failover, an
// admin's pg_terminate_backend) must not take the intake process down. pg's pool listens for errors
// only on idle connections: a checked-out one (Kysely between two statements of a transaction, an
// upload lock held for the whole PATCH) emitted an unhandled 'error' and the process crashed — seen
// in the scale test when PostgreSQL stopped under a running intake. Real Postgres 15; the connection
// is ended by the server (pg_terminate_backend from a second connection), not simulated.
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgAdvisoryLocker } from '../../intake/delivery/pgLocker.ts';
import { openPostgresStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../support/postgres.ts';

let server: Postgres;
let url: string;
let admin: pg.Client;
let db: Kysely<IntakeDatabase>;
const lockers: PgAdvisoryLocker[] = [];
const uncaught: Error[] = [];
const onUncaught = (e: Error) => uncaught.push(e);

beforeAll(async () => {
  if (!postgresAvailable()) throw new Error('PostgreSQL 15 is required (scripts/setup.sh installs it)');
  server = await startPostgres();
  url = await server.createDatabase('connection_loss');
  db = await openPostgresStore(url);
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  // What would crash the process is an 'error' event nobody listens to: it surfaces here.
  process.on('uncaughtException', onUncaught);
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  for (const l of lockers) await l.close();
  await admin?.end();
  await db?.destroy();
  await server?.stop();
});

const terminate = (pid: number) => admin.query('select pg_terminate_backend($1)', [pid]);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('a PostgreSQL connection dropped by the server while in use', () => {
  it('the store: a connection checked out between two statements is dropped; the next query gets a new one', async () => {
    await expect(
      db.connection().execute(async (conn) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(conn);
        await terminate(rows[0]!.pid);
        await settle();
        await sql`select 1`.execute(conn);
      }),
    ).rejects.toThrow();
    expect(uncaught).toEqual([]);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows).toEqual([{ one: 1 }]);
  });

  it('an upload lock: its holder is asked to let go, nothing crashes, and the lock can be taken again', async () => {
    const a = await PgAdvisoryLocker.create(url);
    const b = await PgAdvisoryLocker.create(url, { acquireTimeoutMs: 5_000 });
    lockers.push(a, b);
    let asked = 0;
    const lock = a.newLock('0123456789abcdef0123456789abcdef');
    await lock.lock(new AbortController().signal, () => {
      asked++;
    });
    const { rows } = await admin.query<{ pid: number }>(
      "select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
    );
    expect(rows).toHaveLength(1);
    await terminate(rows[0]!.pid);
    await settle();
    expect(uncaught).toEqual([]);
    expect(asked).toBeGreaterThan(0);
    // The lock died with its connection: another process takes it at once.
    const again = b.newLock('0123456789abcdef0123456789abcdef');
    await again.lock(new AbortController().signal, () => {});
    await again.unlock();
    // The first holder's unlock does not throw on the dead connection.
    await lock.unlock();
    expect(a.held.size).toBe(0);
  });
});
