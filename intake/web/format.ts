// Dates shown in the back office's zone (Asia/Shanghai), whatever the browser's zone is.
export const TZ = 'Asia/Shanghai';

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: TZ,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(iso))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/**
 * A deadline is shown one way everywhere: the last day it may still be met, "2026-10-15 24:00"
 * (the instant stored is the next day's 00:00, the first late moment).
 */
export function fmtDue(dueAtIso: string | null | undefined): string {
  if (!dueAtIso) return '—';
  return `${fmtTime(new Date(Date.parse(dueAtIso) - 60_000).toISOString()).slice(0, 10)} 24:00`;
}

export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function pct(x: number | null): string {
  return x === null ? '—' : `${(x * 100).toFixed(1)}%`;
}

/** The list separator of the language: 、 in Chinese, a comma in English. */
export function sep(lang: 'zh' | 'en'): string {
  return lang === 'zh' ? '、' : ', ';
}
