// The 接诉即办 process (issue 15): 签收, 退单, a case's process state, 延期, 渐次升级 and its
// proposals, the in-app inbox: the request bodies the intake validates and the staff app sends,
// and the routes.
import { z } from 'zod';
import { CaseStatus } from './session.ts';
import { Id, NumericId, Ok, Version, route } from './route.ts';

/** A date typed in a form; a wrong one is refused with the reason bad_date. */
const DueDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'bad_date');
/** A reason a person typed: at least 4 characters, so "ok" or "." are not reasons. */
const Reason = z.string().trim().min(4, 'reason_too_short').max(500);

/** 签收 by the assigned unit. */
export const AcknowledgeBody = z.object({ version: Version });
/** 退单: back to dispatch, with a reason. */
export const ReturnBody = z.object({ version: Version, reason: Reason });
/** 延期 asked by the unit: a reason and the new due date. */
export const ExtensionRequestBody = z.object({ version: Version, reason: Reason, newDueDate: DueDate });
/** A supervisor approves or refuses a 延期 request. */
export const ExtensionDecisionBody = z.object({ approve: z.boolean(), note: z.string().trim().max(500).default('') });
/** 渐次升级 levels: 0 村/社区, 1 乡镇/街道, 2 区级部门, 3 包案领导. */
export const EscalationLevel = z.number().int().min(0).max(3);
/** 渐次升级: raise to `level` (default: the next) and its named owner. */
export const EscalateBody = z.object({
  version: Version,
  level: EscalationLevel.optional(),
  reason: Reason,
  proposalId: z.number().int().positive().optional(),
});
/** Hand back down a level (out of escalation from the first). */
export const DeescalateBody = z.object({ version: Version, reason: Reason });
export const DismissProposalBody = z.object({ dismiss: z.literal(true) });
/** Mark some notices read, or all. */
export const NoticesReadBody = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(500) }),
  z.object({ all: z.literal(true) }),
]);

/** The clock of a case as every list and view shows it (intake/casework/process.ts caseClock). */
export const CaseClockView = z.object({
  stage: z.enum(['dispatch', 'acknowledge', 'answer', 'done']),
  state: z.enum(['running', 'due_soon', 'overdue', 'met', 'late', 'none']),
  dueAt: z.string().nullable(),
  answerDueAt: z.string().nullable(),
  workdays: z.number().int(),
});
export type CaseClockView = z.infer<typeof CaseClockView>;

export const NOTICE_KINDS = [
  'reminder', // the 4th-working-day reminder
  'ack_overdue', // 签收超时
  'returned', // 退单: back to dispatch
  'escalated', // 渐次升级: the case is now yours (its owner at a level)
  'deescalated', // handed back down a level
  'escalation_proposed', // proposed automatically (overdue / reopened / repeat)
  'extension_requested', // 延期 asked
  'extension_decided', // 延期 approved or refused
] as const;
export const NoticeKind = z.enum(NOTICE_KINDS);

