// The in-app inbox (issue 15): reminders, returns (退单), ack overdue (签收超时), escalations
// (渐次升级) and their proposals, extension requests and decisions (延期). A notice is addressed to a
// user, to the users of a unit, and/or to every user of at least a role; each user marks it read on
// their own. `detail` holds machine values the staff app words through its catalogue (never
// personal data). The same notice goes once to the notice webhook (webhook_state), whichever
// process sends it (intake/staff/noticeWebhook.ts).
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { ROLES, roleRank, type Role } from '../staff/roles.ts';

type Db = Kysely<IntakeDatabase> | Transaction<IntakeDatabase>;

import { NOTICE_KINDS } from '../../contract/staff/process.ts';
export { NOTICE_KINDS };
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NewNotice {
  at: number;
  kind: NoticeKind;
  caseId: string | null;
  caseNumber: string | null;
  userId?: string | null;
  unitId?: string | null;
  minRole?: Role | null;
  detail: Record<string, string | number | boolean | null>;
  /** The same key is written once (a trigger seen by two processes, or twice by one). */
  dedupeKey?: string;
  /** false: never goes to the notice webhook (the reminder has its own POST). */
  webhook?: boolean;
}

/** Writes a notice; false when one with the same dedupe key exists. Call it inside the change's transaction. */
export async function addNotice(db: Db, n: NewNotice): Promise<boolean> {
  const r = await db
    .insertInto('notices')
    .values({
      at: new Date(n.at).toISOString(),
      kind: n.kind,
      case_id: n.caseId,
      case_number: n.caseNumber,
      user_id: n.userId ?? null,
      unit_id: n.unitId ?? null,
      min_role: n.minRole ?? null,
      detail: JSON.stringify(n.detail),
      dedupe_key: n.dedupeKey ?? null,
      webhook_state: n.webhook === false ? 'none' : 'pending',
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface Reader {
  id: string;
  role: Role;
  unitIds: readonly string[];
}

function visibleTo(db: Db, u: Reader) {
  const roles = ROLES.filter((r) => roleRank(r) <= roleRank(u.role));
  return db
    .selectFrom('notices')
    .where((eb) =>
      eb.or([
        eb('notices.user_id', '=', u.id),
        ...(u.unitIds.length ? [eb('notices.unit_id', 'in', [...u.unitIds])] : []),
        eb('notices.min_role', 'in', roles),
      ]),
    );
}

/** The user's inbox, newest first, each with whether this user has read it. */
export async function inbox(db: Db, u: Reader, limit = 200) {
  const rows = await visibleTo(db, u)
    .leftJoin('notice_reads', (j) => j.onRef('notice_reads.notice_id', '=', 'notices.id').on('notice_reads.user_id', '=', u.id))
    .select([
      'notices.id',
      'notices.at',
      'notices.kind',
      'notices.case_id',
      'notices.case_number',
      'notices.detail',
      'notice_reads.read_at',
    ])
    .orderBy('notices.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at,
    kind: r.kind as NoticeKind,
    caseId: r.case_id,
    caseNumber: r.case_number,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    read: r.read_at !== null,
  }));
}

export async function unreadCount(db: Db, u: Reader): Promise<number> {
  const r = await visibleTo(db, u)
    .leftJoin('notice_reads', (j) => j.onRef('notice_reads.notice_id', '=', 'notices.id').on('notice_reads.user_id', '=', u.id))
    .where('notice_reads.read_at', 'is', null)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Marks the given notices (only those the user can see) read, or all of them. Returns how many were newly marked. */
export async function markRead(db: Kysely<IntakeDatabase>, u: Reader, ids: number[] | 'all', now: number): Promise<number> {
  let q = visibleTo(db, u).select('notices.id');
  if (ids !== 'all') {
    if (ids.length === 0) return 0;
    q = q.where('notices.id', 'in', ids);
  }
  const visible = (await q.execute()).map((r) => Number(r.id));
  let n = 0;
  const at = new Date(now).toISOString();
  for (const id of visible) {
    const r = await db
      .insertInto('notice_reads')
      .values({ notice_id: id, user_id: u.id, read_at: at })
      .onConflict((oc) => oc.columns(['notice_id', 'user_id']).doNothing())
      .executeTakeFirst();
    n += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return n;
}

export function pendingWebhookNotices(db: Db, limit = 50) {
  return db.selectFrom('notices').selectAll().where('webhook_state', '=', 'pending').orderBy('id').limit(limit).execute();
}

export async function setWebhookState(db: Db, id: number, state: 'sent' | 'none', now: number): Promise<void> {
  await db
    .updateTable('notices')
    .set({ webhook_state: state, webhook_at: new Date(now).toISOString() })
    .where('id', '=', id)
    .execute();
}
