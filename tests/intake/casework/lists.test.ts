import { describe, expect, it } from 'vitest';
import { BOM, csvCell, parseCsv, toCsv } from '../../../intake/casework/csv.ts';
import { LIST_COLUMNS, type ListCase, listCsv, listRows } from '../../../intake/casework/dailyList.ts';
import { fromWall } from '../../../intake/casework/time.ts';
import { dailyWindow, listDateOf, monthlyWindow, weeklyWindow } from '../../../intake/casework/window.ts';

const at = (date: string, hhmm: string) => fromWall(date, hhmm);

describe('noon-to-noon window (Asia/Shanghai)', () => {
  it('covers 12:00 the day before to 12:00 today, half-open', () => {
    const w = dailyWindow('2026-10-09');
    expect(w.start).toBe(Date.parse('2026-10-08T04:00:00Z'));
    expect(w.end).toBe(Date.parse('2026-10-09T04:00:00Z'));
  });

  it('follows the settings', () => {
    const w = dailyWindow('2026-10-09', { cutoff: '08:30', meeting: '09:00', tz: 'Asia/Shanghai' });
    expect(w.start).toBe(at('2026-10-08', '08:30'));
  });

  it.each([
    ['2026-10-08', '11:59', '2026-10-08'],
    ['2026-10-08', '12:00', '2026-10-09'],
    ['2026-10-08', '23:59', '2026-10-09'],
    ['2026-12-31', '13:00', '2027-01-01'], // across a year boundary
    ['2026-10-09', '00:10', '2026-10-09'], // after midnight, UTC date is still the 8th
  ])('a case received %s %s is on the list of %s', (date, hhmm, list) => {
    expect(listDateOf(at(date, hhmm))).toBe(list);
  });

  it('weekly and monthly windows use the same rhythm', () => {
    const w = weeklyWindow('2026-10-14'); // Wednesday
    expect(w.start).toBe(at('2026-10-11', '12:00'));
    expect(w.end).toBe(at('2026-10-18', '12:00'));
    const m = monthlyWindow('2026-10-14');
    expect(m.start).toBe(at('2026-09-30', '12:00'));
    expect(m.end).toBe(at('2026-10-31', '12:00'));
  });
});

describe('daily list rows and CSV', () => {
  const base: Omit<ListCase, 'caseNumber' | 'receivedAt'> = {
    dispatchedAt: null,
    summary: '8号楼旁草坪被踩',
    location: '8号楼',
    unitName: '物业',
    territory: '一村',
    status: 'new',
    result: null,
  };
  const cases: ListCase[] = [
    { ...base, caseNumber: 'A', receivedAt: at('2026-10-08', '11:59') }, // yesterday's list
    {
      ...base,
      caseNumber: 'B',
      receivedAt: at('2026-10-08', '12:00'),
      dispatchedAt: at('2026-10-08', '14:05'),
      status: 'answered',
      result: '已修步道',
    },
    { ...base, caseNumber: 'C', receivedAt: at('2026-10-09', '00:30'), summary: '噪音, "夜间"\n施工' },
    { ...base, caseNumber: 'D', receivedAt: at('2026-10-09', '11:59'), status: 'duplicate' }, // duplicates are not on the list
    { ...base, caseNumber: 'E', receivedAt: at('2026-10-09', '12:00') }, // tomorrow's
  ];

  it('keeps the window, the order and the column order', () => {
    const rows = listRows(cases, dailyWindow('2026-10-09'));
    expect(rows.map((r) => r[0])).toEqual(['B', 'C']);
    expect(rows[0]).toEqual(['B', '2026-10-08 14:05', '8号楼旁草坪被踩', '8号楼', '物业', '一村', '已答复：已修步道']);
    expect(rows[1]![1]).toBe('未派单');
  });

  it('writes UTF-8 CSV with a BOM, CRLF, quoting, and parses back', () => {
    const csv = listCsv(listRows(cases, dailyWindow('2026-10-09')));
    expect(csv.startsWith(BOM)).toBe(true);
    expect(csv).toContain('\r\n');
    const parsed = parseCsv(csv);
    expect(parsed[0]).toEqual([...LIST_COLUMNS]);
    expect(parsed[2]![2]).toBe('噪音, "夜间"\n施工');
    expect(parsed).toHaveLength(3);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  });

  it.each([
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ['+86', "'+86"],
    ['-1', "'-1"],
    ['@SUM', "'@SUM"],
    ['普通', '普通'],
  ])('neutralises formula cell %s', (v, out) => {
    expect(csvCell(v)).toBe(out);
  });

  it('numbers are not prefixed', () => {
    expect(toCsv(['n'], [[-3]])).toBe(`${BOM}n\r\n-3\r\n`);
  });
});
