// The daily list window (PRODUCT.md): the 17:00 meeting on day D covers cases received from
// 12:00 on D−1 to 12:00 on D. Both the cut-off and the meeting time are settings; the window is
// half-open [start, end) so a case received at exactly 12:00:00 belongs to the next day's list.
import {
  type IsoDate,
  DEFAULT_TZ,
  addDays,
  fromWall,
  localDate,
  monthStart,
  nextMonthStart,
  parseHhmm,
  toWall,
  weekStart,
} from './time.ts';

export interface ListSettings {
  cutoff: string; // 'HH:MM', default '12:00'
  meeting: string; // 'HH:MM', default '17:00'
  tz: string;
}

export const DEFAULT_LIST_SETTINGS: ListSettings = { cutoff: '12:00', meeting: '17:00', tz: DEFAULT_TZ };

export interface Window {
  start: number;
  end: number;
  label: string;
}

/** The window of the daily list for the meeting on `date`. */
export function dailyWindow(date: IsoDate, s = DEFAULT_LIST_SETTINGS): Window {
  return {
    start: fromWall(addDays(date, -1), s.cutoff, s.tz),
    end: fromWall(date, s.cutoff, s.tz),
    label: date,
  };
}

/**
 * The list date staff most likely want at `now`: today's list once today's cut-off has passed
 * (the meeting is prepared in the afternoon), otherwise still today's (incomplete) list.
 * Kept as a function so the rule is in one place.
 */
export function currentListDate(now: number, s = DEFAULT_LIST_SETTINGS): IsoDate {
  return localDate(now, s.tz);
}

/** The list date a case received at `receivedAt` belongs to. */
export function listDateOf(receivedAt: number, s = DEFAULT_LIST_SETTINGS): IsoDate {
  const w = toWall(receivedAt, s.tz);
  const [ch, cm] = parseHhmm(s.cutoff);
  const before = w.hour < ch || (w.hour === ch && w.minute < cm);
  return before ? w.date : addDays(w.date, 1);
}

/** Weekly list: Monday's window start to the next Monday's, in the same noon-to-noon rhythm. */
export function weeklyWindow(date: IsoDate, s = DEFAULT_LIST_SETTINGS): Window {
  const mon = weekStart(date);
  return { start: dailyWindow(mon, s).start, end: dailyWindow(addDays(mon, 7), s).start, label: `${mon}/${addDays(mon, 6)}` };
}

/** Monthly list: from the first day's window to the next month's first day's window. */
export function monthlyWindow(date: IsoDate, s = DEFAULT_LIST_SETTINGS): Window {
  const first = monthStart(date);
  return { start: dailyWindow(first, s).start, end: dailyWindow(nextMonthStart(first), s).start, label: first.slice(0, 7) };
}

/** Calendar week and month (midnight to midnight), used by the rates. */
export function calendarWeek(date: IsoDate, tz = DEFAULT_TZ): Window {
  const mon = weekStart(date);
  return { start: fromWall(mon, '00:00', tz), end: fromWall(addDays(mon, 7), '00:00', tz), label: mon };
}

export function calendarMonth(date: IsoDate, tz = DEFAULT_TZ): Window {
  const first = monthStart(date);
  return { start: fromWall(first, '00:00', tz), end: fromWall(nextMonthStart(first), '00:00', tz), label: first.slice(0, 7) };
}
