// The three rates (三率) by which units are ranked: response, resolution, satisfaction.
// Definitions (also on the rates page and in docs/BACKOFFICE.md), following how Beijing 12345
// derives them from the callback (回访) of each work order:
//   evaluated cases  N = cases whose callback was recorded in the period (invalid/duplicate excluded);
//                        a case belongs to the period in which its callback was recorded
//   response rate    响应率 = cases where the resident was reached and confirmed being contacted ÷ N
//   resolution rate  解决率 = cases the resident says are solved ÷ N
//   satisfaction     满意率 = (满意 + 基本满意) ÷ cases with a satisfaction answer
//                        the answer of a case is the resident's own rating on the status page when
//                        they gave one (their word, issue 18), else the callback's; one answer per
//                        case. A case rated by the resident and not yet called back counts in the
//                        satisfaction rate of the period of the rating, and not in N.
// A rate with a zero denominator is null (shown as "—"), never 0% or 100%.
import { type CaseStatus, NOT_A_CASE } from './status.ts';
import { DEFAULT_TZ, addDays, localDate, monthStart, nextMonthStart, weekStart } from './time.ts';

export type Satisfaction = 'satisfied' | 'basically' | 'unsatisfied';

export interface RateCase {
  status: CaseStatus;
  unitId: string | null;
  unitName: string | null;
  village: string | null;
  callback: { at: number; contacted: boolean; solved: boolean; satisfaction: Satisfaction | null } | null;
  /** The resident's own rating from the status page, if any (it wins over the callback's answer). */
  residentRating?: { at: number; rating: Satisfaction } | null;
}

export type RateGroupBy = 'unit' | 'village';
export type RatePeriod = 'week' | 'month';

export interface RateRow {
  key: string;
  label: string;
  period: string; // week: Monday 'YYYY-MM-DD'; month: 'YYYY-MM'
  evaluated: number;
  contacted: number;
  solved: number;
  rated: number;
  /** Of `rated`, answers that are the resident's own rating from the status page. */
  residentRated: number;
  satisfied: number;
  basically: number;
  unsatisfied: number;
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
}

export function periodOf(ms: number, period: RatePeriod, tz = DEFAULT_TZ): string {
  const d = localDate(ms, tz);
  return period === 'week' ? weekStart(d) : monthStart(d).slice(0, 7);
}

/** The period keys from `from` to `to` inclusive, so a trend has no holes. */
export function periodsBetween(fromMs: number, toMs: number, period: RatePeriod, tz = DEFAULT_TZ): string[] {
  const out: string[] = [];
  let d = period === 'week' ? weekStart(localDate(fromMs, tz)) : monthStart(localDate(fromMs, tz));
  const end = localDate(toMs, tz);
  while (d <= end) {
    out.push(period === 'week' ? d : d.slice(0, 7));
    d = period === 'week' ? addDays(d, 7) : nextMonthStart(d);
  }
  return out;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export function computeRates(cases: readonly RateCase[], groupBy: RateGroupBy, period: RatePeriod, tz = DEFAULT_TZ): RateRow[] {
  const rows = new Map<string, RateRow>();
  for (const c of cases) {
    const own = c.residentRating ?? null;
    if ((!c.callback && !own) || NOT_A_CASE.includes(c.status)) continue;
    const key = groupBy === 'unit' ? (c.unitId ?? '') : (c.village ?? '');
    const label = groupBy === 'unit' ? (c.unitName ?? '') : (c.village ?? '');
    const p = periodOf(c.callback?.at ?? own!.at, period, tz);
    const id = `${key}\u0000${p}`;
    let r = rows.get(id);
    if (!r) {
      r = {
        key,
        label,
        period: p,
        evaluated: 0,
        contacted: 0,
        solved: 0,
        rated: 0,
        residentRated: 0,
        satisfied: 0,
        basically: 0,
        unsatisfied: 0,
        responseRate: null,
        resolutionRate: null,
        satisfactionRate: null,
      };
      rows.set(id, r);
    }
    if (c.callback) {
      r.evaluated++;
      if (c.callback.contacted) r.contacted++;
      if (c.callback.solved) r.solved++;
    }
    const s = own?.rating ?? c.callback?.satisfaction ?? null;
    if (s) {
      r.rated++;
      if (own) r.residentRated++;
      r[s]++;
    }
  }
  return [...rows.values()]
    .map((r) => ({
      ...r,
      responseRate: ratio(r.contacted, r.evaluated),
      resolutionRate: ratio(r.solved, r.evaluated),
      satisfactionRate: ratio(r.satisfied + r.basically, r.rated),
    }))
    .sort((a, b) => a.period.localeCompare(b.period) || a.label.localeCompare(b.label, 'zh'));
}

export const RATE_DEFINITIONS = {
  zh: {
    evaluated: '参评件数：本期内记录了回访的工单（无效、重复件不计）。工单按回访记录时间归入周或月。',
    response: '响应率 = 回访时确认已与诉求人联系的件数 ÷ 参评件数。',
    resolution: '解决率 = 诉求人表示问题已解决的件数 ÷ 参评件数。',
    satisfaction:
      '满意率 =（满意 + 基本满意）件数 ÷ 给出满意度评价的件数。诉求人在查询页上自己作出的评价优先于回访时的评价，每件只计一次；尚未回访但诉求人已评价的工单计入评价所在时段的满意率，不计入参评件数。',
    empty: '分母为 0 时显示“—”。',
  },
  en: {
    evaluated:
      'Evaluated: cases whose callback was recorded in the period (invalid and duplicate cases excluded). A case counts in the week or month its callback was recorded.',
    response: 'Response rate = cases where the resident confirmed being contacted ÷ evaluated cases.',
    resolution: 'Resolution rate = cases the resident says are solved ÷ evaluated cases.',
    satisfaction:
      'Satisfaction rate = (satisfied + basically satisfied) ÷ cases with a satisfaction answer. The resident’s own rating on the status page wins over the callback’s answer, one answer per case; a case the resident rated before any callback counts in the satisfaction rate of the period of the rating, not in the evaluated cases.',
    empty: 'A rate whose denominator is 0 is shown as "—".',
  },
} as const;
