import { describe, expect, it } from 'vitest';
import { isWithinWindow, nextWindowOpen, parseHhmm, secondOfDay } from '../../lib/timeWindow.ts';

// 2026-11-25 00:00 in Asia/Shanghai is 2026-11-24 16:00 UTC.
const sh = (hhmm: string) => Date.UTC(2026, 10, 24, 16, 0) + parseHhmm(hhmm) * 60_000;
const TZ = 'Asia/Shanghai';

describe('daily windows in a time zone', () => {
  it('reads local time of day in the given zone, not the process zone', () => {
    expect(secondOfDay(sh('03:30'), TZ)).toBe(3.5 * 3600);
    expect(secondOfDay(sh('03:30'), 'UTC')).toBe((19 * 60 + 30) * 60);
  });

  it.each([
    // window, local time, inside?
    [{ start: '02:00', end: '05:00' }, '01:59', false],
    [{ start: '02:00', end: '05:00' }, '02:00', true],
    [{ start: '02:00', end: '05:00' }, '04:59', true],
    [{ start: '02:00', end: '05:00' }, '05:00', false],
    [{ start: '22:00', end: '06:00' }, '23:30', true],
    [{ start: '22:00', end: '06:00' }, '00:00', true],
    [{ start: '22:00', end: '06:00' }, '05:59', true],
    [{ start: '22:00', end: '06:00' }, '06:00', false],
    [{ start: '22:00', end: '06:00' }, '12:00', false],
    [{ start: '00:00', end: '00:00' }, '12:00', true],
  ])('%o at %s → %s', (w, at, inside) => {
    expect(isWithinWindow(sh(at), w, TZ)).toBe(inside);
  });

  it('gives the next opening: now when inside, else the next start (today or tomorrow)', () => {
    const w = { start: '02:00', end: '05:00' };
    expect(nextWindowOpen(sh('03:00'), w, TZ)).toBe(sh('03:00'));
    expect(nextWindowOpen(sh('01:00'), w, TZ)).toBe(sh('02:00'));
    expect(nextWindowOpen(sh('06:00'), w, TZ)).toBe(sh('02:00') + 24 * 3600_000);
  });

  it('refuses malformed times', () => {
    expect(() => parseHhmm('24:00')).toThrow();
    expect(() => parseHhmm('2:00')).toThrow();
  });
});
