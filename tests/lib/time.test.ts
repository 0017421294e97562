import { describe, expect, it } from 'vitest';
import { compactLocalDate, localDate } from '../../lib/time.ts';

describe('localDate', () => {
  it('dates an instant in each time zone asked for, one after another (a formatter per zone)', () => {
    const t = Date.UTC(2026, 0, 1, 17, 30); // 01:30 on 2 January in Shanghai, still 1 January in UTC and New York
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-01-02');
    expect(localDate(t, 'UTC')).toBe('2026-01-01');
    expect(localDate(t, 'America/New_York')).toBe('2026-01-01');
    expect(localDate(t, 'Asia/Shanghai')).toBe('2026-01-02');
    expect(localDate(t)).toBe('2026-01-02'); // the default zone is the booths' and staff's
    expect(compactLocalDate(t, 'Asia/Shanghai')).toBe('20260102');
    expect(compactLocalDate(t - 2 * 3600_000, 'Asia/Shanghai')).toBe('20260101');
  });
});
