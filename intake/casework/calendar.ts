// The working-day calendar: which dates are working days in mainland China.
// Sources, in order of precedence (later wins):
//   1. the weekday rule (Mon–Fri work, Sat–Sun rest);
//   2. chinese-days' published arrangements (official holidays and 调休 make-up working days) for the
//      years it knows (2004–2026 in 1.5.7);
//   3. shipped year files in calendar-data/ (2027: statutory holidays only, marked provisional);
//   4. admin overrides stored in the intake database (a date made a holiday, a working day, or
//      returned to the weekday rule), and years the admin has confirmed complete.
// A year that no source knows is "unknown"; one known only from a provisional file is "provisional".
// Deadlines that touch such a year carry a warning (see deadlines.ts) so nobody trusts them blindly.
import chineseDays from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import data2027 from './calendar-data/2027.json' with { type: 'json' };
import { type IsoDate, addDays, isIsoDate, weekday, yearOf } from './time.ts';

export type YearStatus = 'official' | 'provisional' | 'unknown';

export interface CalendarYearData {
  year: number;
  status: 'official' | 'provisional';
  source: string;
  holidays: Record<IsoDate, string>;
  workdays: Record<IsoDate, string>;
}

export type OverrideKind = 'holiday' | 'workday' | 'normal';

export interface CalendarOverride {
  date: IsoDate;
  kind: OverrideKind;
  name: string;
}

export interface DayInfo {
  date: IsoDate;
  work: boolean;
  /** why: the weekday rule, a public holiday, a 调休 make-up working day, or an admin override */
  reason: 'weekday' | 'weekend' | 'holiday' | 'makeup';
  name: string | null;
  source: 'rule' | 'chinese-days' | 'file' | 'admin';
}

interface Entry {
  work: boolean;
  name: string;
  source: DayInfo['source'];
}

export const SHIPPED_YEAR_FILES: CalendarYearData[] = [data2027 as CalendarYearData];

/** The years chinese-days knows, as official year data. Its names look like "National Day,国庆节,3". */
export function chineseDaysYears(): CalendarYearData[] {
  const byYear = new Map<number, CalendarYearData>();
  const get = (date: string): CalendarYearData => {
    const year = yearOf(date);
    let y = byYear.get(year);
    if (!y) {
      y = { year, status: 'official', source: 'chinese-days 1.5.7 (State Council arrangements)', holidays: {}, workdays: {} };
      byYear.set(year, y);
    }
    return y;
  };
  const zhName = (n: string): string => n.split(',')[1] ?? n;
  for (const [date, name] of Object.entries(chineseDays.holidays as Record<string, string>)) get(date).holidays[date] = zhName(name);
  for (const [date, name] of Object.entries(chineseDays.workdays as Record<string, string>)) get(date).workdays[date] = zhName(name);
  return [...byYear.values()].sort((a, b) => a.year - b.year);
}

export class WorkCalendar {
  private readonly entries = new Map<IsoDate, Entry>();
  private readonly years = new Map<number, YearStatus>();

  constructor(yearData: CalendarYearData[], overrides: CalendarOverride[] = [], confirmedYears: number[] = []) {
    for (const y of yearData) {
      const source = y.status === 'official' && y.source.startsWith('chinese-days') ? 'chinese-days' : 'file';
      // A later source for the same year replaces the earlier one's dates wholesale.
      for (const [date, e] of this.entries) if (yearOf(date) === y.year && e.source !== 'admin') this.entries.delete(date);
      for (const [date, name] of Object.entries(y.holidays)) this.entries.set(date, { work: false, name, source });
      for (const [date, name] of Object.entries(y.workdays)) this.entries.set(date, { work: true, name, source });
      this.years.set(y.year, y.status);
    }
    for (const o of overrides) {
      if (!isIsoDate(o.date)) throw new Error(`calendar override with a bad date: ${o.date}`);
      if (o.kind === 'normal') this.entries.delete(o.date);
      else this.entries.set(o.date, { work: o.kind === 'workday', name: o.name, source: 'admin' });
    }
    for (const y of confirmedYears) this.years.set(y, 'official');
  }

  /** The default calendar: chinese-days, then the shipped files, then the admin's edits. */
  static standard(overrides: CalendarOverride[] = [], confirmedYears: number[] = []): WorkCalendar {
    return new WorkCalendar([...chineseDaysYears(), ...SHIPPED_YEAR_FILES], overrides, confirmedYears);
  }

  yearStatus(year: number): YearStatus {
    return this.years.get(year) ?? 'unknown';
  }

  knownYears(): { year: number; status: YearStatus }[] {
    return [...this.years.entries()].map(([year, status]) => ({ year, status })).sort((a, b) => a.year - b.year);
  }

  day(date: IsoDate): DayInfo {
    const e = this.entries.get(date);
    const wd = weekday(date);
    const weekend = wd === 0 || wd === 6;
    if (e) {
      return {
        date,
        work: e.work,
        name: e.name,
        source: e.source,
        reason: e.work ? (weekend ? 'makeup' : 'weekday') : weekend && e.source === 'admin' ? 'weekend' : 'holiday',
      };
    }
    return { date, work: !weekend, reason: weekend ? 'weekend' : 'weekday', name: null, source: 'rule' };
  }

  isWorkday(date: IsoDate): boolean {
    return this.day(date).work;
  }

  /** The n-th working day strictly after `date` (n ≥ 1). */
  addWorkdays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 1) throw new Error(`addWorkdays needs n ≥ 1, got ${n}`);
    let d = date;
    let left = n;
    // A year has ~250 working days; 3,000 steps is far more than any deadline and stops a runaway.
    for (let guard = 0; guard < 3000; guard++) {
      d = addDays(d, 1);
      if (this.isWorkday(d) && --left === 0) return d;
    }
    throw new Error('addWorkdays: no working day found');
  }

  /** Working days in (from, to]: 0 when to ≤ from. */
  workdaysBetween(from: IsoDate, to: IsoDate): number {
    let count = 0;
    for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (this.isWorkday(d)) count++;
    return count;
  }

  /** Years in [from, to] that are not official: callers turn these into warnings. */
  uncertainYears(from: IsoDate, to: IsoDate): { year: number; status: YearStatus }[] {
    const out: { year: number; status: YearStatus }[] = [];
    for (let y = yearOf(from); y <= yearOf(to); y++) {
      const status = this.yearStatus(y);
      if (status !== 'official') out.push({ year: y, status });
    }
    return out;
  }
}
