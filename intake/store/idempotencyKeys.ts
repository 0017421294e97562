// Idempotency keys of the booth API in the store (table of migration 007), so every intake process
// on one database sees the others' requests; the rules themselves are the pure decideIdempotent
// (../idempotency.ts). A request first claims its key:
//   - no row yet: one atomic insert-if-absent makes it the holder of an in_progress lease;
//   - a row: the decision table says replay (done, same body), 422 (different body), 409 (the
//     holder's lease runs), or proceed (the lease ran out: its process died), in which case one
//     conditional update takes the lease over, so of two such requests only one wins.
// While its request runs the holder renews the lease (whileHeld), so only a dead holder's lease
// runs out. The holder then either completes the key inside the transaction that creates the case
// (the stored response appears with the case, or neither does) or releases it (a failure, an answer
// the booth should be able to retry, such as items_missing).
import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import { Periodic } from '../../lib/periodic.ts';
import {
  decideIdempotent,
  IN_PROGRESS_LEASE_MS,
  IN_PROGRESS_RENEW_MS,
  type IdempotencyDecision,
  type KeyRecord,
  type StoredResponse,
} from '../idempotency.ts';
import type { IdempotencyKeysTable, IntakeDatabase } from './schema.ts';

const log = createLogger('intake.idempotency');

export type IdempotencyRow = Selectable<IdempotencyKeysTable>;

export type Claim = { kind: 'proceed'; owner: string } | Exclude<IdempotencyDecision, { kind: 'proceed' }>;

/** The holder's lease was taken over (it ran out) before the holder finished: nothing may be stored. */
export class LeaseLostError extends Error {}

function toKeyRecord(row: IdempotencyRow): KeyRecord {
  if (row.state === 'done') {
    return {
      state: 'done',
      fingerprint: row.fingerprint,
      response: { status: row.response_status!, body: JSON.parse(row.response_body!) as unknown },
    };
  }
  return { state: 'in_progress', fingerprint: row.fingerprint, leaseUntil: row.lease_until! };
}

export class IdempotencyStore {
  constructor(
    readonly db: Kysely<IntakeDatabase>,
    private readonly leaseMs: number = IN_PROGRESS_LEASE_MS,
    private readonly renewMs: number = IN_PROGRESS_RENEW_MS,
  ) {}

  get(scope: string, key: string): Promise<IdempotencyRow | undefined> {
    return this.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('booth_code', '=', scope)
      .where('idem_key', '=', key)
      .executeTakeFirst();
  }

  async claim(scope: string, key: string, fingerprint: string, now: number): Promise<Claim> {
    const owner = randomUUID();
    const leaseUntil = now + this.leaseMs;
    // A row can vanish between the insert and the read (its holder released it): look again.
    for (let round = 0; round < 3; round++) {
      const inserted = await this.db
        .insertInto('idempotency_keys')
        .values({
          booth_code: scope,
          idem_key: key,
          fingerprint,
          state: 'in_progress',
          lease_owner: owner,
          lease_until: leaseUntil,
          response_status: null,
          response_body: null,
          created_at: now,
        })
        .onConflict((oc) => oc.columns(['booth_code', 'idem_key']).doNothing())
        .executeTakeFirst();
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { kind: 'proceed', owner };
      const row = await this.get(scope, key);
      if (!row) continue;
      const decision = decideIdempotent(key, toKeyRecord(row), fingerprint, now);
      if (decision.kind !== 'proceed') return decision;
      const taken = await this.db
        .updateTable('idempotency_keys')
        .set({ lease_owner: owner, lease_until: leaseUntil })
        .where('booth_code', '=', scope)
        .where('idem_key', '=', key)
        .where('state', '=', 'in_progress')
        .where('lease_owner', '=', row.lease_owner ?? '')
        .where('lease_until', '=', row.lease_until ?? -1)
        .executeTakeFirst();
      if (Number(taken.numUpdatedRows) === 1) return { kind: 'proceed', owner };
    }
    // Another request keeps taking the key in between: it is, in effect, in progress.
    return {
      kind: 'reject',
      status: 409,
      code: 'idempotency_in_progress',
      message: 'A request with this Idempotency-Key is still being processed',
    };
  }

  /**
   * Stores the response of the holder's request. Call it with the transaction that makes the
   * response true (the case insert), so both commit or neither; throws LeaseLostError (rolling that
   * transaction back) when the lease is no longer the caller's.
   */
  async complete(trx: Kysely<IntakeDatabase>, scope: string, key: string, owner: string, response: StoredResponse): Promise<void> {
    const r = await trx
      .updateTable('idempotency_keys')
      .set({
        state: 'done',
        response_status: response.status,
        response_body: JSON.stringify(response.body),
        lease_owner: null,
        lease_until: null,
      })
      .where('booth_code', '=', scope)
      .where('idem_key', '=', key)
      .where('state', '=', 'in_progress')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1)
      throw new LeaseLostError(`the lease on Idempotency-Key ${key} was lost before the request finished`);
  }

  /** Moves the holder's lease on to now + lease; false when it is no longer the caller's. */
  async renew(scope: string, key: string, owner: string, now: number): Promise<boolean> {
    const r = await this.db
      .updateTable('idempotency_keys')
      .set({ lease_until: now + this.leaseMs })
      .where('booth_code', '=', scope)
      .where('idem_key', '=', key)
      .where('state', '=', 'in_progress')
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Runs the holder's `work`, renewing its lease every renewMs meanwhile: a request that runs long
   * (a large ingest) keeps its key, and a process that dies stops renewing, so its key is free for
   * another request within one lease. A renewal that fails (the database away) is logged; the lease
   * may then run out and be taken over, which complete() detects (LeaseLostError).
   */
  async whileHeld<T>(scope: string, key: string, owner: string, work: () => Promise<T>, clock: Clock = systemClock): Promise<T> {
    const renewal = new Periodic(
      clock,
      () => this.renewMs,
      async () => {
        try {
          if (!(await this.renew(scope, key, owner, clock.now())))
            log.warn({ scope }, 'an Idempotency-Key lease was lost while its request ran');
        } catch (e) {
          log.warn({ err: (e as Error).message }, 'an Idempotency-Key lease could not be renewed');
        }
      },
    );
    renewal.start(this.renewMs);
    try {
      return await work();
    } finally {
      // Not awaited: a renewal in flight only moves a lease the answer no longer needs (renew
      // matches in_progress rows only), so the booth's answer does not wait for it.
      void renewal.stop();
    }
  }

  /** Gives the key up (the request failed or gave an answer worth retrying); only its holder can. */
  async release(scope: string, key: string, owner: string): Promise<void> {
    await this.db
      .deleteFrom('idempotency_keys')
      .where('booth_code', '=', scope)
      .where('idem_key', '=', key)
      .where('state', '=', 'in_progress')
      .where('lease_owner', '=', owner)
      .execute();
  }
}
