// Repeats both ways (issue 15 item 5): a case linked as a repeat of an earlier one, the original's
// repeats and count, and the rows behind the suggestions (casework/repeats.ts decides which are
// likely). A case marked duplicate (duplicate_of, the older one-way link) counts as a repeat too.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { writeCaseHistory } from './caseHistory.ts';

type DB = Kysely<IntakeDatabase>;

export interface CaseRef {
  id: string;
  caseNumber: string;
  receivedAt: string;
  status: string;
}

const ref = (r: { id: string; case_number: string; received_at: string; status: string }): CaseRef => ({
  id: r.id,
  caseNumber: r.case_number,
  receivedAt: r.received_at,
  status: r.status,
});
const REF = ['cases.id', 'cases.case_number', 'cases.received_at', 'cases.status'] as const;

/** The case this one repeats, if it is linked (or marked a duplicate of one). */
export async function originalOf(db: DB, caseId: string): Promise<CaseRef | null> {
  const linked = await db
    .selectFrom('case_repeats')
    .innerJoin('cases', 'cases.id', 'case_repeats.original_id')
    .select(REF)
    .where('case_repeats.repeat_id', '=', caseId)
    .executeTakeFirst();
  if (linked) return ref(linked);
  const dup = await db
    .selectFrom('cases as c')
    .innerJoin('cases', 'cases.case_number', 'c.duplicate_of')
    .select(REF)
    .where('c.id', '=', caseId)
    .executeTakeFirst();
  return dup ? ref(dup) : null;
}

/** The repeats of an original, oldest first: linked ones and those marked its duplicates. */
export async function repeatsOf(db: DB, caseId: string): Promise<CaseRef[]> {
  const linked = await db
    .selectFrom('case_repeats')
    .innerJoin('cases', 'cases.id', 'case_repeats.repeat_id')
    .select(REF)
    .where('case_repeats.original_id', '=', caseId)
    .execute();
  const dups = await db
    .selectFrom('cases as o')
    .innerJoin('cases', 'cases.duplicate_of', 'o.case_number')
    .select(REF)
    .where('o.id', '=', caseId)
    .execute();
  const seen = new Set<string>();
  return [...linked, ...dups]
    .filter((r) => !seen.has(r.id) && seen.add(r.id))
    .map(ref)
    .sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}

/** How often each case was raised (1 + its repeats), for a list of originals. */
export async function timesRaised(db: DB, caseIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!caseIds.length) return out;
  const linked = await db
    .selectFrom('case_repeats')
    .select(['original_id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('original_id', 'in', caseIds)
    .groupBy('original_id')
    .execute();
  for (const r of linked) out.set(r.original_id, 1 + Number(r.n));
  const dups = await db
    .selectFrom('cases as o')
    .innerJoin('cases as d', 'd.duplicate_of', 'o.case_number')
    .leftJoin('case_repeats', 'case_repeats.repeat_id', 'd.id')
    .select(['o.id', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('o.id', 'in', caseIds)
    .where('case_repeats.repeat_id', 'is', null)
    .groupBy('o.id')
    .execute();
  for (const r of dups) out.set(r.id, (out.get(r.id) ?? 1) + Number(r.n));
  return out;
}

export type LinkResult =
  { ok: true; originalId: string; repeatId: string } | { ok: false; reason: 'same_case' | 'no_such_case' | 'already_linked' };

/**
 * Links two cases as the same matter, in one click from either: the earlier received is the
 * original (or, if it is itself a repeat, its original: no chains), the later its repeat, and the
 * repeat's own repeats move to the original. Both cases get a history line.
 */
export async function linkRepeat(db: DB, a: string, b: string, userId: string, now: number): Promise<LinkResult> {
  if (a === b) return { ok: false, reason: 'same_case' };
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('cases').select(['id', 'case_number', 'received_at']).where('id', 'in', [a, b]).execute();
    if (rows.length !== 2) return { ok: false, reason: 'no_such_case' } as const;
    const [earlier, rep] = rows.sort((x, y) => x.received_at.localeCompare(y.received_at) || x.id.localeCompare(y.id)) as [
      (typeof rows)[0],
      (typeof rows)[0],
    ];
    let orig = earlier;
    const up = await trx
      .selectFrom('case_repeats')
      .innerJoin('cases', 'cases.id', 'case_repeats.original_id')
      .select(['cases.id', 'cases.case_number', 'cases.received_at'])
      .where('case_repeats.repeat_id', '=', orig.id)
      .executeTakeFirst();
    if (up) orig = up;
    if (orig.id === rep.id) return { ok: false, reason: 'same_case' } as const;
    const existing = await trx.selectFrom('case_repeats').select('original_id').where('repeat_id', '=', rep.id).executeTakeFirst();
    if (existing) {
      if (existing.original_id === orig.id) return { ok: false, reason: 'already_linked' } as const;
      // The later case repeated another original: the one the clerk links now wins, with a history line.
      await trx.deleteFrom('case_repeats').where('repeat_id', '=', rep.id).execute();
    }
    const iso = new Date(now).toISOString();
    await trx.updateTable('case_repeats').set({ original_id: orig.id }).where('original_id', '=', rep.id).execute();
    await trx.insertInto('case_repeats').values({ repeat_id: rep.id, original_id: orig.id, linked_by: userId, linked_at: iso }).execute();
    await writeCaseHistory(trx, { caseId: rep.id, userId, action: 'link_repeat', detail: { repeatOf: orig.case_number }, at: now });
    await writeCaseHistory(trx, { caseId: orig.id, userId, action: 'link_repeat', detail: { repeat: rep.case_number }, at: now });
    return { ok: true, originalId: orig.id, repeatId: rep.id } as const;
  });
}

/** Undoes a link made by mistake (a history line on both). */
export async function unlinkRepeat(db: DB, repeatId: string, userId: string, now: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const link = await trx
      .selectFrom('case_repeats')
      .innerJoin('cases', 'cases.id', 'case_repeats.original_id')
      .select(['cases.id', 'cases.case_number'])
      .where('repeat_id', '=', repeatId)
      .executeTakeFirst();
    if (!link) return false;
    const rep = await trx.selectFrom('cases').select('case_number').where('id', '=', repeatId).executeTakeFirstOrThrow();
    await trx.deleteFrom('case_repeats').where('repeat_id', '=', repeatId).execute();
    await writeCaseHistory(trx, { caseId: repeatId, userId, action: 'link_repeat', detail: { repeatOf: null, from: null }, at: now });
    await writeCaseHistory(trx, {
      caseId: link.id,
      userId,
      action: 'link_repeat',
      detail: { repeat: null, removed: rep.case_number },
      at: now,
    });
    return true;
  });
}

