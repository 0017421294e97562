// The store queries behind the Open311 GeoReport v2 routes and the partner routes (issue 19):
// service requests by filter or number, the token lookup, a partner-filed case, the cases behind
// the three rates. Route handlers hold no SQL.
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { CaseStore } from './cases.ts';
import type { Jurisdiction } from '../open311/vocabulary.ts';
import { localDate } from '../casework/time.ts';

type DB = Kysely<IntakeDatabase>;

export const REQUEST_COLUMNS = [
  'cases.id',
  'cases.case_number',
  'cases.status',
  'cases.category',
  'cases.territory',
  'cases.location',
  'cases.summary',
  'cases.received_at',
  'cases.updated_at',
  'cases.dispatched_at',
  'cases.answered_at',
  'cases.due_at',
  'cases.result',
  'cases.source',
  'cases.jurisdiction_id',
  'cases.booth_code',
  'units.name as unit_name',
  'booths.village as booth_village',
] as const;

export interface RequestFilter {
  numbers?: string[];
  categories?: string[];
  statuses?: string[];
  from?: string;
  to?: string;
  /** Only this township's cases; null = every case (one township or none configured). */
  jurisdiction: Jurisdiction | null;
  limit: number;
}

function base(db: DB) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .leftJoin('booths', 'booths.booth_code', 'cases.booth_code')
    .select([...REQUEST_COLUMNS]);
}

export type RequestRow = Awaited<ReturnType<ReturnType<typeof base>['execute']>>[number];

/** Newest first (received_at, id), at most `limit`. */
export async function findRequests(db: DB, f: RequestFilter): Promise<RequestRow[]> {
  let q = base(db).orderBy('cases.received_at', 'desc').orderBy('cases.id', 'desc').limit(f.limit);
  if (f.numbers) q = q.where('cases.case_number', 'in', f.numbers.length ? f.numbers : ['']);
  else {
    if (f.categories) q = q.where('cases.category', 'in', f.categories.length ? f.categories : ['']);
    if (f.statuses) q = q.where('cases.status', 'in', f.statuses.length ? f.statuses : ['']);
    if (f.from) q = q.where('cases.received_at', '>=', f.from);
    if (f.to) q = q.where('cases.received_at', '<=', f.to);
  }
  const j = f.jurisdiction;
  if (j) {
    const villages = j.villages.length ? j.villages : [''];
    q = q.where((eb) =>
      eb.or([
        eb('cases.jurisdiction_id', '=', j.id),
        eb.and([eb('cases.jurisdiction_id', 'is', null), eb('cases.territory', 'in', villages)]),
        eb.and([eb('cases.jurisdiction_id', 'is', null), eb('cases.territory', 'is', null), eb('booths.village', 'in', villages)]),
      ]),
    );
  }
  return q.execute();
}

/** The history steps a key with the read scope sees as notes (status steps only, no notes or reveals). */
export async function requestNotes(db: DB, caseIds: string[]): Promise<{ case_id: string; at: string; action: string; detail: string }[]> {
  if (caseIds.length === 0) return [];
  return db
    .selectFrom('case_history')
    .select(['case_id', 'at', 'action', 'detail'])
    .where('case_id', 'in', caseIds)
    .where('action', 'not in', ['note', 'reveal', 'reveal_contact', 'edit', 'attachment'])
    .orderBy('case_id')
    .orderBy('id')
    .execute();
}

/** tokens/{token}: the token is the case's internal id (a booth's submission id, or the id a partner's POST returned). */
export async function caseNumberByToken(db: DB, token: string): Promise<{ case_number: string; received_at: string } | undefined> {
  return db.selectFrom('cases').select(['case_number', 'received_at']).where('id', '=', token).executeTakeFirst();
}

export const PARTNER_BOOTH_CODE = 'PARTNER';

export interface PartnerCase {
  serviceCode: string;
  description: string;
  address: string | null;
  jurisdictionId: string | null;
  contactSealed: string | null;
  keyId: string;
  keyName: string;
  canonical: string;
  mediaUrl: string | null;
  /** Runs in the transaction that creates the case, with its number (e.g. completing an Idempotency-Key). */
  alsoInTransaction?: (trx: DB, caseNumber: string) => Promise<void>;
}

/** The fingerprint a partner case keeps (cases.manifest_hash): the sha256 of its canonical request. */
export function partnerRequestHash(canonical: string): string {
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The case this key filed with exactly this request since `sinceIso`, if any: a partner that lost
 * our answer and posts again without an Idempotency-Key gets the first case back, not a second one.
 */
export function recentPartnerDuplicate(db: DB, keyId: string, canonical: string, sinceIso: string) {
  return db
    .selectFrom('cases')
    .select(['case_number'])
    .where('source', '=', 'partner')
    .where('source_ref', '=', keyId)
    .where('manifest_hash', '=', partnerRequestHash(canonical))
    .where('received_at', '>=', sinceIso)
    .orderBy('received_at', 'asc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A case filed by a partner system: case number PARTNER-<Beijing date>-<4-digit sequence of the day>
 * (the same shape as a booth's), source 'partner', its history 'created' row and event written by
 * the one case creation path (CaseStore.createCase).
 */
export async function createPartnerCase(db: DB, p: PartnerCase, now: number, tz: string): Promise<{ id: string; caseNumber: string }> {
  const iso = new Date(now).toISOString();
  const prefix = `${PARTNER_BOOTH_CODE}-${localDate(now, tz).replaceAll('-', '')}-`;
  const store = new CaseStore(db);
  for (let attempt = 0; ; attempt++) {
    const last = await db
      .selectFrom('cases')
      .select('case_number')
      .where('case_number', 'like', `${prefix}%`)
      .orderBy('case_number', 'desc')
      .limit(1)
      .executeTakeFirst();
    const n = (last ? Number(last.case_number.slice(prefix.length)) : 0) + 1;
    const caseNumber = `${prefix}${String(n).padStart(4, '0')}`;
    const id = randomUUID();
    try {
      await store.createCase(
        {
          id,
          case_number: caseNumber,
          booth_code: PARTNER_BOOTH_CODE,
          language: 'zh-CN',
          started_at: iso,
          saved_at: iso,
          received_at: iso,
          category: p.serviceCode,
          location: p.address,
          contact_sealed: p.contactSealed,
          manifest_hash: partnerRequestHash(p.canonical),
          source: 'partner',
          source_ref: p.keyId,
          summary: p.description,
          jurisdiction_id: p.jurisdictionId,
          search_text: [caseNumber, p.description, p.address ?? ''].join(' ').toLowerCase(),
        },
        [],
        p.alsoInTransaction ? (trx) => p.alsoInTransaction!(trx, caseNumber) : undefined,
        { partner: p.keyName, ...(p.mediaUrl ? { mediaUrl: p.mediaUrl } : {}) },
      );
      return { id, caseNumber };
    } catch (e) {
      // Two partners filing in the same instant drew the same number: draw again.
      if (attempt < 5 && /unique|duplicate/i.test((e as Error).message)) continue;
      throw e;
    }
  }
}

/** The cases behind the three rates: callbacks recorded in [from, to). */
export function rateCases(db: DB, fromIso: string, toIso: string) {
  return db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([
      'cases.status',
      'cases.unit_id',
      'units.name as unit_name',
      'cases.territory',
      'cases.callback_at',
      'cases.callback_contacted',
      'cases.callback_solved',
      'cases.callback_satisfaction',
    ])
    .where('cases.callback_at', '>=', fromIso)
    .where('cases.callback_at', '<', toIso)
    .execute();
}
