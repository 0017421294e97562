// The numbers and lists of a staff member's home page (issue 15 item 9): today's new cases, those
// waiting for dispatch, due soon, overdue — for a handler only their units' cases — and their
// units' open cases, earliest due first.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { CLOCK_COLUMNS } from './staffCases.ts';

type DB = Kysely<IntakeDatabase>;

const WORKING = ['assigned', 'in_progress', 'escalated'] as const;

/** Today's new cases and those waiting for dispatch; due soon and overdue come from each case's clock (openCaseClocks). */
export interface HomeTotals {
  newToday: number;
  waitingDispatch: number;
}

const scoped = <T extends { where: (...a: never[]) => T }>(q: T, unitIds: string[] | null): T =>
  unitIds === null
    ? q
    : (q as unknown as { where: (c: string, op: string, v: string[]) => T }).where('cases.unit_id', 'in', unitIds.length ? unitIds : ['-']);

/** `unitIds`: null = every case (supervisors and above); a list = only those units' cases. */
export async function homeTotals(db: DB, unitIds: string[] | null, todayStartIso: string): Promise<HomeTotals> {
  const count = () =>
    scoped(
      db.selectFrom('cases').select((eb) => eb.fn.countAll<string | number>().as('n')),
      unitIds,
    );
  const n = async (q: ReturnType<typeof count>) => Number((await q.executeTakeFirstOrThrow()).n);
  const [newToday, waitingDispatch] = await Promise.all([
    n(count().where('received_at', '>=', todayStartIso)),
    n(count().where('status', '=', 'new').where('dispatched_at', 'is', null)),
  ]);
  return { newToday, waitingDispatch };
}

/**
 * The clock columns of every open case in scope (waiting for dispatch or at work): the home page
 * counts due soon and overdue from the same clock the rows show (staff/clock.ts), so a case waiting
 * for dispatch past its dispatch deadline, or a 签收 overdue, counts as overdue there too.
 */
export function openCaseClocks(db: DB, unitIds: string[] | null) {
  return scoped(
    db
      .selectFrom('cases')
      .select(CLOCK_COLUMNS)
      .where('cases.status', 'in', ['new', ...WORKING]),
    unitIds,
  ).execute();
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
