// The numbers and lists of a staff member's home page (issue 15 item 9): today's new cases, those
// waiting for dispatch, due soon, overdue — for a handler only their units' cases — and their
// units' open cases, earliest due first.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { CLOCK_COLUMNS } from './staffCases.ts';

type DB = Kysely<IntakeDatabase>;

const WORKING = ['assigned', 'in_progress', 'escalated'] as const;

export interface HomeCounts {
  newToday: number;
  waitingDispatch: number;
  dueSoon: number;
  overdue: number;
}

/** `unitIds`: null = every case (supervisors and above); a list = only those units' cases. */
export async function homeCounts(db: DB, unitIds: string[] | null, nowIso: string, todayStartIso: string): Promise<HomeCounts> {
  const base = () => {
    const q = db.selectFrom('cases').select((eb) => eb.fn.countAll<string | number>().as('n'));
    return unitIds === null ? q : q.where('unit_id', 'in', unitIds.length ? unitIds : ['-']);
  };
  const n = async (q: ReturnType<typeof base>) => Number((await q.executeTakeFirstOrThrow()).n);
  const [newToday, waitingDispatch, dueSoon, overdue] = await Promise.all([
    n(base().where('received_at', '>=', todayStartIso)),
    n(base().where('status', '=', 'new').where('dispatched_at', 'is', null)),
    n(
      base()
        .where('reminder_at', '<=', nowIso)
        .where('due_at', '>', nowIso)
        .where('answered_at', 'is', null)
        .where('status', 'in', WORKING),
    ),
    n(base().where('due_at', '<=', nowIso).where('answered_at', 'is', null).where('status', 'in', WORKING)),
  ]);
  return { newToday, waitingDispatch, dueSoon, overdue };
}

/** Open cases of these units, earliest due first (at most `limit`). */
export function unitOpenCases(db: DB, unitIds: string[], limit = 20) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.case_number', 'cases.summary', ...CLOCK_COLUMNS, 'units.name as unit_name'])
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
    .select(['cases.id', 'cases.case_number', 'cases.summary', ...CLOCK_COLUMNS])
    .where('status', '=', 'new')
    .where('dispatched_at', 'is', null)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}
