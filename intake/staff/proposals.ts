// 渐次升级 proposals (issue 15): one row per (case, reason, trigger), made by the reopen itself or by
// the process ticker (intake/staff/process.ts proposeEscalations), each telling the dispatchers.
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { addNotice } from '../store/notices.ts';
import { nextLevel } from '../casework/process.ts';

type Trx = Transaction<IntakeDatabase>;

export type ProposalReason = 'overdue' | 'reopened' | 'repeat';

/** Writes a proposal once per (case, reason, trigger) and tells the dispatchers; false when it existed. */
export async function propose(
  trx: Kysely<IntakeDatabase> | Trx,
  c: { id: string; case_number: string; escalation_level: number | null },
  reason: ProposalReason,
  trigger: string,
  now: number,
): Promise<boolean> {
  const level = nextLevel(c.escalation_level);
  if (level === null) return false;
  const r = await trx
    .insertInto('escalation_proposals')
    .values({ case_id: c.id, reason, trigger_key: trigger, proposed_level: level, created_at: new Date(now).toISOString() })
    .onConflict((oc) => oc.columns(['case_id', 'reason', 'trigger_key']).doNothing())
    .executeTakeFirst();
  if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) return false;
  await addNotice(trx, {
    at: now,
    kind: 'escalation_proposed',
    caseId: c.id,
    caseNumber: c.case_number,
    minRole: 'supervisor',
    detail: { level, reason },
  });
  return true;
}

/** A reopened case (not solved, or raised again) is proposed for the next level, in the reopen's transaction. */
export function proposeOnReopen(
  trx: Trx,
  row: { id: string; case_number: string; escalation_level: number | null },
  now: number,
): Promise<boolean> {
  return propose(trx, row, 'reopened', new Date(now).toISOString(), now);
}
