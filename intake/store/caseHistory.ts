// The ONE writer of a case's history. Every case step (created, dispatched, acknowledged 签收,
// returned 退单, extension requested / decided 延期, escalated 升级, answered, called back,
// evaluated, closed, reopened, and the smaller edits) goes through writeCaseHistory() inside the
// transaction that makes the change, so the history row commits with the change or not at all.
// Other parts hook in here (the partners' event outbox, issue 19): add the hook to this function,
// never a second insert somewhere else.
//
// `action` is a stable machine code (below); the staff app translates it through its message
// catalogue (intake/web/i18n.ts `history.*`). `detail` is JSON with machine values and never
// personal data in clear.
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

export const HISTORY_ACTIONS = [
  'created', // the booth's upload became a case (user: none)
  'assign', // dispatched (派单) or reassigned to a unit
  'acknowledge', // 签收: the unit took the case
  'return', // 退单: the unit sent it back, with a reason
  'extension_requested', // 延期 asked by the unit
  'extension_decided', // 延期 approved or refused by a supervisor
  'escalate', // 升级 / 吹哨
  'start',
  'answer',
  'callback', // 回访 recorded by staff
  'evaluated', // the resident's own evaluation (issue 18, helper "resident")
  'close',
  'reopen',
  'mark_invalid',
  'mark_duplicate',
  'restore',
  'link_repeat', // linked as a repeat of an earlier case (both ways)
  'edit',
  'note',
  'attachment', // a staff attachment (after-photo, document)
  'reveal', // the identity was revealed (supervisor)
  'reveal_contact', // the callback phone was revealed (handler of the case's unit)
  'reminder', // the 4th-working-day reminder was sent
] as const;
export type HistoryAction = (typeof HISTORY_ACTIONS)[number];

export interface HistoryEntry {
  caseId: string;
  /** The staff user, or null for the system (booth upload, reminder ticker, resident). */
  userId: string | null;
  action: HistoryAction;
  detail: Record<string, unknown>;
  /** Epoch ms. */
  at: number;
}

type Db = Kysely<IntakeDatabase> | Transaction<IntakeDatabase>;

/** Appends one history row. Call it with the transaction that makes the change. */
export async function writeCaseHistory(trx: Db, e: HistoryEntry): Promise<void> {
  await trx
    .insertInto('case_history')
    .values({ case_id: e.caseId, at: new Date(e.at).toISOString(), user_id: e.userId, action: e.action, detail: JSON.stringify(e.detail) })
    .execute();
}
