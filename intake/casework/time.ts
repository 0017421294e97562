// Local-date and wall-clock arithmetic in a named time zone (Asia/Shanghai by default).
// Dates are plain 'YYYY-MM-DD' strings: a working day is a calendar date, not an instant.
// Instants are epoch milliseconds. Conversions go through Intl so another zone works too.

import { DEFAULT_TIME_ZONE } from '../../lib/time.ts';

export const DEFAULT_TZ = DEFAULT_TIME_ZONE;

export type IsoDate = string; // 'YYYY-MM-DD'

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsCache.set(tz, f);
  }
  return f;
}

export interface WallTime {
  date: IsoDate;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock date and time of an instant in a zone. */
export function toWall(ms: number, tz = DEFAULT_TZ): WallTime {
  const p: Record<string, string> = {};
  for (const part of formatter(tz).formatToParts(new Date(ms))) p[part.type] = part.value;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  };
}

export function localDate(ms: number, tz = DEFAULT_TZ): IsoDate {
  return toWall(ms, tz).date;
}

function offsetAt(ms: number, tz: string): number {
  const w = toWall(ms, tz);
  const [y, m, d] = w.date.split('-').map(Number) as [number, number, number];
  const asUtc = Date.UTC(y, m - 1, d, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant at which the wall clock in `tz` shows `date hh:mm`. Two passes settle DST edges. */
export function fromWall(date: IsoDate, hhmm: string, tz = DEFAULT_TZ): number {
  const [y, m, d] = parseDate(date);
  const [hh, mm] = parseHhmm(hhmm);
  const naive = Date.UTC(y, m - 1, d, hh, mm);
  let guess = naive - offsetAt(naive, tz);
  guess = naive - offsetAt(guess, tz);
  return guess;
}

export function parseDate(date: IsoDate): [number, number, number] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

export function parseHhmm(hhmm: string): [number, number] {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day (HH:MM): ${hhmm}`);
  return [Number(m[1]), Number(m[2])];
}

export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === s;
}

/** Calendar arithmetic on dates (no time zone involved). */
export function addDays(date: IsoDate, n: number): IsoDate {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): number {
  const [y, m, d] = parseDate(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

export function yearOf(date: IsoDate): number {
  return parseDate(date)[0];
}

/** Monday of the ISO week containing `date`. */
export function weekStart(date: IsoDate): IsoDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

export function monthStart(date: IsoDate): IsoDate {
  return `${date.slice(0, 7)}-01`;
}

export function nextMonthStart(date: IsoDate): IsoDate {
  const [y, m] = parseDate(date);
  return new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD HH:mm' in the zone, the format staff read and Excel parses. */
export function formatLocal(ms: number, tz = DEFAULT_TZ): string {
  const w = toWall(ms, tz);
  return `${w.date} ${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
}
