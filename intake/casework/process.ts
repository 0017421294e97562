// The 接诉即办 process as pure functions (issue 15): working hours for 签收, the escalation levels of
// 渐次升级, and THE case clock — one answer to "which deadline is this case on, and where does it
// stand", used by every list, the case view, 即将到期 and the leader's 包案 list alike.
import type { WorkCalendar } from './calendar.ts';
import { dispatchDeadline, type DeadlineState } from './deadlines.ts';
import { type IsoDate, DEFAULT_TZ, addDays, fromWall, localDate, toWall } from './time.ts';
import type { CaseStatus } from './status.ts';

export interface WorkHours {
  start: string; // 'HH:MM' local, the office opens
  end: string; // 'HH:MM' local, the office closes
  tz: string;
}

/**
 * The instant `hours` working hours after `from`: time counts only between `start` and `end` on
 * working days of the calendar. A case dispatched at night or on a holiday starts counting when
 * the office next opens. `hours` may be fractional (0.5 = 30 minutes).
 */
export function addWorkingHours(from: number, hours: number, cal: WorkCalendar, wh: WorkHours): number {
  if (!(hours > 0)) return from;
  let left = Math.round(hours * 3_600_000);
  let date: IsoDate = localDate(from, wh.tz);
  let t = from;
  for (let guard = 0; guard < 3000; guard++) {
    const open = fromWall(date, wh.start, wh.tz);
    const close = fromWall(date, wh.end, wh.tz);
    if (cal.isWorkday(date) && t < close) {
      const begin = Math.max(t, open);
      if (close - begin >= left) return begin + left;
      left -= close - begin;
    }
    date = addDays(date, 1);
    t = fromWall(date, '00:00', wh.tz);
  }
  throw new Error('addWorkingHours: no working time found');
}

/** 渐次升级: 村/社区 → 乡镇/街道 → 区级部门 → 包案领导 (index = stored level). Labels: the staff app's catalogue. */
export const ESCALATION_LEVELS = ['village', 'township', 'district', 'leader'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];
export const TOP_LEVEL = ESCALATION_LEVELS.length - 1;

export interface EscalationOwner {
  level: number;
  userId: string;
  territory: string;
}

/** The named owner of a level for a case's territory: the territory's own first, else the one for every territory (''). */
export function ownerFor(owners: readonly EscalationOwner[], level: number, territory: string | null): EscalationOwner | null {
  return (
    owners.find((o) => o.level === level && territory && o.territory === territory) ??
    owners.find((o) => o.level === level && o.territory === '') ??
    null
  );
}

/** The level an automatic proposal suggests: one above the current (the first level when none), or null at the top. */
export function nextLevel(current: number | null): number | null {
  if (current === null) return 0;
  return current >= TOP_LEVEL ? null : current + 1;
}

export type ClockStage = 'dispatch' | 'acknowledge' | 'answer' | 'done';
export type ClockState = DeadlineState | 'none';

export interface CaseClock {
  stage: ClockStage;
  state: ClockState;
  /** The first late instant of the current stage (ISO); shown as the day before's "24:00" when it is midnight. */
  dueAt: string | null;
  /** The answer's due instant, also while the case waits for acknowledgement. */
  answerDueAt: string | null;
  /** Working days since receipt (the receipt date is day 0). */
  workdays: number;
}

export interface ClockRow {
  status: string;
  received_at: string;
  dispatched_at: string | null;
  returned_at: string | null;
  ack_due_at: string | null;
  acknowledged_at: string | null;
  due_at: string | null;
  reminder_at: string | null;
  answered_at: string | null;
}

const WAITING: readonly CaseStatus[] = ['new'];
const WORKING: readonly CaseStatus[] = ['assigned', 'in_progress', 'escalated'];

/**
 * Where a case stands, from receipt on: waiting for dispatch (the dispatch clock from receipt, or
 * from its return), dispatched and not yet acknowledged (the 签收 clock), at work (the answer
 * clock, due soon from the reminder on), or done (met / late against the answer clock).
 */
