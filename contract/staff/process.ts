// The 接诉即办 process (issue 15): 签收, 退单, a case's process state, 延期, 渐次升级 and its
// proposals, the in-app inbox. The request bodies are in contract/staffProcess.ts.
import { z } from 'zod';
import {
  AcknowledgeBody,
  CaseClockView,
  DeescalateBody,
  DismissProposalBody,
  EscalateBody,
  ExtensionDecisionBody,
  ExtensionRequestBody,
  NoticesReadBody,
  NumericId,
  ReturnBody,
} from '../staffProcess.ts';
import { CaseStatus } from './session.ts';
import { Id, Ok, route } from './route.ts';

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
