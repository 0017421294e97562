// Case reads of the staff API that are not case work (staff/cases.ts): a case's items, the
// due-soon list, and the rows behind the lists and reports (the pure rules in casework/ shape them).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

type DB = Kysely<IntakeDatabase>;

/** The columns a case's clock is made of (casework/process.ts ClockRow): every list that shows the clock selects them. */
export const CLOCK_COLUMNS = [
  'cases.status',
  'cases.received_at',
  'cases.dispatched_at',
  'cases.returned_at',
  'cases.ack_due_at',
  'cases.acknowledged_at',
  'cases.due_at',
  'cases.reminder_at',
  'cases.answered_at',
] as const;

/** A case on a short list (home page, 即将到期, 包案): what identifies it and its clock. */
export const CASE_REF_COLUMNS = ['cases.id', 'cases.case_number', 'cases.summary', ...CLOCK_COLUMNS] as const;

/** A row of the case list (staff/cases.ts listCases): a short list's columns and what the list's columns and filters show. */
export const CASE_LIST_COLUMNS = [
  ...CASE_REF_COLUMNS,
  'cases.booth_code',
  'cases.category',
  'cases.location',
  'cases.unit_id',
  'cases.territory',
  'cases.real_name',
  'cases.result',
] as const;

/** The booth codes that have delivered at least one case (a filter of the case list). */
export async function boothCodesWithCases(db: DB): Promise<string[]> {
  return (await db.selectFrom('cases').select('booth_code').distinct().orderBy('booth_code').execute()).map((b) => b.booth_code);
}

export function caseItems(db: DB, caseId: string) {
  return db.selectFrom('case_items').selectAll().where('case_id', '=', caseId).orderBy('idx').execute();
}

export function caseItem(db: DB, caseId: string, idx: number) {
  return db.selectFrom('case_items').selectAll().where('case_id', '=', caseId).where('idx', '=', idx).executeTakeFirst();
}

export async function caseIdByNumber(db: DB, caseNumber: string): Promise<string | null> {
  return (await db.selectFrom('cases').select('id').where('case_number', '=', caseNumber).executeTakeFirst())?.id ?? null;
}

/**
 * The candidates of 即将到期: cases waiting for dispatch, dispatched and not acknowledged by their
 * 签收 time, and open cases whose reminder time has come (`isoNow`). The route puts each on its clock.
 */
export function dueSoonCases(db: DB, isoNow: string) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([...CASE_REF_COLUMNS, 'cases.reminder_sent_at', 'cases.deadline_warning', 'units.name as unit_name'])
    .where((eb) =>
      eb.or([
        eb('cases.status', '=', 'new'),
        eb.and([eb('cases.status', '=', 'assigned'), eb('cases.acknowledged_at', 'is', null), eb('cases.ack_due_at', '<=', isoNow)]),
        eb.and([
          eb('cases.reminder_at', '<=', isoNow),
          eb('cases.answered_at', 'is', null),
          eb('cases.status', 'in', ['assigned', 'in_progress', 'escalated']),
        ]),
      ]),
    )
    .orderBy('cases.received_at')
    .limit(500)
    .execute();
}

/** The cases received in [startIso, endIso): the rows of a daily / weekly / monthly list. */
export function casesReceivedBetween(db: DB, startIso: string, endIso: string) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([
      'cases.case_number',
      'cases.received_at',
      'cases.dispatched_at',
      'cases.summary',
      'cases.location',
      'units.name as unit_name',
      'cases.territory',
      'cases.status',
      'cases.result',
    ])
    .where('cases.received_at', '>=', startIso)
    .where('cases.received_at', '<', endIso)
    .execute();
}

/** The categorised cases received in [startIso, endIso): the input of the recurring-problems report. */
export function categorisedCasesBetween(db: DB, startIso: string, endIso: string) {
  return db
    .selectFrom('cases')
    .select(['id', 'case_number', 'received_at', 'category', 'location', 'status'])
    .where('received_at', '>=', startIso)
    .where('received_at', '<', endIso)
    .where('category', 'is not', null)
    .execute();
}

/** The 包案 list: the cases whose current escalation owner is this user, latest escalated first. */
export function ownedCases(db: DB, userId: string) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([
      ...CASE_REF_COLUMNS,
      'cases.category',
      'cases.territory',
      'cases.escalation_level',
      'cases.escalated_at',
      'units.name as unit_name',
    ])
    .where('cases.escalation_owner_id', '=', userId)
    .orderBy('cases.escalated_at', 'desc')
    .limit(500)
    .execute();
}
