// The intake's delivery tables: booth credentials (CredentialStore), the tus uploads of booths
// (UploadRegistry) and heartbeats. Kysely, so the same code runs on SQLite and Postgres.
import { PostgresAdapter, sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { CredentialRow, CredentialStore } from '../boothCredentials.ts';
import type { UploadRecord, UploadRegistry } from '../tusEndpoint.ts';
import { FleetHeartbeat } from '../../contract/booth.ts';
import type { FleetHeartbeats } from '../fleet/heartbeats.ts';
import type { BoothHeartbeatsTable, IntakeDatabase } from './schema.ts';

export type HeartbeatRow = Selectable<BoothHeartbeatsTable>;

export class DeliveryStore implements CredentialStore, UploadRegistry, FleetHeartbeats {
  constructor(
    readonly db: Kysely<IntakeDatabase>,
    private readonly now: () => number = Date.now,
  ) {}

  // ── credentials ──
  async get(boothCode: string): Promise<CredentialRow | undefined> {
    const r = await this.db.selectFrom('booth_credentials').selectAll().where('booth_code', '=', boothCode).executeTakeFirst();
    return r ? { boothId: r.booth_code, secretHash: r.secret_hash, createdAt: r.created_at, revokedAt: r.revoked_at } : undefined;
  }

  async put(row: CredentialRow): Promise<void> {
    const values = { booth_code: row.boothId, secret_hash: row.secretHash, created_at: row.createdAt, revoked_at: row.revokedAt };
    await this.db
      .insertInto('booth_credentials')
      .values(values)
      .onConflict((oc) =>
        oc.column('booth_code').doUpdateSet({ secret_hash: values.secret_hash, created_at: values.created_at, revoked_at: null }),
      )
      .execute();
  }

  async revoke(boothCode: string, at: number): Promise<boolean> {
    const r = await this.db
      .updateTable('booth_credentials')
      .set({ revoked_at: at })
      .where('booth_code', '=', boothCode)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  listCredentials(): Promise<{ booth_code: string; created_at: number; revoked_at: number | null }[]> {
    return this.db.selectFrom('booth_credentials').select(['booth_code', 'created_at', 'revoked_at']).orderBy('booth_code').execute();
  }

  // ── uploads ──
  async recordUpload(r: UploadRecord): Promise<void> {
    await this.db
      .insertInto('delivery_uploads')
      .values({
        upload_id: r.uploadId,
        booth_code: r.boothId,
        submission_id: r.submissionId,
        idx: r.index,
        size: r.size,
        sha256: r.sha256,
        created_at: this.now(),
        verified_at: r.verifiedAt,
      })
      .execute();
  }

  async getUpload(uploadId: string): Promise<UploadRecord | undefined> {
    const r = await this.db.selectFrom('delivery_uploads').selectAll().where('upload_id', '=', uploadId).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async markVerified(uploadId: string, at: number): Promise<void> {
    await this.db.updateTable('delivery_uploads').set({ verified_at: at }).where('upload_id', '=', uploadId).execute();
  }

  async forgetUpload(uploadId: string): Promise<void> {
    await this.db.deleteFrom('delivery_uploads').where('upload_id', '=', uploadId).execute();
  }

  /** Uploads of one submission item by one booth, newest first. */
  async uploadsFor(boothCode: string, submissionId: string, index: number): Promise<UploadRecord[]> {
    const rows = await this.db
      .selectFrom('delivery_uploads')
      .selectAll()
      .where('booth_code', '=', boothCode)
      .where('submission_id', '=', submissionId)
      .where('idx', '=', index)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map(toRecord);
  }

  // ── heartbeats ──
  /**
   * A heartbeat is committed without waiting for the disk. A durable commit costs an fsync, and on
   * SQLite better-sqlite3 runs it on the event loop: every request of the process waits for it — 9 ms
   * a heartbeat on a busy disk, a third of the loop at 33 heartbeats a second (bench intakeDay, the
   * busiest hour ×4). A heartbeat lost to a power cut costs nothing (the booth sends the next within
   * minutes), and the store stays consistent: SQLite (WAL) runs this one statement at
   * synchronous=NORMAL on the connection held for it, so its commit is synced by the next durable
   * commit or checkpoint; PostgreSQL commits its transaction with synchronous_commit off. Cases,
   * uploads and everything else keep their durable commits.
   */
  async addHeartbeat(row: Insertable<BoothHeartbeatsTable>): Promise<void> {
    if (this.db.getExecutor().adapter instanceof PostgresAdapter) {
      await this.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL synchronous_commit = off`.execute(trx);
        await trx.insertInto('booth_heartbeats').values(row).execute();
      });
      return;
    }
    await this.db.connection().execute(async (c) => {
      const was = (await sql<{ synchronous: number }>`PRAGMA synchronous`.execute(c)).rows[0]?.synchronous;
      if (was === undefined || was <= 1) return void (await c.insertInto('booth_heartbeats').values(row).execute());
      await sql`PRAGMA synchronous = NORMAL`.execute(c);
      try {
        await c.insertInto('booth_heartbeats').values(row).execute();
      } finally {
        await sql.raw(`PRAGMA synchronous = ${Number(was)}`).execute(c);
      }
    });
  }

  /** The latest heartbeat of every booth (the fleet view's rows). */
  latestHeartbeats(): Promise<HeartbeatRow[]> {
    return this.db
      .selectFrom('booth_heartbeats as h')
      .selectAll('h')
      .where('h.id', 'in', (eb) =>
        eb
          .selectFrom('booth_heartbeats')
          .select((e) => e.fn.max('id').as('id'))
          .groupBy('booth_code'),
      )
      .orderBy('h.booth_code')
      .execute();
  }

  /** FleetHeartbeats (issue 8's fleet page): the latest heartbeat of a booth. */
  async latest(boothCode: string): Promise<FleetHeartbeat | null> {
    const r = await this.db
      .selectFrom('booth_heartbeats')
      .selectAll()
      .where('booth_code', '=', boothCode)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? toFleet(r) : null;
  }

  /** FleetHeartbeats: a booth's heartbeats received since `fromMs`, oldest first. */
  async since(boothCode: string, fromMs: number): Promise<FleetHeartbeat[]> {
    const rows = await this.db
      .selectFrom('booth_heartbeats')
      .selectAll()
      .where('booth_code', '=', boothCode)
      .where('received_at', '>=', fromMs)
      .orderBy('id')
      .execute();
    return rows.map(toFleet);
  }

  /** Deletes heartbeats received before `beforeMs`, except each booth's latest (the fleet view's
   *  "last heard" of a booth silent for longer); returns how many went. */
  async pruneHeartbeats(beforeMs: number): Promise<number> {
    const r = await this.db
      .deleteFrom('booth_heartbeats')
      .where('received_at', '<', beforeMs)
      .where('id', 'not in', (eb) =>
        eb
          .selectFrom('booth_heartbeats')
          .select((e) => e.fn.max('id').as('id'))
          .groupBy('booth_code'),
      )
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  heartbeatHistory(boothCode: string, limit = 100): Promise<HeartbeatRow[]> {
    return this.db
      .selectFrom('booth_heartbeats')
      .selectAll()
      .where('booth_code', '=', boothCode)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}

/** A stored heartbeat as the fleet page shows it, checked against the contract (its devices and alerts are JSON columns). */
function toFleet(r: HeartbeatRow): FleetHeartbeat {
  return FleetHeartbeat.parse({
    receivedAt: r.received_at,
    version: r.version,
    queueDepth: r.queue_depth,
    oldestUnsentSec: r.oldest_unsent_sec,
    diskFreeBytes: r.disk_free_bytes,
    diskTotalBytes: r.disk_total_bytes,
    diskNeedBytes: r.disk_need_bytes ?? null,
    clockSkewMs: Date.parse(r.sent_at) - r.received_at,
    devices: JSON.parse(r.devices_json),
    lastError: r.last_error,
    alerts: JSON.parse(r.alerts_json),
  });
}

function toRecord(r: {
  upload_id: string;
  booth_code: string;
  submission_id: string;
  idx: number;
  size: number;
  sha256: string;
  verified_at: number | null;
}): UploadRecord {
  return {
    uploadId: r.upload_id,
    boothId: r.booth_code,
    submissionId: r.submission_id,
    index: r.idx,
    size: r.size,
    sha256: r.sha256,
    verifiedAt: r.verified_at,
  };
}
