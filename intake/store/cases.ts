// The intake's case repository: the queries the booth API and the staff app need, nothing else.
import type { Kysely } from 'kysely';
import type { CaseItemsTable, CasesTable, IntakeDatabase } from './schema.ts';
import { writeCaseHistory } from './caseHistory.ts';

export type CaseRow = Omit<CasesTable, 'status'> & { status: string };
export type CaseItemRow = Omit<CaseItemsTable, 'playback_state'> & { playback_state: string };

export class CaseStore {
  constructor(readonly db: Kysely<IntakeDatabase>) {}

  async caseById(id: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  }

  items(caseId: string): Promise<CaseItemRow[]> {
    return this.db.selectFrom('case_items').selectAll().where('case_id', '=', caseId).orderBy('idx').execute();
  }

  /** A case appears whole or not at all: the case and its items in one transaction. */
  /** `identity_sealed` / `real_name` (store/staffSchema.ts) are set for real-name submissions only. */
  /** `alsoInTransaction` writes what must commit with the case (the booth API's idempotency record). */
  async createCase(
    row: Omit<CaseRow, 'status' | 'resident_number'> & {
      resident_number?: string | null;
      identity_sealed?: string | null;
      real_name?: number;
      source?: string;
      source_ref?: string | null;
      summary?: string;
      search_text?: string;
      jurisdiction_id?: string | null;
    },
    items: Omit<CaseItemRow, 'playback_state' | 'playback_file' | 'poster_file'>[],
    alsoInTransaction?: (trx: Kysely<IntakeDatabase>) => Promise<void>,
    /** More of the 'created' step's detail (a partner case: which key filed it). */
    createdDetail?: Record<string, unknown>,
  ): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('cases').values(row).execute();
      for (const it of items) await trx.insertInto('case_items').values(it).execute();
      await writeCaseHistory(trx, {
        caseId: row.id,
        userId: null,
        action: 'created',
        detail: {
          boothCode: row.booth_code,
          items: items.length,
          ...(row.source && row.source !== 'booth' ? { source: row.source } : {}),
          ...createdDetail,
        },
        at: Date.parse(row.received_at),
      });
      await alsoInTransaction?.(trx);
    });
  }

  /** Newest first; keyset pagination on (received_at, id). */
  listCases(limit: number, before?: { receivedAt: string; id: string }): Promise<CaseRow[]> {
    let q = this.db.selectFrom('cases').selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit);
    if (before) {
      q = q.where((eb) =>
        eb.or([eb('received_at', '<', before.receivedAt), eb.and([eb('received_at', '=', before.receivedAt), eb('id', '<', before.id)])]),
      );
    }
    return q.execute();
  }

  itemsOfCases(caseIds: string[]): Promise<CaseItemRow[]> {
    if (caseIds.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('case_items').selectAll().where('case_id', 'in', caseIds).orderBy('case_id').orderBy('idx').execute();
  }

  /** Items whose rendition is still to be made (of these cases only, when given). */
  pendingPlayback(caseIds?: string[]): Promise<CaseItemRow[]> {
    let q = this.db.selectFrom('case_items').selectAll().where('playback_state', '=', 'pending');
    if (caseIds) q = q.where('case_id', 'in', caseIds);
    return q.execute();
  }

  async playbackPending(caseId: string, idx: number): Promise<boolean> {
    const r = await this.db
      .selectFrom('case_items')
      .select('playback_state')
      .where('case_id', '=', caseId)
      .where('idx', '=', idx)
      .executeTakeFirst();
    return r?.playback_state === 'pending';
  }

  async setPlayback(
    caseId: string,
    idx: number,
    state: 'ready' | 'failed',
    playbackFile: string | null,
    posterFile: string | null,
  ): Promise<void> {
    await this.db
      .updateTable('case_items')
      .set({ playback_state: state, playback_file: playbackFile, poster_file: posterFile })
      .where('case_id', '=', caseId)
      .where('idx', '=', idx)
      .execute();
  }

  async countCases(): Promise<number> {
    const r = await this.db
      .selectFrom('cases')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
