// The staff API of the 接诉即办 process (issue 15): 签收, 退单, 延期, 渐次升级, the inbox. Request
// bodies the intake validates (intake/staff/routes/*.ts) and the staff web app sends.
import { z } from 'zod';

const Version = z.number().int().min(0);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'bad_date');
/** A reason a person typed: at least 4 characters, so "ok" or "." are not reasons. */
const Reason = z.string().trim().min(4, 'reason_too_short').max(500);

/** POST /staff/api/cases/:id/acknowledge — 签收 by the assigned unit. */
export const AcknowledgeBody = z.object({ version: Version });
/** POST /staff/api/cases/:id/return — 退单: back to dispatch, with a reason. */
export const ReturnBody = z.object({ version: Version, reason: Reason });

/** POST /staff/api/cases/:id/extensions — 延期 asked by the unit: a reason and the new due date. */
export const ExtensionRequestBody = z.object({ version: Version, reason: Reason, newDueDate: IsoDate });
/** POST /staff/api/extensions/:id/decision — a supervisor approves or refuses. */
export const ExtensionDecisionBody = z.object({ approve: z.boolean(), note: z.string().trim().max(500).default('') });

/** 渐次升级 levels: 0 村/社区, 1 乡镇/街道, 2 区级部门, 3 包案领导. */
export const EscalationLevel = z.number().int().min(0).max(3);
/** POST /staff/api/cases/:id/escalation — raise to `level` (default: the next) and its named owner. */
export const EscalateBody = z.object({
  version: Version,
  level: EscalationLevel.optional(),
  reason: Reason,
  proposalId: z.number().int().positive().optional(),
});
/** POST /staff/api/cases/:id/escalation/return — hand back down a level (out of escalation from the first). */
export const DeescalateBody = z.object({ version: Version, reason: Reason });
/** POST /staff/api/escalation-proposals/:id/dismiss */
export const DismissProposalBody = z.object({ dismiss: z.literal(true) });

/** POST /staff/api/notices/read — mark some notices read, or all. */
export const NoticesReadBody = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
  z.object({ all: z.literal(true) }),
]);

export const NumericId = z.object({ id: z.coerce.number().int().positive() });

/** The clock of a case as every list and view shows it (intake/casework/process.ts caseClock). */
export const CaseClockView = z.object({
  stage: z.enum(['dispatch', 'acknowledge', 'answer', 'done']),
  state: z.enum(['running', 'due_soon', 'overdue', 'met', 'late', 'none']),
  dueAt: z.string().nullable(),
  answerDueAt: z.string().nullable(),
  workdays: z.number().int(),
});
export type CaseClockView = z.infer<typeof CaseClockView>;
