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
 * The case a number on a receipt names, with its sealed contact (the caller checks the phone's last
 * digits). Either number the receipt shows: the resident number (8 digits, typed with or without
 * its space or a dash) or the case number (any letter case, spaces ignored).
 */
export async function caseByNumber(
  db: DB,
  number: string,
): Promise<{ id: string; contact_sealed: string | null; identity_sealed: string | null } | null> {
  const compact = number.replace(/[\s\u3000]+/g, '');
  const digits = compact.replace(/[-－—]/g, '');
  const q = db.selectFrom('cases').select(['id', 'contact_sealed', 'identity_sealed']);
  const r = /^\d{8}$/.test(digits)
    ? await q.where('resident_number', '=', digits).executeTakeFirst()
    : await q.where('case_number', '=', compact.toUpperCase()).executeTakeFirst();
  return r ?? null;
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
  return {
    caseNumber: c.case_number,
    residentNumber: c.resident_number ?? null,
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
