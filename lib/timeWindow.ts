// Daily time windows ("02:00-05:00") evaluated in a named time zone. Used for quiet hours (updates,
// nightly restart) and any other "only between these hours" rule. A booth's clock may be set to UTC
// while the village lives in Asia/Shanghai, so the zone is explicit, never the process default.

export interface DailyWindow {
  /** "HH:MM", inclusive. */
  start: string;
  /** "HH:MM", exclusive. A window may wrap midnight (22:00-06:00). start === end means all day. */
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MIN = 24 * 60;

export function parseHhmm(text: string): number {
  const m = HHMM.exec(text);
  if (!m) throw new Error(`not a time of day (HH:MM): ${JSON.stringify(text)}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function isHhmm(text: string): boolean {
  return HHMM.test(text);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Seconds since local midnight in `timeZone` at instant `nowMs`. */
export function secondOfDay(nowMs: number, timeZone: string): number {
  const parts = formatter(timeZone).formatToParts(new Date(nowMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 3600 + get('minute') * 60 + get('second');
}

export function isWithinWindow(nowMs: number, window: DailyWindow, timeZone: string): boolean {
  const start = parseHhmm(window.start);
  const end = parseHhmm(window.end);
  if (start === end) return true;
  const minute = Math.floor(secondOfDay(nowMs, timeZone) / 60);
  return start < end ? minute >= start && minute < end : minute >= start || minute < end;
}

/**
 * The next instant (>= nowMs) at which the window is open: nowMs itself when inside it.
 * Computed from the local second of day, so it is exact in zones without daylight saving
 * (China) and at most an hour off on a DST change day elsewhere, which is fine for quiet hours.
 */
export function nextWindowOpen(nowMs: number, window: DailyWindow, timeZone: string): number {
  if (isWithinWindow(nowMs, window, timeZone)) return nowMs;
  const startSec = parseHhmm(window.start) * 60;
  const nowSec = secondOfDay(nowMs, timeZone);
  const wait = (startSec - nowSec + DAY_MIN * 60) % (DAY_MIN * 60);
  return nowMs - (nowMs % 1000) + wait * 1000;
}
