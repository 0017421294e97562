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
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import type { CaseEventBody, CaseEventType } from '../../contract/caseEvents.ts';
import { codeOfCategory, jurisdictionOf, open311Status } from '../open311/vocabulary.ts';
import { readPartnerSettings } from './partnerSettings.ts';

export const HISTORY_ACTIONS = [
  'created', // the booth's upload became a case (user: none)
  'assign', // dispatched (派单) or reassigned to a unit
  'acknowledge', // 签收: the unit took the case
  'return', // 退单: the unit sent it back, with a reason
  'extension_requested', // 延期 asked by the unit
  'extension_decided', // 延期 approved or refused by a supervisor
  'escalate', // 升级 / 吹哨 (渐次升级: detail.level is the new level, detail.owner its named owner)
  'deescalate', // 渐次升级 handed back down a level (or out of escalation, back to the unit)
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

/**
 * Appends one history row. Call it with the transaction that makes the change. A step that maps to
 * a partner event (EVENT_OF_ACTION) also writes the event to the durable outbox (case_events) and
 * one webhook delivery per subscribed endpoint, in the same transaction (docs/OPEN311.md).
 */
export async function writeCaseHistory(trx: Db, e: HistoryEntry): Promise<void> {
  const at = new Date(e.at).toISOString();
  const h = await trx
    .insertInto('case_history')
    .values({ case_id: e.caseId, at, user_id: e.userId, action: e.action, detail: JSON.stringify(e.detail) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const type = EVENT_OF_ACTION[e.action];
  if (type) await writeEvent(trx, e, type, at, Number(h.id));
}

/**
 * History action code → partner event type (issue 19), the one table: a step missing here stays
 * internal (edits, notes, reveals, reminders, extensions, reopen). Adding a line makes a step an event.
 */
export const EVENT_OF_ACTION: Readonly<Partial<Record<HistoryAction, CaseEventType>>> = {
  created: 'case.created', // a booth submission or a partner's POST requests
  assign: 'case.dispatched', // 派单 (and re-dispatch)
  acknowledge: 'case.acknowledged', // 签收
  return: 'case.returned', // 退单
  escalate: 'case.escalated', // 吹哨 / 渐次升级
  answer: 'case.answered', // 答复
  callback: 'case.called_back', // 回访
  evaluated: 'case.evaluated', // the resident's own evaluation
  close: 'case.closed', // 办结
  mark_invalid: 'case.closed', // closed as invalid (status_detail says so)
  mark_duplicate: 'case.closed', // closed as a duplicate
};

/** The only detail fields an event carries: never the resident's words, notes, reasons or identity. */
const EVENT_DATA_FIELDS = [
  'from',
  'to',
  'unit',
  'dueDate',
  'agency',
  'result',
  'contacted',
  'solved',
  'satisfaction',
  'source',
  'level',
  'duplicateOf',
] as const;

function eventData(detail: unknown): CaseEventBody['data'] {
  const out: CaseEventBody['data'] = {};
  if (!detail || typeof detail !== 'object') return out;
  for (const k of EVENT_DATA_FIELDS) {
    const v = (detail as Record<string, unknown>)[k];
    if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = v;
  }
  return out;
}

async function writeEvent(trx: Db, e: HistoryEntry, type: CaseEventType, at: string, historyId: number): Promise<number> {
  const c = await trx
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .leftJoin('booths', 'booths.booth_code', 'cases.booth_code')
    .select([
      'cases.case_number',
      'cases.status',
      'cases.category',
      'cases.territory',
      'cases.received_at',
      'cases.due_at',
      'cases.source',
      'cases.jurisdiction_id',
      'units.name as unit_name',
      'booths.village',
    ])
    .where('cases.id', '=', e.caseId)
    .executeTakeFirstOrThrow();
  const { jurisdictions } = await readPartnerSettings(trx as Kysely<IntakeDatabase>);
  const eventId = randomUUID();
  const body: Omit<CaseEventBody, 'sequence'> = {
    schema_version: 1,
    id: eventId,
    type,
    occurred_at: at,
    case: {
      service_request_id: c.case_number,
      status: open311Status(c.status),
      status_detail: c.status,
      service_code: codeOfCategory(c.category),
      jurisdiction_id: jurisdictionOf(jurisdictions, c.territory, c.village ?? null, c.jurisdiction_id)?.id ?? null,
      agency_responsible: c.unit_name ?? null,
      requested_datetime: c.received_at,
      expected_datetime: c.due_at,
      source: c.source,
    },
    data: eventData(e.detail),
  };
  const ins = await trx
    .insertInto('case_events')
    .values({ event_id: eventId, case_id: e.caseId, history_id: historyId, type, occurred_at: at, body: '' })
    .returning('seq')
    .executeTakeFirstOrThrow();
  const seq = Number(ins.seq);
  // The sequence is part of the signed body, so the body is written once the outbox gave it.
  const full: CaseEventBody = { schema_version: 1, id: body.id, type, sequence: seq, occurred_at: at, case: body.case, data: body.data };
  await trx
    .updateTable('case_events')
    .set({ body: JSON.stringify(full) })
    .where('seq', '=', seq)
    .execute();
  const endpoints = await trx.selectFrom('webhook_endpoints').select(['id', 'event_types']).where('active', '=', 1).execute();
  for (const ep of endpoints) {
    const types = JSON.parse(ep.event_types) as string[];
    if (types.length && !types.includes(type)) continue;
    await trx
      .insertInto('webhook_deliveries')
      .values({ endpoint_id: ep.id, event_seq: seq, case_id: e.caseId, next_attempt_at: at, created_at: at })
      .execute();
  }
  return seq;
}
