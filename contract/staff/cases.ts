// Case work: the list and one case, edits, status events, notes, the callback, the reveals, the
// due-soon list, and a case's media files (its repeats: repeats.ts; its process: process.ts).
import { z } from 'zod';
import { IdentityView } from '../identity.ts';
import { CaseClockView } from './process.ts';
import { CASE_STATUSES, CaseStatus } from './session.ts';
import { Id, Ok, QueryBool, Version, route } from './route.ts';

export const DeadlineState = z.enum(['running', 'due_soon', 'overdue', 'met', 'late']);
export const YearStatus = z.enum(['official', 'provisional', 'unknown']);
export const Satisfaction = z.enum(['satisfied', 'basically', 'unsatisfied']);

export const CaseListQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  status: z
    .string()
    .optional()
    .describe('statuses separated by commas')
    .transform((s, ctx) => {
      if (!s) return undefined;
      const list = s.split(',');
      for (const x of list)
        if (!(CASE_STATUSES as readonly string[]).includes(x)) ctx.addIssue({ code: 'custom', message: `unknown status ${x}` });
      return list as CaseStatus[];
    }),
  category: z.string().max(40).optional(),
  territory: z.string().max(40).optional(),
  unitId: z.string().max(64).optional(),
  boothCode: z.string().max(8).optional(),
  overdue: QueryBool.optional(),
  realName: QueryBool.optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** What the list and the case view both show of a case. */
