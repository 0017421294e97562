// Calendar dates in a named time zone (booths and staff work in Asia/Shanghai whatever the server's TZ).
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** YYYY-MM-DD of the instant `ms` in `timeZone`. */
export function localDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

/** YYYYMMDD of the instant `ms` in `timeZone`. */
export function compactLocalDate(ms: number, timeZone = DEFAULT_TIME_ZONE): string {
  return localDate(ms, timeZone).replaceAll('-', '');
}
