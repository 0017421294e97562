// A case's status at the intake (ARCHITECTURE.md): new → assigned → in_progress → answered →
// called_back → closed, plus escalated (吹哨: handed to another agency) and invalid / duplicate.
// nextStatus is a pure, exhaustive function (STYLE.md habit 8): every (status, event) pair is either
// a transition or a refusal with a reason, and the tests walk the whole table.

import { CASE_STATUSES, type CaseStatus } from '../../contract/staff/session.ts';
export { CASE_STATUSES, type CaseStatus };

export const CASE_EVENTS = [
  'assign',
  'acknowledge',
  'start',
  'return',
  'answer',
  'callback',
  'close',
  'escalate',
  'reopen',
  'mark_invalid',
  'mark_duplicate',
  'restore',
] as const;
export type CaseEventType = (typeof CASE_EVENTS)[number];

export type CaseEvent =
  | { type: 'assign'; unitId: string }
  | { type: 'acknowledge' }
  | { type: 'start' }
  | { type: 'return'; reason: string }
  | { type: 'answer'; result: string }
  | { type: 'callback' }
  | { type: 'close' }
  | { type: 'escalate'; agency: string }
  | { type: 'reopen'; reason: string }
  | { type: 'mark_invalid'; reason: string }
  | { type: 'mark_duplicate'; duplicateOf: string }
  | { type: 'restore' };

export type Transition = { ok: true; to: CaseStatus } | { ok: false; reason: string };

const OPEN: readonly CaseStatus[] = ['new', 'assigned', 'in_progress', 'escalated'];
const TERMINAL_WRONG: readonly CaseStatus[] = ['invalid', 'duplicate'];

function from(status: CaseStatus, allowed: readonly CaseStatus[], to: CaseStatus, what: string): Transition {
  return allowed.includes(status) ? { ok: true, to } : { ok: false, reason: `cannot ${what} a case that is ${status}` };
}

export function nextStatus(status: CaseStatus, event: CaseEvent): Transition {
  switch (event.type) {
    case 'assign':
      // Assigning again (to another unit) is allowed until the case is answered; it restarts the work.
      if (!event.unitId) return { ok: false, reason: 'assign needs a handling unit' };
      return from(status, ['new', 'assigned', 'in_progress', 'escalated'], 'assigned', 'assign');
    case 'acknowledge':
      // 签收: the unit takes the case it was dispatched (and starts on it).
      return from(status, ['assigned'], 'in_progress', 'acknowledge');
    case 'start':
      return from(status, ['assigned'], 'in_progress', 'start');
    case 'return':
      // 退单: the unit sends a wrongly assigned case back to dispatch, with a reason.
      if (!event.reason.trim()) return { ok: false, reason: 'a return needs a reason' };
      return from(status, ['assigned', 'in_progress'], 'new', 'return');
    case 'answer':
      if (!event.result.trim()) return { ok: false, reason: 'an answer needs a result text' };
      // An escalated case is answered when the other agency replies.
      return from(status, ['assigned', 'in_progress', 'escalated'], 'answered', 'answer');
    case 'callback':
      return from(status, ['answered'], 'called_back', 'record a callback on');
    case 'close':
      return from(status, ['called_back'], 'closed', 'close');
    case 'escalate':
      if (!event.agency.trim()) return { ok: false, reason: 'escalation (吹哨) needs the agency it goes to' };
      return from(status, ['new', 'assigned', 'in_progress'], 'escalated', 'escalate');
    case 'reopen':
      // Not solved, or the resident raised it again (渐次升级): back to work with a reason.
      if (!event.reason.trim()) return { ok: false, reason: 'reopening needs a reason' };
      return from(status, ['answered', 'called_back', 'closed'], 'in_progress', 'reopen');
    case 'mark_invalid':
      if (!event.reason.trim()) return { ok: false, reason: 'marking invalid needs a reason' };
      return from(status, OPEN, 'invalid', 'mark invalid');
    case 'mark_duplicate':
      if (!event.duplicateOf.trim()) return { ok: false, reason: 'a duplicate needs the case it duplicates' };
      return from(status, OPEN, 'duplicate', 'mark as duplicate');
    case 'restore':
      return from(status, TERMINAL_WRONG, 'new', 'restore');
    default: {
      const never: never = event;
      return { ok: false, reason: `unknown event ${(never as { type: string }).type}` };
    }
  }
}

/** Statuses that count as "handled" for the deadline clock (the answer has been given). */
export const ANSWERED_OR_LATER: readonly CaseStatus[] = ['answered', 'called_back', 'closed'];
/** Statuses that take a case out of lists, rates and recurrence counts. */
export const NOT_A_CASE: readonly CaseStatus[] = ['invalid', 'duplicate'];

export const STATUS_LABELS: Record<CaseStatus, { zh: string; en: string }> = {
  new: { zh: '新收', en: 'New' },
  assigned: { zh: '已派单', en: 'Assigned' },
  in_progress: { zh: '办理中', en: 'In progress' },
  answered: { zh: '已答复', en: 'Answered' },
  called_back: { zh: '已回访', en: 'Called back' },
  closed: { zh: '已办结', en: 'Closed' },
  escalated: { zh: '已吹哨', en: 'Escalated' },
  invalid: { zh: '无效', en: 'Invalid' },
  duplicate: { zh: '重复', en: 'Duplicate' },
};
