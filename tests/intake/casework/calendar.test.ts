import { describe, expect, it } from 'vitest';
import { WorkCalendar } from '../../../intake/casework/calendar.ts';
import { computeDeadline, deadlineState, dispatchDeadline, workdayNumber } from '../../../intake/casework/deadlines.ts';
import { fromWall } from '../../../intake/casework/time.ts';

const cal = WorkCalendar.standard();

describe('working days (chinese-days for 2026, provisional file for 2027)', () => {
  it.each([
    ['2026-09-30', true, 'weekday'], // Wednesday before National Day
    ['2026-10-01', false, 'holiday'],
    ['2026-10-07', false, 'holiday'],
    ['2026-10-08', true, 'weekday'],
    ['2026-10-10', true, 'makeup'], // 调休 Saturday
    ['2026-09-20', true, 'makeup'], // 调休 Sunday
    ['2026-10-11', false, 'weekend'],
    ['2026-02-14', true, 'makeup'],
    ['2026-02-17', false, 'holiday'], // Spring Festival
    ['2027-10-01', false, 'holiday'], // provisional statutory holiday
    ['2027-10-04', true, 'weekday'], // unknown until the State Council publishes 2027
    ['2028-05-01', true, 'weekday'], // a year nobody knows: the weekday rule only
  ] as const)('%s work=%s (%s)', (date, work, reason) => {
    const d = cal.day(date);
    expect(d.work).toBe(work);
    expect(d.reason).toBe(reason);
  });

  it('knows which years are official, provisional or unknown', () => {
    expect(cal.yearStatus(2026)).toBe('official');
    expect(cal.yearStatus(2027)).toBe('provisional');
    expect(cal.yearStatus(2028)).toBe('unknown');
  });

  it.each([
    // from, n, expected: across National Day 2026 (Oct 1–7 off, Sat Oct 10 a make-up working day)
    ['2026-09-29', 1, '2026-09-30'],
    ['2026-09-29', 2, '2026-10-08'],
    ['2026-09-29', 3, '2026-10-09'],
    ['2026-09-29', 4, '2026-10-10'], // the 调休 Saturday counts
    ['2026-09-29', 5, '2026-10-12'],
    ['2026-09-29', 7, '2026-10-14'],
    ['2026-10-01', 7, '2026-10-15'], // dispatched on a holiday: Oct 8, 9, 10 (Sat, 调休), 12, 13, 14, 15
    ['2026-09-18', 2, '2026-09-21'], // Fri 18 → Sun 20 (调休) → Mon 21
  ] as const)('%s + %i working days = %s', (from, n, expected) => {
    expect(cal.addWorkdays(from, n)).toBe(expected);
  });

  it('counts the make-up Sunday before National Day', () => {
    expect(cal.addWorkdays('2026-09-18', 1)).toBe('2026-09-20');
    expect(cal.workdaysBetween('2026-09-18', '2026-09-21')).toBe(2);
  });

  it('lets an admin add 2027 make-up days, move a holiday, and confirm the year', () => {
    const edited = WorkCalendar.standard(
      [
        { date: '2027-10-09', kind: 'workday', name: '国庆节调休' },
        { date: '2027-10-04', kind: 'holiday', name: '国庆节' },
        { date: '2027-04-05', kind: 'normal', name: '' },
      ],
      [2027],
    );
    expect(edited.day('2027-10-09')).toMatchObject({ work: true, reason: 'makeup', source: 'admin' });
    expect(edited.day('2027-10-04')).toMatchObject({ work: false, reason: 'holiday', source: 'admin' });
    expect(edited.isWorkday('2027-04-05')).toBe(true);
    expect(edited.yearStatus(2027)).toBe('official');
    expect(() => WorkCalendar.standard([{ date: '2027-02-30', kind: 'holiday', name: 'x' }])).toThrow(/bad date/);
  });
});

describe('deadlines: 7 working days, reminder on the 4th', () => {
  const at = (date: string, hhmm: string) => fromWall(date, hhmm);

  it('across National Day 2026 and the 调休 Saturday', () => {
    const d = computeDeadline(at('2026-09-29', '15:30'), cal);
    expect(d).toMatchObject({ dispatchDate: '2026-09-29', reminderDate: '2026-10-10', dueDate: '2026-10-14', warnings: [] });
    expect(d.reminderAt).toBe(at('2026-10-10', '09:00'));
    expect(d.dueAt).toBe(at('2026-10-15', '00:00'));
  });

  it.each([
    ['2026-10-10', '08:59', null, 'running'],
    ['2026-10-10', '09:00', null, 'due_soon'],
    ['2026-10-14', '23:59', null, 'due_soon'],
    ['2026-10-15', '00:00', null, 'overdue'],
    ['2026-10-20', '10:00', '2026-10-14 18:00', 'met'],
    ['2026-10-20', '10:00', '2026-10-15 08:00', 'late'],
  ] as const)('at %s %s (answered %s) → %s', (date, hhmm, answered, state) => {
    const d = computeDeadline(at('2026-09-29', '15:30'), cal);
    const answeredAt = answered ? at(answered.slice(0, 10), answered.slice(11)) : null;
    expect(deadlineState(d, at(date, hhmm), answeredAt)).toBe(state);
  });

  it('numbers the working days for display', () => {
    const d = computeDeadline(at('2026-09-29', '15:30'), cal);
    expect(workdayNumber(d, at('2026-09-29', '16:00'), cal)).toBe(0);
    expect(workdayNumber(d, at('2026-10-05', '10:00'), cal)).toBe(1);
    expect(workdayNumber(d, at('2026-10-10', '10:00'), cal)).toBe(4);
  });

  it('warns when the deadline runs into a provisional or unknown year', () => {
    const d = computeDeadline(at('2026-12-28', '10:00'), cal);
    expect(d.warnings).toEqual([{ year: 2027, status: 'provisional' }]);
    // 2026-12-29,30,31 work; 2027-01-01 provisional holiday; Jan 4,5,6,7 → 7th is Jan 7
    expect(d.dueDate).toBe('2027-01-07');
    expect(computeDeadline(at('2027-12-28', '10:00'), cal).warnings).toEqual([
      { year: 2027, status: 'provisional' },
      { year: 2028, status: 'unknown' },
    ]);
  });

  it('a dispatch late in the evening still counts its local date (Asia/Shanghai, not UTC)', () => {
    // 2026-09-29 23:30 in Beijing is 15:30 UTC the same day; 2026-09-30 00:30 is 16:30 UTC on the 29th.
    expect(computeDeadline(at('2026-09-30', '00:30'), cal).dispatchDate).toBe('2026-09-30');
  });
});

describe('the dispatch clock (from receipt, before dispatch)', () => {
  it.each([
    // received, working days allowed, last day to dispatch (24:00)
    ['2026-09-30', '15:00', 1, '2026-10-08'], // National Day: Oct 1–7 off, Thu Oct 8 the next working day
    ['2026-09-30', '15:00', 0, '2026-09-30'], // 0 = the day of receipt
    ['2026-10-09', '23:59', 1, '2026-10-10'], // Sat Oct 10 is a 调休 working day
    ['2026-10-10', '08:00', 2, '2026-10-13'], // Sun Oct 11 off: Mon 12, Tue 13
  ] as const)('received %s %s, %i working day(s) → dispatch by %s 24:00', (date, time, n, due) => {
    const d = dispatchDeadline(fromWall(date, time), cal, n);
    expect(d.dueDate).toBe(due);
    const next = new Date(Date.parse(`${due}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect(d.dueAt).toBe(fromWall(next, '00:00'));
  });
});
