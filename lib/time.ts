// Calendar dates in a named time zone (booths and staff work in Asia/Shanghai whatever the server's TZ).
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

// One formatter per time zone: making an Intl.DateTimeFormat costs ~0.1–0.3 ms (it loads the zone's
// rules), more than the outbox commit it dates at 立即上传 (bench/submit.ts, commits per second).
const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of the instant `ms` in `timeZone`. */
export function localDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  let f = dateFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(timeZone, f);
  }
  return f.format(ms);
}

/** YYYYMMDD of the instant `ms` in `timeZone`. */
export function compactLocalDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  return localDate(ms, timeZone).replaceAll('-', '');
}