/**
 * Gives every case received in [fromIso, toIso) its phone hash row (null when it has no phone),
 * opening the sealed contact with `hashOf`; cases that have one are skipped. Returns how many were added.
 */
export async function fillPhoneHashes(
  db: DB,
  fromIso: string,
  toIso: string,
  hashOf: (contactSealed: string) => string | null,
  batch = 5000,
): Promise<number> {
  const missing = await db
    .selectFrom('cases')
    .leftJoin('case_phone_hashes', 'case_phone_hashes.case_id', 'cases.id')
    .select(['cases.id', 'cases.contact_sealed'])
    .where('case_phone_hashes.case_id', 'is', null)
    .where('cases.received_at', '>=', fromIso)
    .where('cases.received_at', '<', toIso)
    .limit(batch)
    .execute();
  for (const m of missing) {
    await db
      .insertInto('case_phone_hashes')
      .values({ case_id: m.id, phone_hash: m.contact_sealed ? hashOf(m.contact_sealed) : null })
      .onConflict((oc) => oc.column('case_id').doNothing())
      .execute();
  }
  return missing.length;
}

export async function phoneHashOf(db: DB, caseId: string): Promise<string | null> {
  return (
    (await db.selectFrom('case_phone_hashes').select('phone_hash').where('case_id', '=', caseId).executeTakeFirst())?.phone_hash ?? null
  );
}

/**
 * Cases received in [fromIso, toIso) other than `caseId` with the same category or the same phone
 * hash, nearest in time first (of the `limit` latest): the pool casework/repeats.ts picks from.
 */
export async function repeatPool(
  db: DB,
  c: { id: string; receivedAt: string; category: string | null },
  phoneHash: string | null,
  fromIso: string,
  toIso: string,
  limit = 300,
) {
  if (!c.category && !phoneHash) return { rows: [], samePhone: new Set<string>() };
  const samePhone = new Set(
    phoneHash
      ? (
          await db
            .selectFrom('case_phone_hashes')
            .innerJoin('cases', 'cases.id', 'case_phone_hashes.case_id')
            .select('cases.id')
            .where('phone_hash', '=', phoneHash)
            .where('cases.id', '!=', c.id)
            .where('cases.received_at', '>=', fromIso)
            .where('cases.received_at', '<', toIso)
            .limit(limit)
            .execute()
        ).map((r) => r.id)
      : [],
  );
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'case_number as caseNumber', 'received_at as receivedAt', 'status', 'category', 'location', 'summary'])
    .where('id', '!=', c.id)
    .where('received_at', '>=', fromIso)
    .where('received_at', '<', toIso)
    .where((eb) =>
      eb.or([...(c.category ? [eb('category', '=', c.category)] : []), ...(samePhone.size ? [eb('id', 'in', [...samePhone])] : [])]),
    )
    .orderBy('received_at', 'desc')
    .limit(limit)
    .execute();
  // Nearest in time first.
  const t = Date.parse(c.receivedAt);
  rows.sort((x, y) => Math.abs(Date.parse(x.receivedAt) - t) - Math.abs(Date.parse(y.receivedAt) - t));
  return { rows, samePhone };
}

/** Every case linked with `caseId` (its original, the original's repeats), to leave out of suggestions. */
export async function linkedGroup(db: DB, caseId: string): Promise<Set<string>> {
  const orig = await originalOf(db, caseId);
  const root = orig?.id ?? caseId;
  return new Set([root, ...(await repeatsOf(db, root)).map((r) => r.id)]);
}
