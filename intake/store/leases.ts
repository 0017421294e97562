// Work done once across intake processes on one store: a lease row per piece of work
// (kind + item), held by one process until a time. claim() is one atomic statement,
// INSERT … ON CONFLICT DO UPDATE … WHERE the old lease ran out (or is ours): on Postgres two
// processes claiming at once serialize on the primary key and exactly one gets the row; on SQLite
// the write lock does the same. A process that dies holding a lease loses it when `until` passes,
// and another process takes the work over. Used by the reminder ticker (one webhook POST per case),
// housekeeping (once per period for the whole district) and the playback worker.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

/** This process's owner id (one per process, so every part of it shares its claims). */
export const PROCESS_OWNER = `${process.pid}-${randomUUID()}`;

export class WorkLeases {
  constructor(
    private readonly db: Kysely<IntakeDatabase>,
    readonly owner: string = PROCESS_OWNER,
  ) {}

  /** True when this owner now holds kind/item until now + ttlMs (a new claim, or its own renewed). */
  async claim(kind: string, item: string, ttlMs: number, now: number): Promise<boolean> {
    const until = now + ttlMs;
    const row = await this.db
      .insertInto('work_leases')
      .values({ kind, item, owner: this.owner, until })
      .onConflict((oc) =>
        oc
          .columns(['kind', 'item'])
          .doUpdateSet({ owner: this.owner, until })
          .where((eb) => eb.or([eb('work_leases.until', '<=', now), eb('work_leases.owner', '=', this.owner)])),
      )
      .returning('owner')
      .executeTakeFirst();
    return row?.owner === this.owner;
  }

  /** Gives the work back (done, or given up) so another process need not wait for the lease to run out. */
  async release(kind: string, item: string): Promise<void> {
    await this.db.deleteFrom('work_leases').where('kind', '=', kind).where('item', '=', item).where('owner', '=', this.owner).execute();
  }

  /** Runs `work` only if the claim succeeds; releases afterwards unless `keep` (a once-per-period job). */
  async once<T>(
    kind: string,
    item: string,
    ttlMs: number,
    now: number,
    work: () => Promise<T>,
    keep = false,
  ): Promise<{ ran: true; value: T } | { ran: false }> {
    if (!(await this.claim(kind, item, ttlMs, now))) return { ran: false };
    try {
      return { ran: true, value: await work() };
    } finally {
      if (!keep) await this.release(kind, item);
    }
  }
}
