// The three rates as a ranking (issue 15 item 6): units or villages ranked for one week or month,
// with their rank in the period before and the change. Pure: the rows come from rates.ts.
//
// Score (综合得分) = 10 % response + 45 % resolution + 45 % satisfaction, over the rates a group
// has (a rate with no denominator is left out and the weights of the others rescaled). The weights
// are this project's choice (resolution and satisfaction are what residents feel; response is
// nearly always 100 %), in one place here and in docs/BACKOFFICE.md. Equal scores share a rank
// (1, 1, 3); groups with nothing to rate are listed after the ranked ones, without a rank.
import { toCsv } from './csv.ts';
import type { RatePeriod, RateRow } from './rates.ts';
import { addDays, monthStart, nextMonthStart, weekStart, type IsoDate } from './time.ts';

export const SCORE_WEIGHTS = { responseRate: 0.1, resolutionRate: 0.45, satisfactionRate: 0.45 } as const;

export interface RankedRow extends RateRow {
  score: number | null;
  rank: number | null;
  previousRank: number | null;
  /** Places moved up since the period before (negative: down); null when either rank is missing. */
  change: number | null;
}

export interface PeriodRange {
  /** The rates' period key: week → its Monday, month → 'YYYY-MM'. */
  key: string;
  start: IsoDate;
  /** The first day after the period. */
  end: IsoDate;
  previous: { key: string; start: IsoDate; end: IsoDate };
}

/** The week (Monday to Sunday) or month containing `date`, and the one before it. */
export function periodRange(date: IsoDate, period: RatePeriod): PeriodRange {
  if (period === 'week') {
    const start = weekStart(date);
    const prev = addDays(start, -7);
    return { key: start, start, end: addDays(start, 7), previous: { key: prev, start: prev, end: start } };
  }
  const start = monthStart(date);
  const prev = monthStart(addDays(start, -1));
  return { key: start.slice(0, 7), start, end: nextMonthStart(start), previous: { key: prev.slice(0, 7), start: prev, end: start } };
}

export function score(r: Pick<RateRow, 'responseRate' | 'resolutionRate' | 'satisfactionRate'>): number | null {
  let sum = 0;
  let weight = 0;
  for (const [k, w] of Object.entries(SCORE_WEIGHTS) as [keyof typeof SCORE_WEIGHTS, number][]) {
    const v = r[k];
    if (v === null) continue;
    sum += v * w;
    weight += w;
  }
  return weight === 0 ? null : sum / weight;
}

/** Ranks rows of one period: score, then more evaluated cases, then name. */
function ranked(rows: readonly RateRow[]): (RateRow & { score: number | null; rank: number | null })[] {
  const withScore = rows.map((r) => ({ ...r, score: score(r) }));
  withScore.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || b.evaluated - a.evaluated || a.label.localeCompare(b.label, 'zh'));
  let rank = 0;
  return withScore.map((r, i) => {
    if (r.score === null) return { ...r, rank: null };
    // Equal scores (to 4 decimals, as shown) share a rank.
    if (i === 0 || Math.round(r.score * 1e4) !== Math.round((withScore[i - 1]!.score ?? -1) * 1e4)) rank = i + 1;
    return { ...r, rank };
  });
}

/** The ranking of `current` with each group's rank in `previous` and the change. */
export function ranking(current: readonly RateRow[], previous: readonly RateRow[]): RankedRow[] {
  const before = new Map(ranked(previous).map((r) => [r.key, r.rank]));
  return ranked(current).map((r) => {
    const previousRank = before.get(r.key) ?? null;
    return { ...r, previousRank, change: r.rank !== null && previousRank !== null ? previousRank - r.rank : null };
  });
}

const pctCell = (x: number | null) => (x === null ? '' : (x * 100).toFixed(1));

export const RANKING_COLUMNS = {
  zh: [
    '名次',
    '上期名次',
    '变化',
    '单位或村（社区）',
    '参评件数',
    '响应率%',
    '解决率%',
    '满意率%',
    '综合得分',
    '评价件数',
    '其中诉求人自评',
  ],
  en: [
    'Rank',
    'Previous rank',
    'Change',
    'Unit or village',
    'Evaluated',
    'Response %',
    'Resolution %',
    'Satisfaction %',
    'Score',
    'Rated',
    'Rated by the resident',
  ],
} as const;

/** The ranking as CSV (UTF-8 with BOM from toCsv, as the lists): one row per group, in rank order; change as a number (+ = up). */
export function rankingCsv(rows: readonly RankedRow[], lang: 'zh' | 'en'): string {
  return toCsv(
    RANKING_COLUMNS[lang],
    rows.map((r) => [
      r.rank ?? '',
      r.previousRank ?? '',
      r.change,
      r.label,
      r.evaluated,
      pctCell(r.responseRate),
      pctCell(r.resolutionRate),
      pctCell(r.satisfactionRate),
      r.score === null ? '' : (r.score * 100).toFixed(1),
      r.rated,
      r.residentRated,
    ]),
  );
}
