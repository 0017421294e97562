// What a resident may see of their own case on the public status page (issue 18), and their
// rating of the result. Queries only; the routes are intake/status/routes.ts. What comes out is
// public by construction: the case number, the steps with their dates and the unit's answer —
// never the phone, the identity, the place, the media or a staff member's name.
import type { Kysely } from 'kysely';
import type { Satisfaction } from '../casework/rates.ts';
import type { IntakeDatabase } from './schema.ts';
import { writeCaseHistory } from './caseHistory.ts';

type DB = Kysely<IntakeDatabase>;

export interface PublicCaseStatus {
  caseNumber: string;
  /** The short number on the resident's receipt (8 digits), when the case has one. */
  residentNumber: string | null;
  /**
   * The number the receipt shows when the intake filed the case under another one (another case
   * already held it: a restored or re-imaged booth), so the page can say the number changed.
   */
  receiptNumber: string | null;
  /** received → assigned → answered → closed; each with its date (ISO) once reached. */
  receivedAt: string;
  assignedAt: string | null;
  answeredAt: string | null;
  closedAt: string | null;
  /** The unit's answer to the resident, once the case is answered. */
  answer: string | null;
  /** The resident may rate once the case is answered; their rating once given. */
  canRate: boolean;
  rating: Satisfaction | null;
}

const ANSWERED = ['answered', 'called_back', 'closed'];
const CLOSED = ['closed', 'invalid', 'duplicate'];

/** Stored with the case, in its transaction (the token itself stays on the resident's receipt). */
export async function addStatusToken(db: DB, caseId: string, tokenHash: string): Promise<void> {
  await db.insertInto('resident_status_tokens').values({ case_id: caseId, token_hash: tokenHash }).execute();
}

export async function caseIdByToken(db: DB, tokenHash: string): Promise<string | null> {
  const r = await db.selectFrom('resident_status_tokens').select('case_id').where('token_hash', '=', tokenHash).executeTakeFirst();
  return r?.case_id ?? null;
}

/**
 * The cases a number on a receipt may name, with their sealed contact (the caller checks the phone's
 * last digits against each). Either number the receipt shows: the resident number (8 digits, typed
 * with or without its space or a dash) or the case number (any letter case, spaces ignored). The case
 * holding the number comes first, then any case the intake filed under another number while the
 * booth's receipt showed this one (a restored or re-imaged booth: docs/DELIVERY.md "Numbers").
 */
export async function casesByNumber(
  db: DB,
  number: string,
): Promise<{ id: string; contact_sealed: string | null; identity_sealed: string | null }[]> {
  const compact = number.replace(/[\s\u3000]+/g, '');
  const digits = compact.replace(/[-－—]/g, '');
  const resident = /^\d{8}$/.test(digits);
  const wanted = resident ? digits : compact.toUpperCase();
  const holder = await db
    .selectFrom('cases')
    .select(['id', 'contact_sealed', 'identity_sealed'])
    .where(resident ? 'resident_number' : 'case_number', '=', wanted)
    .executeTakeFirst();
  const aliased = await db
    .selectFrom('case_number_aliases as a')
    .innerJoin('cases as c', 'c.id', 'a.case_id')
    .select(['c.id', 'c.contact_sealed', 'c.identity_sealed'])
    .where('a.alias', '=', wanted)
    .where('a.kind', '=', resident ? 'resident' : 'case')
    .orderBy('a.created_at')
    .execute();
  return [...(holder ? [holder] : []), ...aliased];
}

export async function publicCaseStatus(db: DB, caseId: string): Promise<PublicCaseStatus | null> {
  const c = await db
    .selectFrom('cases')
    .select(['case_number', 'resident_number', 'status', 'received_at', 'dispatched_at', 'answered_at', 'result'])
    .where('id', '=', caseId)
    .executeTakeFirst();
  if (!c) return null;
  const closed = CLOSED.includes(c.status)
    ? await db
        .selectFrom('case_history')
        .select('at')
        .where('case_id', '=', caseId)
        .where('action', 'in', ['close', 'mark_invalid', 'mark_duplicate'])
        .orderBy('at', 'desc')
        .executeTakeFirst()
    : undefined;
  const rating = await residentRating(db, caseId);
  const answered = ANSWERED.includes(c.status);
  // The receipt shows the resident number when the booth had one, else the case number.
  const alias = await db
    .selectFrom('case_number_aliases')
    .select(['alias', 'kind'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .execute();
  const receiptNumber = (alias.find((a) => a.kind === 'resident') ?? alias.find((a) => a.kind === 'case'))?.alias ?? null;
  return {
    caseNumber: c.case_number,
    residentNumber: c.resident_number ?? null,
    receiptNumber,
    receivedAt: c.received_at,
    assignedAt: c.dispatched_at,
    answeredAt: answered ? c.answered_at : null,
    closedAt: closed?.at ?? null,
    answer: answered ? c.result : null,
    canRate: answered && rating === null,
    rating,
  };
}

export async function residentRating(db: DB, caseId: string): Promise<Satisfaction | null> {
  const r = await db.selectFrom('resident_ratings').select('rating').where('case_id', '=', caseId).executeTakeFirst();
  return (r?.rating as Satisfaction | undefined) ?? null;
}

/**
 * The resident's own evaluation, once per case: false if the case already has one. It is a step of
 * the case like the callback: in its history (action `evaluated`, no user) and, through
 * writeCaseHistory, a `case.evaluated` partner event, in the same transaction as the rating.
 */
export async function recordResidentRating(db: DB, caseId: string, rating: Satisfaction, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .insertInto('resident_ratings')
      .values({ case_id: caseId, rating, rated_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
    await writeCaseHistory(trx, {
      caseId,
      userId: null,
      action: 'evaluated',
      detail: { satisfaction: rating, source: 'resident' },
      at: now,
    });
    return true;
  });
}

/** Input to the satisfaction rate: the residents' own ratings of these cases (case id → rating). */
export async function residentRatingsFor(db: DB, caseIds: string[]): Promise<Map<string, Satisfaction>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db.selectFrom('resident_ratings').select(['case_id', 'rating']).where('case_id', 'in', caseIds).execute();
  return new Map(rows.map((r) => [r.case_id, r.rating as Satisfaction]));
}
