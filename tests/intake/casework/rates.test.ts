import { describe, expect, it } from 'vitest';
import { type RateCase, computeRates, periodsBetween } from '../../../intake/casework/rates.ts';
import { fromWall } from '../../../intake/casework/time.ts';

const at = (date: string, hhmm = '10:00') => fromWall(date, hhmm);
const cb = (date: string, contacted: boolean, solved: boolean, satisfaction: 'satisfied' | 'basically' | 'unsatisfied' | null) => ({
  at: at(date),
  contacted,
  solved,
  satisfaction,
});

// A fixed set with hand-computed answers.
const cases: RateCase[] = [
  // unit u1 (物业), village 一村, week of 2026-10-12
  { status: 'called_back', unitId: 'u1', unitName: '物业', village: '一村', callback: cb('2026-10-12', true, true, 'satisfied') },
  { status: 'closed', unitId: 'u1', unitName: '物业', village: '一村', callback: cb('2026-10-13', true, true, 'basically') },
  { status: 'closed', unitId: 'u1', unitName: '物业', village: '二村', callback: cb('2026-10-14', true, false, 'unsatisfied') },
  { status: 'closed', unitId: 'u1', unitName: '物业', village: '二村', callback: cb('2026-10-18', false, false, null) }, // Sunday, same week
  // unit u2 (城管), week of 2026-10-19
  { status: 'closed', unitId: 'u2', unitName: '城管', village: '一村', callback: cb('2026-10-19', true, true, 'satisfied') },
  { status: 'closed', unitId: 'u2', unitName: '城管', village: '一村', callback: cb('2026-10-20', true, false, 'basically') },
  // not counted: no callback yet, and a duplicate with a callback
  { status: 'answered', unitId: 'u2', unitName: '城管', village: '一村', callback: null },
  { status: 'duplicate', unitId: 'u2', unitName: '城管', village: '一村', callback: cb('2026-10-20', true, true, 'satisfied') },
];

describe('the three rates on fixed cases', () => {
  it('per unit per week', () => {
    const rows = computeRates(cases, 'unit', 'week');
    expect(rows.map((r) => [r.label, r.period, r.evaluated, r.responseRate, r.resolutionRate, r.satisfactionRate])).toEqual([
      ['物业', '2026-10-12', 4, 3 / 4, 2 / 4, 2 / 3],
      ['城管', '2026-10-19', 2, 1, 1 / 2, 1],
    ]);
  });

  it('per village per month', () => {
    const rows = computeRates(cases, 'village', 'month');
    expect(
      rows.map((r) => [r.label, r.period, r.evaluated, r.contacted, r.solved, r.rated, r.satisfied, r.basically, r.unsatisfied]),
    ).toEqual([
      // sorted by pinyin: 二村 (er) before 一村 (yi)
      ['二村', '2026-10', 2, 1, 0, 1, 0, 0, 1],
      ['一村', '2026-10', 4, 4, 3, 4, 2, 2, 0],
    ]);
    expect(rows[0]!.satisfactionRate).toBe(0);
  });

  it('a zero denominator gives null, not 0 or 100%', () => {
    const rows = computeRates(
      [{ status: 'closed', unitId: 'u', unitName: 'x', village: 'v', callback: cb('2026-10-12', false, false, null) }],
      'unit',
      'week',
    );
    expect(rows[0]!.satisfactionRate).toBeNull();
    expect(rows[0]!.responseRate).toBe(0);
  });

  it('a callback at 23:30 Beijing time on Sunday belongs to that week, not the next', () => {
    const rows = computeRates(
      [
        {
          status: 'closed',
          unitId: 'u',
          unitName: 'x',
          village: 'v',
          callback: { at: at('2026-10-18', '23:30'), contacted: true, solved: true, satisfaction: null },
        },
      ],
      'unit',
      'week',
    );
    expect(rows[0]!.period).toBe('2026-10-12');
  });

  it('lists every period of a range for the trend', () => {
    expect(periodsBetween(at('2026-09-30'), at('2026-10-14'), 'week')).toEqual(['2026-09-28', '2026-10-05', '2026-10-12']);
    expect(periodsBetween(at('2026-11-30'), at('2027-01-02'), 'month')).toEqual(['2026-11', '2026-12', '2027-01']);
  });
});
