// The numbers and lists of a staff member's home page (issue 15 item 9): today's new cases, those
// waiting for dispatch, due soon, overdue — for a handler only their units' cases — and their
// units' open cases, earliest due first.
import type { Expression, Kysely, SqlBool } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { CASE_REF_COLUMNS } from './staffCases.ts';

type DB = Kysely<IntakeDatabase>;

const WORKING = ['assigned', 'in_progress', 'escalated'] as const;

/** The home page's tiles, counted in the database (one aggregate query, whatever the number of open cases). */
export interface HomeCounts {
  newToday: number;
  waitingDispatch: number;
  dueSoon: number;
  overdue: number;
}

/**
 * What the tiles count, as instants (ISO): the start of today, now, and the dispatch clock's cutoffs
 * (casework/process.ts dispatchCutoffs).
 */
export interface HomeCountsAt {
  todayStartIso: string;
  nowIso: string;
  overdueBefore: string;
  dueSoonBefore: string;
}

/**
 * `unitIds`: null = every case (supervisors and above); a list = only those units' cases. Due soon
 * and overdue follow the case clock (casework/process.ts caseClock) stage by stage, so the tiles count
 * what the rows show: waiting for dispatch against the dispatch cutoffs, dispatched and not yet
 * acknowledged against the 签收 time, at work against the answer's due and reminder instants.
 */
export async function homeCounts(db: DB, unitIds: string[] | null, at: HomeCountsAt): Promise<HomeCounts> {
  const row = await db
    .selectFrom('cases')
    .$if(unitIds !== null, (q) => q.where('cases.unit_id', 'in', unitIds?.length ? unitIds : ['-']))
    .select((eb) => {
      const count = (when: Expression<SqlBool>) => eb.fn.sum<string | number | null>(eb.case().when(when).then(1).else(0).end());
      const start = eb.fn.coalesce('cases.returned_at', 'cases.received_at');
      const waiting = eb('cases.status', '=', 'new');
      const working = eb('cases.status', 'in', WORKING);
      // 签收 stage: dispatched, not acknowledged, with a 签收 time; otherwise the answer clock.
      const acking = eb.and([
        eb('cases.status', '=', 'assigned'),
        eb('cases.acknowledged_at', 'is', null),
        eb('cases.ack_due_at', 'is not', null),
      ]);
      const answering = eb.and([
        working,
        eb.or([eb('cases.status', '!=', 'assigned'), eb('cases.acknowledged_at', 'is not', null), eb('cases.ack_due_at', 'is', null)]),
      ]);
      return [
        count(eb('cases.received_at', '>=', at.todayStartIso)).as('new_today'),
        count(eb.and([waiting, eb('cases.dispatched_at', 'is', null)])).as('waiting_dispatch'),
        count(
          eb.or([
            eb.and([waiting, eb(start, '<', at.overdueBefore)]),
            eb.and([acking, eb('cases.ack_due_at', '<=', at.nowIso)]),
            eb.and([answering, eb('cases.due_at', '<=', at.nowIso)]),
          ]),
        ).as('overdue'),
        count(
          eb.or([
            eb.and([waiting, eb(start, '>=', at.overdueBefore), eb(start, '<', at.dueSoonBefore)]),
            eb.and([answering, eb('cases.due_at', '>', at.nowIso), eb('cases.reminder_at', '<=', at.nowIso)]),
          ]),
        ).as('due_soon'),
      ];
    })
    .executeTakeFirstOrThrow();
  return {
    newToday: Number(row.new_today ?? 0),
    waitingDispatch: Number(row.waiting_dispatch ?? 0),
    dueSoon: Number(row.due_soon ?? 0),
    overdue: Number(row.overdue ?? 0),
  };
}

/** Open cases of these units, earliest due first (at most `limit`). */
export function unitOpenCases(db: DB, unitIds: string[], limit = 20) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([...CASE_REF_COLUMNS, 'units.name as unit_name'])
    .where('cases.unit_id', 'in', unitIds.length ? unitIds : ['-'])
    .where('cases.status', 'in', WORKING)
    .orderBy('cases.due_at')
    .orderBy('cases.received_at')
    .limit(limit)
    .execute();
}

/** The oldest cases waiting for dispatch (for those who dispatch). */
export function waitingForDispatch(db: DB, limit = 20) {
  return db
    .selectFrom('cases')
    .select(CASE_REF_COLUMNS)
    .where('status', '=', 'new')
    .where('dispatched_at', 'is', null)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}