const CaseFields = z.object({
  id: z.string(),
  caseNumber: z.string(),
  boothCode: z.string(),
  receivedAt: z.string(),
  status: z.string(),
  category: z.string().nullable(),
  location: z.string().nullable(),
  summary: z.string(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  territory: z.string().nullable(),
  dispatchedAt: z.string().nullable(),
  realName: z.boolean(),
});

export const CaseListRow = CaseFields.extend({
  dueAt: z.string().nullable(),
  deadline: DeadlineState.nullable(),
  clock: CaseClockView,
});

export const CaseEventInput = z.discriminatedUnion('type', [
  z.object({ type: z.literal('assign'), unitId: z.string().min(1) }),
  z.object({ type: z.literal('start') }),
  z.object({ type: z.literal('answer'), result: z.string().min(1).max(2000) }),
  z.object({ type: z.literal('close') }),
  z.object({ type: z.literal('escalate'), agency: z.string().min(1).max(100) }),
  z.object({ type: z.literal('reopen'), reason: z.string().min(1).max(500) }),
  z.object({ type: z.literal('mark_invalid'), reason: z.string().min(1).max(500) }),
  z.object({ type: z.literal('mark_duplicate'), duplicateOf: z.string().min(1).max(40) }),
  z.object({ type: z.literal('restore') }),
]);

export const CaseItemView = z.object({
  idx: z.number(),
  kind: z.string(),
  mime: z.string(),
  durationSec: z.number().nullable(),
  playbackState: z.string(),
  originalUrl: z.string(),
  playbackUrl: z.string().nullable(),
  posterUrl: z.string().nullable(),
});

export const CaseDetail = z.object({
  dispatchDeadline: z.object({ dueDate: z.string(), dueAt: z.string(), overdue: z.boolean() }).nullable(),
  case: CaseFields.extend({
    language: z.string(),
    version: z.number(),
    answeredAt: z.string().nullable(),
    result: z.string().nullable(),
    escalatedTo: z.string().nullable(),
    duplicateOf: z.string().nullable(),
    duplicateOfId: z.string().nullable(),
    identity: IdentityView.describe('masked'),
  }),
  items: z.array(CaseItemView),
  deadline: z
    .object({
      dispatchDate: z.string(),
      reminderDate: z.string(),
      dueDate: z.string(),
      dueAt: z.string().nullable(),
      reminderAt: z.string().nullable(),
      state: DeadlineState,
      workday: z.number(),
      of: z.number(),
      warnings: z.array(z.object({ year: z.number(), status: YearStatus })),
      reminderSentAt: z.string().nullable(),
    })
    .nullable(),
  clock: CaseClockView,
  history: z.array(z.object({ id: z.number(), at: z.string(), action: z.string(), detail: z.unknown(), user_name: z.string().nullable() })),
  callbacks: z.array(
    z.object({
      id: z.number(),
      case_id: z.string(),
      at: z.string(),
      user_id: z.string(),
      contacted: z.number(),
      solved: z.number(),
      satisfaction: z.string().nullable(),
      note: z.string(),
    }),
  ),
});

export const caseRoutes = {
  list: route({
    method: 'GET',
    path: '/staff/api/cases',
    summary: 'the case list, newest first, keyset-paginated',
    query: CaseListQuery,
    response: z.object({ cases: z.array(CaseListRow), nextCursor: z.string().nullable() }),
  }),
  get: route({
    method: 'GET',
    path: '/staff/api/cases/:id',
    summary: 'one case with items, deadline, history and callbacks',
    params: Id,
    response: CaseDetail,
  }),
  edit: route({
    method: 'PATCH',
    path: '/staff/api/cases/:id',
    summary: 'edit summary, category, location, territory',
    params: Id,
    body: z.object({
      version: Version,
      summary: z.string().max(4000).optional(),
      category: z.string().max(40).nullable().optional(),
      location: z.string().max(200).nullable().optional(),
      territory: z.string().max(40).nullable().optional(),
    }),
    response: Ok,
  }),
  event: route({
    method: 'POST',
    path: '/staff/api/cases/:id/events',
    summary: 'a status event (assign, start, answer, …)',
    params: Id,
    body: z.object({ version: Version, event: CaseEventInput }),
    response: z.object({ status: CaseStatus }),
  }),
  note: route({
    method: 'POST',
    path: '/staff/api/cases/:id/notes',
    summary: 'add a note',
    params: Id,
    body: z.object({ text: z.string().min(1).max(2000) }),
    response: Ok,
  }),
  callback: route({
    method: 'POST',
    path: '/staff/api/cases/:id/callback',
    summary: 'record the callback (回访)',
    params: Id,
    body: z.object({
      version: Version,
      contacted: z.boolean(),
      solved: z.boolean(),
      satisfaction: Satisfaction.nullable(),
      note: z.string().max(2000).default(''),
    }),
    response: Ok,
  }),
  reveal: route({
    method: 'POST',
    path: '/staff/api/cases/:id/reveal',
    summary: 'the identity in clear, with a typed reason (audited)',
    params: Id,
    body: z.object({ reason: z.string().trim().min(4, 'say why you need the identity').max(500) }),
    response: z.object({ identity: IdentityView }),
  }),
  revealContact: route({
    method: 'POST',
    path: '/staff/api/cases/:id/reveal-contact',
    summary: 'the callback phone in clear, with a typed reason (audited)',
    params: Id,
    body: z.object({ reason: z.string().trim().min(4, 'reason_too_short').max(500) }),
    response: z.object({ phone: z.string() }),
  }),
  dueSoon: route({
    method: 'GET',
    path: '/staff/api/due-soon',
    summary: 'open cases past their reminder time',
    response: z.object({
      cases: z.array(
        z.object({
          id: z.string(),
          caseNumber: z.string(),
          summary: z.string(),
          status: z.string(),
          dueAt: z.string().nullable(),
          reminderAt: z.string().nullable(),
          reminderSentAt: z.string().nullable(),
          warning: z.string().nullable(),
          unitName: z.string().nullable(),
          overdue: z.boolean(),
          clock: CaseClockView,
        }),
      ),
    }),
  }),
  media: route({
    method: 'GET',
    path: '/staff/media/:caseId/:idx/:variant',
    summary: "a case item's file: the original, the playback copy or the poster",
    params: z.object({
      caseId: z.uuid(),
      idx: z.coerce.number().int().min(0).max(99),
      variant: z.enum(['original', 'playback', 'poster']),
    }),
    response: z.string().describe('the file'),
    produces: 'file',
  }),
};
