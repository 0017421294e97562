// The case clock for the staff API: the one function every route that shows a case's deadline
// calls (the list, the case view, 即将到期, the 包案 list), so a case reads the same everywhere.
import { caseClock, type CaseClock, type ClockRow } from '../casework/process.ts';
import type { WorkCalendar } from '../casework/calendar.ts';
import type { Settings } from './settings.ts';

export function clockOf(row: ClockRow, now: number, cal: WorkCalendar, s: Settings): CaseClock {
  return caseClock(row, now, cal, s.dispatchWorkdays, s.timeZone);
}
