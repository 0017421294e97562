import { describe, expect, it } from 'vitest';
import { type RecurCase, heatMap, normalisePlace, recurringCandidates } from '../../../intake/casework/recurring.ts';
import { fromWall } from '../../../intake/casework/time.ts';

let n = 0;
const c = (date: string, category: string | null, place: string | null, status: RecurCase['status'] = 'new'): RecurCase => ({
  id: String(++n),
  caseNumber: `N${n}`,
  receivedAt: fromWall(date, '20:00'),
  category,
  place,
  status,
});

describe('recurring problems (未诉先办)', () => {
  it('normalises hand-typed places', () => {
    expect(normalisePlace(' ８号楼  东侧 ')).toBe('8号楼 东侧');
  });

  it('finds the same place + category ≥ 3 times within 30 days', () => {
    const cases = [
      c('2026-11-01', '噪音', '3号楼餐馆'),
      c('2026-11-10', '噪音', '３号楼餐馆 '),
      c('2026-11-30', '噪音', '3号楼餐馆'), // 29 days after the first
      c('2026-11-05', '环境', '3号楼餐馆'), // another category
      c('2026-01-01', '供暖', '5号楼'),
      c('2026-01-20', '供暖', '5号楼'),
      c('2026-02-25', '供暖', '5号楼'), // 55 days: never 3 within 30
      c('2026-03-01', '物业', '8号楼'),
      c('2026-03-02', '物业', '8号楼'),
      c('2026-03-03', '物业', '8号楼', 'duplicate'), // duplicates do not count
      c('2026-03-04', null, '8号楼'),
    ];
    const found = recurringCandidates(cases);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ category: '噪音', place: '3号楼餐馆', count: 3 });
    expect(
      recurringCandidates(cases, { threshold: 2, days: 30, tz: 'Asia/Shanghai' })
        .map((x) => x.category)
        .sort(),
    ).toEqual(['供暖', '噪音', '物业']);
  });

  it('exactly 30 days apart is outside the window', () => {
    const cases = [c('2026-05-01', 'a', 'p'), c('2026-05-15', 'a', 'p'), c('2026-05-31', 'a', 'p')];
    expect(recurringCandidates(cases)).toHaveLength(0);
  });

  it('counts category × place × month for the heat map', () => {
    const h = heatMap([
      c('2026-01-31', '噪音', 'A'),
      c('2026-01-02', '噪音', 'a '),
      c('2026-02-01', '噪音', 'A'),
      c('2026-02-01', '环境', 'A'),
    ]);
    expect(h.months).toEqual(['2026-01', '2026-02']);
    expect(h.cells).toEqual([
      // categories in pinyin order: 环境 (huan) before 噪音 (zao)
      { category: '环境', place: 'A', month: '2026-02', count: 1 },
      { category: '噪音', place: 'A', month: '2026-01', count: 2 },
      { category: '噪音', place: 'A', month: '2026-02', count: 1 },
    ]);
  });
});
