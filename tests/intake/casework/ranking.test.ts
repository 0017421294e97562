// The ranking (issue 15 item 6) and the resident's own rating in the satisfaction rate, on fixed
// cases with hand-computed answers.
import { describe, expect, it } from 'vitest';
import { type RateCase, computeRates } from '../../../intake/casework/rates.ts';
import { periodRange, ranking, rankingCsv, score } from '../../../intake/casework/ranking.ts';
import { parseCsv } from '../../../intake/casework/csv.ts';
import { fromWall } from '../../../intake/casework/time.ts';

const at = (date: string) => fromWall(date, '10:00');
type S = 'satisfied' | 'basically' | 'unsatisfied' | null;
const c = (
  unit: string,
  date: string,
  contacted: boolean,
  solved: boolean,
  satisfaction: S,
  own?: { date: string; rating: Exclude<S, null> },
): RateCase => ({
  status: 'closed',
  unitId: unit,
  unitName: unit,
  village: null,
  callback: { at: at(date), contacted, solved, satisfaction },
  residentRating: own ? { at: at(own.date), rating: own.rating } : null,
});

describe('the resident’s own rating in the satisfaction rate', () => {
  it('wins over the callback’s answer, once per case; a rating before any callback counts in satisfaction only', () => {
    const rows = computeRates(
      [
        c('甲', '2026-10-12', true, true, 'unsatisfied', { date: '2026-10-13', rating: 'satisfied' }), // own rating wins
        c('甲', '2026-10-12', true, true, 'satisfied'), // callback only
        c('甲', '2026-10-13', true, false, null, { date: '2026-10-14', rating: 'unsatisfied' }),
        {
          status: 'answered',
          unitId: '甲',
          unitName: '甲',
          village: null,
          callback: null,
          residentRating: { at: at('2026-10-15'), rating: 'basically' },
        },
      ],
      'unit',
      'week',
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      evaluated: 3,
      contacted: 3,
      solved: 2,
      rated: 4,
      residentRated: 3,
      satisfied: 2,
      basically: 1,
      unsatisfied: 1,
      satisfactionRate: 0.75,
    });
  });
});

describe('ranking', () => {
  it('periods: a week from its Monday, a month, and the one before', () => {
    expect(periodRange('2026-10-15', 'week')).toEqual({
      key: '2026-10-12',
      start: '2026-10-12',
      end: '2026-10-19',
      previous: { key: '2026-10-05', start: '2026-10-05', end: '2026-10-12' },
    });
    expect(periodRange('2026-03-31', 'month')).toEqual({
      key: '2026-03',
      start: '2026-03-01',
      end: '2026-04-01',
      previous: { key: '2026-02', start: '2026-02-01', end: '2026-03-01' },
    });
    expect(periodRange('2026-01-01', 'week').previous.start).toBe('2025-12-22');
  });

  it('scores with weights 10/45/45, rescaled over the rates a group has', () => {
    expect(score({ responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0.5 })).toBeCloseTo(0.1 + 0.225 + 0.225);
    expect(score({ responseRate: 1, resolutionRate: 0.5, satisfactionRate: null })).toBeCloseTo((0.1 + 0.225) / 0.55);
    expect(score({ responseRate: null, resolutionRate: null, satisfactionRate: null })).toBeNull();
  });

  it('ranks a week, shares equal ranks, and gives the change against the week before', () => {
    const rows = computeRates(
      [
        // week of 10-05: 乙 first, 甲 second, 丙 third
        c('甲', '2026-10-06', true, false, 'unsatisfied'),
        c('乙', '2026-10-06', true, true, 'satisfied'),
        c('丙', '2026-10-06', false, false, 'unsatisfied'),
        // week of 10-12: 甲 and 丙 perfect (shared 1st), 乙 third; 丁 new
        c('甲', '2026-10-13', true, true, 'satisfied'),
        c('丙', '2026-10-13', true, true, 'satisfied'),
        c('乙', '2026-10-13', true, false, 'basically'),
        c('乙', '2026-10-14', true, true, 'unsatisfied'),
        c('丁', '2026-10-14', false, false, 'unsatisfied'),
      ],
      'unit',
      'week',
    );
    const r = ranking(
      rows.filter((x) => x.period === '2026-10-12'),
      rows.filter((x) => x.period === '2026-10-05'),
    );
    expect(r.map((x) => [x.label, x.rank, x.previousRank, x.change])).toEqual([
      ['丙', 1, 3, 2],
      ['甲', 1, 2, 1],
      ['乙', 3, 1, -2],
      ['丁', 4, null, null], // equal scores and counts: by name (pinyin)
    ]);
    const csv = parseCsv(rankingCsv(r, 'zh'));
    expect(csv[0]).toEqual([
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
    ]);
    expect(csv[3]).toEqual(['3', '1', '-2', '乙', '2', '100.0', '50.0', '50.0', '55.0', '2', '0']);
    expect(parseCsv(rankingCsv(r, 'en'))[0]![0]).toBe('Rank');
  });
});
