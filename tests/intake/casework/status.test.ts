import { describe, expect, it } from 'vitest';
import {
  CASE_EVENTS,
  CASE_STATUSES,
  type CaseEvent,
  type CaseEventType,
  type CaseStatus,
  nextStatus,
} from '../../../intake/casework/status.ts';

const sample: Record<CaseEventType, CaseEvent> = {
  assign: { type: 'assign', unitId: 'u1' },
  acknowledge: { type: 'acknowledge' },
  start: { type: 'start' },
  return: { type: 'return', reason: '不属于本单位职责' },
  answer: { type: 'answer', result: '已修好路灯' },
  callback: { type: 'callback' },
  close: { type: 'close' },
  escalate: { type: 'escalate', agency: '区城管委' },
  reopen: { type: 'reopen', reason: '居民反映未解决' },
  mark_invalid: { type: 'mark_invalid', reason: '误触' },
  mark_duplicate: { type: 'mark_duplicate', duplicateOf: 'SB-20261001-0001' },
  restore: { type: 'restore' },
};

// The whole table: status × event → the new status, or '-' when refused.
const table: Record<CaseStatus, Partial<Record<CaseEventType, CaseStatus>>> = {
  new: { assign: 'assigned', escalate: 'escalated', mark_invalid: 'invalid', mark_duplicate: 'duplicate' },
  assigned: {
    assign: 'assigned',
    acknowledge: 'in_progress',
    start: 'in_progress',
    return: 'new',
    answer: 'answered',
    escalate: 'escalated',
    mark_invalid: 'invalid',
    mark_duplicate: 'duplicate',
  },
  in_progress: {
    assign: 'assigned',
    return: 'new',
    answer: 'answered',
    escalate: 'escalated',
    mark_invalid: 'invalid',
    mark_duplicate: 'duplicate',
  },
  answered: { callback: 'called_back', reopen: 'in_progress' },
  called_back: { close: 'closed', reopen: 'in_progress' },
  closed: { reopen: 'in_progress' },
  escalated: { assign: 'assigned', answer: 'answered', mark_invalid: 'invalid', mark_duplicate: 'duplicate' },
  invalid: { restore: 'new' },
  duplicate: { restore: 'new' },
};

describe('nextStatus over every status × event', () => {
  for (const status of CASE_STATUSES) {
    for (const event of CASE_EVENTS) {
      const expected = table[status][event];
      it(`${status} + ${event} → ${expected ?? 'refused'}`, () => {
        const t = nextStatus(status, sample[event]);
        if (expected) expect(t).toEqual({ ok: true, to: expected });
        else expect(t.ok).toBe(false);
      });
    }
  }

  it.each([
    [{ type: 'assign', unitId: '' }],
    [{ type: 'answer', result: '  ' }],
    [{ type: 'escalate', agency: '' }],
    [{ type: 'reopen', reason: '' }],
    [{ type: 'return', reason: ' ' }],
    [{ type: 'mark_invalid', reason: '' }],
    [{ type: 'mark_duplicate', duplicateOf: '' }],
  ] as CaseEvent[][])('refuses %o without its required field', (event) => {
    expect(nextStatus('assigned', event).ok).toBe(false);
  });
});
