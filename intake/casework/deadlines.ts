// Deadlines in working days (PRODUCT.md: a reasonable answer within 7 working days of dispatch,
// the owner reminded on the 4th working day).
// Counting rule, written down in docs/BACKOFFICE.md: the dispatch date is day 0 whatever time of day
// the case was dispatched and whether or not it was a working day; working day 1 is the first
// working day after it. The answer is due by the end (24:00 local) of working day 7. The reminder
// falls at `reminderTime` (default 09:00) on working day 4.
import type { WorkCalendar, YearStatus } from './calendar.ts';
import { type IsoDate, DEFAULT_TZ, addDays, fromWall, localDate } from './time.ts';

export interface DeadlinePolicy {
  answerWorkdays: number; // 7
  reminderWorkday: number; // 4
  reminderTime: string; // 'HH:MM' local
  tz: string;
}

export const DEFAULT_DEADLINE_POLICY: DeadlinePolicy = {
  answerWorkdays: 7,
  reminderWorkday: 4,
  reminderTime: '09:00',
  tz: DEFAULT_TZ,
};

export interface Deadline {
  dispatchDate: IsoDate;
  reminderDate: IsoDate;
  dueDate: IsoDate;
  reminderAt: number; // epoch ms
  dueAt: number; // epoch ms: the first instant that is late
  /** Years the computation crossed that the calendar does not know for certain. */
  warnings: { year: number; status: YearStatus }[];
}

export function computeDeadline(dispatchedAt: number, cal: WorkCalendar, policy = DEFAULT_DEADLINE_POLICY): Deadline {
  if (policy.reminderWorkday < 1 || policy.reminderWorkday > policy.answerWorkdays) {
    throw new Error('the reminder must fall on or before the last working day');
  }
  const dispatchDate = localDate(dispatchedAt, policy.tz);
  const reminderDate = cal.addWorkdays(dispatchDate, policy.reminderWorkday);
  const dueDate = cal.addWorkdays(dispatchDate, policy.answerWorkdays);
  return {
    dispatchDate,
    reminderDate,
    dueDate,
    reminderAt: fromWall(reminderDate, policy.reminderTime, policy.tz),
    dueAt: fromWall(addDays(dueDate, 1), '00:00', policy.tz),
    warnings: cal.uncertainYears(dispatchDate, dueDate),
  };
}

/**
 * The clock before dispatch (issue 15): a case must be dispatched by the end (24:00 local) of
 * working day `dispatchWorkdays` after the day it was received (the receipt date is day 0; 0 =
 * the same day). Stops at the first dispatch.
 */
export function dispatchDeadline(
  receivedAt: number,
  cal: WorkCalendar,
  dispatchWorkdays: number,
  tz = DEFAULT_TZ,
): { dueDate: IsoDate; dueAt: number } {
  const received = localDate(receivedAt, tz);
  const dueDate = dispatchWorkdays === 0 ? received : cal.addWorkdays(received, dispatchWorkdays);
  return { dueDate, dueAt: fromWall(addDays(dueDate, 1), '00:00', tz) };
}

export type DeadlineState = 'running' | 'due_soon' | 'overdue' | 'met' | 'late';

/**
 * Where a case stands against its deadline. `answeredAt` is when the case first reached
 * "answered" (or a later stage); once answered, the clock stops.
 */
export function deadlineState(d: Deadline, now: number, answeredAt: number | null): DeadlineState {
  if (answeredAt !== null) return answeredAt < d.dueAt ? 'met' : 'late';
  if (now >= d.dueAt) return 'overdue';
  if (now >= d.reminderAt) return 'due_soon';
  return 'running';
}

/** "Working day k of 7": 0 on the dispatch date, capped at nothing (an overdue case shows 9 of 7). */
export function workdayNumber(d: Deadline, now: number, cal: WorkCalendar, tz = DEFAULT_TZ): number {
  return cal.workdaysBetween(d.dispatchDate, localDate(now, tz));
}
