// Case events that partner systems receive as signed webhooks (issue 19). This file is the stable
// wire schema: fields are only ever added, never renamed or removed, within schema_version 1.
// Signature scheme (docs/OPEN311.md "Webhooks"): header `Sayit-Signature: t=<unix seconds>,v1=<hex>`
// where hex = HMAC-SHA256(endpoint secret, `${t}.${raw body}`).
import { z } from 'zod';

export const CASE_EVENT_TYPES = [
  'case.created',
  'case.dispatched',
  'case.acknowledged',
  'case.returned',
  'case.escalated',
  'case.answered',
  'case.called_back',
  'case.evaluated',
  'case.closed',
] as const;
export const CaseEventType = z.enum(CASE_EVENT_TYPES);
export type CaseEventType = z.infer<typeof CaseEventType>;

/** The case as a partner sees it in an event: no personal data, no media, no resident's words. */
export const CaseEventCase = z.object({
  service_request_id: z.string().describe('the case number (工单编号), as in Open311 requests'),
  status: z.enum(['open', 'closed']).describe('Open311 status'),
  status_detail: z
    .string()
    .describe("this product's status: new, assigned, in_progress, answered, called_back, closed, escalated, invalid, duplicate, …"),
  service_code: z.string().nullable(),
  jurisdiction_id: z.string().nullable(),
  agency_responsible: z.string().nullable().describe('the handling unit (承办单位)'),
  requested_datetime: z.string(),
  expected_datetime: z.string().nullable().describe('answer due (end of working day 7)'),
  source: z.string().describe('booth or partner'),
});

export const CaseEventBody = z.object({
  schema_version: z.literal(1),
  id: z.uuid().describe('event id: the same event re-sent keeps its id (de-duplicate on it)'),
  type: CaseEventType,
  sequence: z.number().int().positive().describe("order of the intake's event log; increases per case"),
  occurred_at: z.string().describe('ISO 8601 with timezone'),
  case: CaseEventCase,
  data: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))
    .describe('the step: from / to status, unit, agency, due date, result, callback answers; never personal data'),
});
export type CaseEventBody = z.infer<typeof CaseEventBody>;

/** HTTP headers of a webhook delivery. */
export const WEBHOOK_HEADERS = {
  signature: 'sayit-signature',
  eventId: 'sayit-event-id',
  eventType: 'sayit-event-type',
  deliveryId: 'sayit-delivery-id',
} as const;

/** A receiver should refuse a signature whose timestamp is further than this from its clock. */
export const SIGNATURE_TOLERANCE_SEC = 300;