export const processRoutes = {
  acknowledge: route({
    method: 'POST',
    path: '/staff/api/cases/:id/acknowledge',
    summary: '签收: the assigned unit takes its case',
    params: Id,
    body: AcknowledgeBody,
    response: z.object({ status: CaseStatus }),
  }),
  return: route({
    method: 'POST',
    path: '/staff/api/cases/:id/return',
    summary: '退单: back to dispatch, with a reason',
    params: Id,
    body: ReturnBody,
    response: z.object({ status: CaseStatus }),
  }),
  state: route({
    method: 'GET',
    path: '/staff/api/cases/:id/process',
    summary: "a case's clock, 签收, 渐次升级 level and owner, 延期 requests, open proposals",
    params: Id,
    response: z.object({
      clock: CaseClockView,
      ackDueAt: z.string().nullable(),
      acknowledgedAt: z.string().nullable(),
      returnedAt: z.string().nullable(),
      extendedDueDate: z.string().nullable(),
      escalation: z
        .object({ level: z.number(), ownerId: z.string().nullable(), ownerName: z.string().nullable(), since: z.string().nullable() })
        .nullable(),
      extensions: z.array(
        z.object({
          id: z.number(),
          requestedAt: z.string(),
          requestedBy: z.string().nullable(),
          reason: z.string(),
          newDueDate: z.string(),
          state: z.string(),
          decidedAt: z.string().nullable(),
          note: z.string().nullable(),
        }),
      ),
      proposals: z.array(z.object({ id: z.number(), reason: z.string(), level: z.number(), at: z.string() })),
    }),
  }),
  requestExtension: route({
    method: 'POST',
    path: '/staff/api/cases/:id/extensions',
    summary: '延期: ask for a later due date',
    params: Id,
    body: ExtensionRequestBody,
    response: z.object({ id: z.number() }),
  }),
  extensions: route({
    method: 'GET',
    path: '/staff/api/extensions',
    summary: 'pending 延期 requests',
    response: z.object({
      extensions: z.array(
        z.object({
          id: z.number(),
          caseId: z.string(),
          caseNumber: z.string(),
          unitName: z.string().nullable(),
          requestedAt: z.string(),
          reason: z.string(),
          newDueDate: z.string(),
          oldDueAt: z.string().nullable(),
        }),
      ),
    }),
  }),
  decideExtension: route({
    method: 'POST',
    path: '/staff/api/extensions/:id/decision',
    summary: 'approve or refuse a 延期 request',
    params: NumericId,
    body: ExtensionDecisionBody,
    response: Ok,
  }),
  escalate: route({
    method: 'POST',
    path: '/staff/api/cases/:id/escalation',
    summary: '渐次升级: raise to a level and its named owner',
    params: Id,
    body: EscalateBody,
    response: z.object({ level: z.number(), ownerId: z.string() }),
  }),
  deescalate: route({
    method: 'POST',
    path: '/staff/api/cases/:id/escalation/return',
    summary: 'hand back down a level',
    params: Id,
    body: DeescalateBody,
    response: z.object({ level: z.number().nullable() }),
  }),
  mine: route({
    method: 'GET',
    path: '/staff/api/escalations/mine',
    summary: "a leader's own 包案 cases with their clocks",
    response: z.object({
      cases: z.array(
        z.object({
          id: z.string(),
          caseNumber: z.string(),
          summary: z.string(),
          status: z.string(),
          category: z.string().nullable(),
          territory: z.string().nullable(),
          unitName: z.string().nullable(),
          receivedAt: z.string(),
          level: z.number().nullable(),
          since: z.string().nullable(),
          clock: CaseClockView,
        }),
      ),
    }),
  }),
  proposals: route({
    method: 'GET',
    path: '/staff/api/escalation-proposals',
    summary: 'open escalation proposals',
    response: z.object({
      proposals: z.array(
        z.object({
          id: z.number(),
          caseId: z.string(),
          caseNumber: z.string(),
          version: z.number(),
          reason: z.string(),
          level: z.number(),
          currentLevel: z.number().nullable(),
          at: z.string(),
        }),
      ),
    }),
  }),
  dismissProposal: route({
    method: 'POST',
    path: '/staff/api/escalation-proposals/:id/dismiss',
    summary: 'dismiss a proposal',
    params: NumericId,
    body: DismissProposalBody,
    response: Ok,
  }),
  notices: route({
    method: 'GET',
    path: '/staff/api/notices',
    summary: "the user's inbox and its unread count",
    response: z.object({
      notices: z.array(
        z.object({
          id: z.number(),
          at: z.string(),
          kind: NoticeKind,
          caseId: z.string().nullable(),
          caseNumber: z.string().nullable(),
          detail: z.record(z.string(), z.unknown()),
          read: z.boolean(),
        }),
      ),
      unread: z.number(),
    }),
  }),
  readNotices: route({
    method: 'POST',
    path: '/staff/api/notices/read',
    summary: 'mark some notices read, or all',
    body: NoticesReadBody,
    response: z.object({ marked: z.number() }),
  }),
};