export function caseClock(r: ClockRow, now: number, cal: WorkCalendar, dispatchWorkdays: number, tz = DEFAULT_TZ): CaseClock {
  const workdays = cal.workdaysBetween(localDate(Date.parse(r.received_at), tz), localDate(now, tz));
  const status = r.status as CaseStatus;
  if (WAITING.includes(status)) {
    const from = Date.parse(r.returned_at ?? r.received_at);
    const d = dispatchDeadline(from, cal, dispatchWorkdays, tz);
    const dueSoon = localDate(now, tz) >= d.dueDate;
    return {
      stage: 'dispatch',
      state: now >= d.dueAt ? 'overdue' : dueSoon ? 'due_soon' : 'running',
      dueAt: new Date(d.dueAt).toISOString(),
      answerDueAt: r.due_at,
      workdays,
    };
  }
  if (WORKING.includes(status)) {
    if (status === 'assigned' && !r.acknowledged_at && r.ack_due_at) {
      return {
        stage: 'acknowledge',
        state: now >= Date.parse(r.ack_due_at) ? 'overdue' : 'running',
        dueAt: r.ack_due_at,
        answerDueAt: r.due_at,
        workdays,
      };
    }
    if (!r.due_at) return { stage: 'answer', state: 'none', dueAt: null, answerDueAt: null, workdays };
    const due = Date.parse(r.due_at);
    const state: ClockState = now >= due ? 'overdue' : r.reminder_at && now >= Date.parse(r.reminder_at) ? 'due_soon' : 'running';
    return { stage: 'answer', state, dueAt: r.due_at, answerDueAt: r.due_at, workdays };
  }
  if (r.answered_at && r.due_at) {
    return {
      stage: 'done',
      state: Date.parse(r.answered_at) < Date.parse(r.due_at) ? 'met' : 'late',
      dueAt: r.due_at,
      answerDueAt: r.due_at,
      workdays,
    };
  }
  return { stage: 'done', state: 'none', dueAt: r.due_at, answerDueAt: r.due_at, workdays };
}

/**
 * The dispatch clock turned around, so the home page can count with a range instead of reading every
 * case: a case waiting for dispatch whose clock starts (returned_at ?? received_at) before
 * `overdueBefore` is overdue at `now` in caseClock, one that starts before `dueSoonBefore` is at least
 * due soon. This holds because a waiting case's deadline depends only on the local date its clock
 * starts, and a later date never has an earlier deadline.
 */
export function dispatchCutoffs(
  now: number,
  cal: WorkCalendar,
  dispatchWorkdays: number,
  tz = DEFAULT_TZ,
): { overdueBefore: string; dueSoonBefore: string } {
  const today = localDate(now, tz);
  const iso = (d: IsoDate) => new Date(fromWall(d, '00:00', tz)).toISOString();
  // The latest start date whose deadline passes `reached`, walking back from today (a few weeks at
  // most: the dispatch allowance plus weekends and holidays); the cutoff is the next day's start.
  const cutoff = (reached: (d: { dueDate: IsoDate; dueAt: number }) => boolean): string => {
    let day = today;
    for (let guard = 0; guard < 3000; guard++, day = addDays(day, -1)) {
      if (reached(dispatchDeadline(fromWall(day, '00:00', tz), cal, dispatchWorkdays, tz))) return iso(addDays(day, 1));
    }
    return iso(day);
  };
  return { overdueBefore: cutoff((d) => now >= d.dueAt), dueSoonBefore: cutoff((d) => today >= d.dueDate) };
}

/** The answer's due instant after an approved extension: the end (24:00 local) of `date`. */
export function endOfDay(date: IsoDate, tz = DEFAULT_TZ): number {
  return fromWall(addDays(date, 1), '00:00', tz);
}

/** The last day a due instant may still be met ("2026-10-15" for 2026-10-16 00:00 local). */
export function dueDateOf(dueAtIso: string, tz = DEFAULT_TZ): IsoDate {
  const w = toWall(Date.parse(dueAtIso) - 1, tz);
  return w.date;
}
