// Recurring problems (未诉先办): the same category at the same place again and again is a problem
// to fix before the next complaint. Two views: a category × place × month count (the heat map) and
// candidates where one place + category reaches `threshold` cases within `days` days.
import { NOT_A_CASE, type CaseStatus } from './status.ts';
import { DEFAULT_TZ, localDate } from './time.ts';

export interface RecurCase {
  id: string;
  caseNumber: string;
  receivedAt: number;
  category: string | null;
  place: string | null;
  status: CaseStatus;
}

export interface RecurSettings {
  threshold: number;
  days: number;
  tz: string;
}
export const DEFAULT_RECUR: RecurSettings = { threshold: 3, days: 30, tz: DEFAULT_TZ };

/** Places are typed by hand: "8号楼 " and "８号楼" are the same place. */
export function normalisePlace(place: string): string {
  return place.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

function usable(c: RecurCase): c is RecurCase & { category: string; place: string } {
  return !NOT_A_CASE.includes(c.status) && !!c.category && !!c.place && normalisePlace(c.place) !== '';
}

export interface HeatCell {
  category: string;
  place: string;
  month: string;
  count: number;
}

export function heatMap(cases: readonly RecurCase[], tz = DEFAULT_TZ): { months: string[]; cells: HeatCell[] } {
  const cells = new Map<string, HeatCell>();
  const months = new Set<string>();
  for (const c of cases) {
    if (!usable(c)) continue;
    const month = localDate(c.receivedAt, tz).slice(0, 7);
    const place = normalisePlace(c.place);
    months.add(month);
    const id = `${c.category}\u0000${place}\u0000${month}`;
    const cell = cells.get(id) ?? { category: c.category, place: c.place.trim(), month, count: 0 };
    cell.count++;
    cells.set(id, cell);
  }
  return {
    months: [...months].sort(),
    cells: [...cells.values()].sort(
      (a, b) => a.category.localeCompare(b.category, 'zh') || a.place.localeCompare(b.place, 'zh') || a.month.localeCompare(b.month),
    ),
  };
}

export interface Candidate {
  category: string;
  place: string;
  count: number; // cases in the densest window
  first: number; // receivedAt of the window's first case
  last: number;
  caseNumbers: string[];
}

export function recurringCandidates(cases: readonly RecurCase[], s = DEFAULT_RECUR): Candidate[] {
  const groups = new Map<string, (RecurCase & { category: string; place: string })[]>();
  for (const c of cases) {
    if (!usable(c)) continue;
    const id = `${c.category}\u0000${normalisePlace(c.place)}`;
    const g = groups.get(id) ?? [];
    g.push(c);
    groups.set(id, g);
  }
  const span = s.days * 86_400_000;
  const out: Candidate[] = [];
  for (const g of groups.values()) {
    if (g.length < s.threshold) continue;
    g.sort((a, b) => a.receivedAt - b.receivedAt);
    // Two pointers: the densest run of cases that fits in `days` days.
    let best = { i: 0, j: 0 };
    let i = 0;
    for (let j = 0; j < g.length; j++) {
      while (g[j]!.receivedAt - g[i]!.receivedAt >= span) i++;
      if (j - i > best.j - best.i) best = { i, j };
    }
    const run = g.slice(best.i, best.j + 1);
    if (run.length >= s.threshold) {
      out.push({
        category: run[0]!.category,
        place: run[0]!.place.trim(),
        count: run.length,
        first: run[0]!.receivedAt,
        last: run[run.length - 1]!.receivedAt,
        caseNumbers: run.map((c) => c.caseNumber),
      });
    }
  }
  return out.sort((a, b) => b.count - a.count || b.last - a.last);
}
