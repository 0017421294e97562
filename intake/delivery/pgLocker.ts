// Upload locks for @tus/server shared by every intake process on one PostgreSQL: a session-level
// advisory lock per upload id (pg_try_advisory_lock on a hash of "tus:" + id), held on a dedicated
// pooled connection for as long as the request holds the lock. A request that wants a lock another
// request holds (a booth resuming after a cut, while the server still reads the dead connection)
// asks the holder to let go with NOTIFY on a channel every process LISTENs to; the holder's
// @tus/server then ends its request and unlocks, as with the library's in-memory locker. A process
// that dies loses its locks with its connections. The in-memory locker stays the SQLite default.
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import pg from 'pg';
import { createLogger } from '../../lib/log.ts';

const log = createLogger('intake.tus-lock');
const CHANNEL = 'shuoba_tus_lock_release';

export class PgAdvisoryLocker implements Locker {
  readonly held = new Map<string, { client: pg.PoolClient; requestRelease: RequestRelease }>();
  private constructor(
    readonly pool: pg.Pool,
    private readonly listener: pg.Client,
    readonly acquireTimeoutMs: number,
  ) {}

  /** `maxLocks`: connections for locks held at once (uploads in flight on this process). */
  static async create(connectionString: string, options: { maxLocks?: number; acquireTimeoutMs?: number } = {}): Promise<PgAdvisoryLocker> {
    const pool = new pg.Pool({ connectionString, max: options.maxLocks ?? 50 });
    pool.on('error', (e) => log.warn({ err: e.message }, 'lock connection dropped'));
    const listener = new pg.Client({ connectionString });
    listener.on('error', (e) => log.warn({ err: e.message }, 'lock listener dropped'));
    await listener.connect();
    const locker = new PgAdvisoryLocker(pool, listener, options.acquireTimeoutMs ?? 30_000);
    // A connection holding a lock is checked out, where the pool does not listen: if the server
    // drops it (restart, failover) the lock is gone with it. Without this listener the 'error'
    // would crash the process; with it the holder's request is asked to end, as when another
    // process wants the lock, and the booth resumes.
    pool.on('connect', (client) =>
      client.on('error', (e) => {
        log.warn({ err: e.message }, 'lock connection dropped while in use');
        for (const h of locker.held.values()) if (h.client === client) void Promise.resolve(h.requestRelease()).catch(() => {});
      }),
    );
    listener.on('notification', (n) => {
      const h = n.payload ? locker.held.get(n.payload) : undefined;
      if (h) void Promise.resolve(h.requestRelease()).catch(() => {});
    });
    await listener.query(`listen ${CHANNEL}`);
    return locker;
  }

  newLock(id: string): Lock {
    return new PgAdvisoryLock(this, id);
  }

  async close(): Promise<void> {
    await this.listener.end().catch(() => {});
    await this.pool.end().catch(() => {});
  }
}

class PgAdvisoryLock implements Lock {
  private client: pg.PoolClient | null = null;
  constructor(
    private readonly locker: PgAdvisoryLocker,
    private readonly id: string,
  ) {}

  async lock(stopSignal: AbortSignal, requestRelease: RequestRelease): Promise<void> {
    const { pool, held, acquireTimeoutMs } = this.locker;
    const client = await pool.connect();
    const deadline = Date.now() + acquireTimeoutMs;
    try {
      for (let tries = 0; ; tries++) {
        const r = await client.query<{ ok: boolean }>(`select pg_try_advisory_lock(hashtextextended($1, 0)) as ok`, [`tus:${this.id}`]);
        if (r.rows[0]?.ok) {
          this.client = client;
          held.set(this.id, { client, requestRelease });
          return;
        }
        // ask the holder to let go, and again every second (it may have been between requests)
        if (tries % 20 === 0) await client.query('select pg_notify($1, $2)', [CHANNEL, this.id]);
        if (stopSignal.aborted || Date.now() > deadline) throw ERRORS.ERR_LOCK_TIMEOUT;
        await new Promise((r) => setTimeout(r, 50));
      }
    } catch (e) {
      client.release();
      throw e;
    }
  }

  async unlock(): Promise<void> {
    const client = this.client;
    if (!client) throw new Error('Releasing an unlocked lock!');
    this.client = null;
    if (this.locker.held.get(this.id)?.client === client) this.locker.held.delete(this.id);
    try {
      await client.query(`select pg_advisory_unlock(hashtextextended($1, 0))`, [`tus:${this.id}`]);
      client.release();
    } catch (e) {
      client.release(e as Error); // a broken connection is dropped (and its locks with it)
    }
  }
}
