// The bench harness's own promises: statistics that are right, stale sections that say so (once),
// and sections that carry the commit and time they were measured at.
import { describe, expect, it } from 'vitest';
import { linearFit, quantile, spread, tQuantile975 } from '../../bench/figure.ts';
import { markStale, parseSections, renderGoals, renderSection } from '../../bench/report.ts';

describe('bench statistics', () => {
  it('quantiles interpolate and the spread names n, p10 and p90', () => {
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([5], 0.9)).toBe(5);
    const s = spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(s).toMatchObject({ n: 11, median: 6, min: 1, max: 11, p10: 2, p90: 10 });
  });

  it('a least-squares slope with the textbook 95 % interval', () => {
    // y = 2x + 1 with residuals +-1 alternating: slope 2 exactly, interval from the t table.
    const xs = [0, 1, 2, 3, 4, 5, 6, 7];
    const ys = xs.map((x, i) => 2 * x + 1 + (i % 2 ? 1 : -1));
    const fit = linearFit(xs, ys);
    const sxx = 42; // sum of (x - 3.5)^2
    const sse = ys.reduce((a, y, i) => a + (y - (fit.intercept + fit.slope * xs[i]!)) ** 2, 0);
    const half = tQuantile975(6) * Math.sqrt(sse / 6 / sxx);
    expect(fit.slope).toBeCloseTo(2 + xs.reduce((a, x, i) => a + (x - 3.5) * (i % 2 ? 1 : -1), 0) / sxx, 10);
    expect(fit.ci95[1] - fit.ci95[0]).toBeCloseTo(2 * half, 10);
    expect(tQuantile975(10)).toBe(2.228);
  });

  it('flat noise gives an interval around zero', () => {
    const xs = Array.from({ length: 40 }, (_, i) => i * 50);
    const ys = xs.map((_, i) => 130 + ((i * 7919) % 11) - 5);
    const fit = linearFit(xs, ys);
    expect(fit.ci95[0]).toBeLessThan(0);
    expect(fit.ci95[1]).toBeGreaterThan(0);
  });
});

describe('RESULTS.md', () => {
  const head = {
    key: 'submit',
    title: 'Saving a submission',
    startedAt: new Date('2026-12-07T10:00:00Z'),
    seconds: 12,
    commit: 'abc1234567',
    loadBefore: 0.2,
    loadAfter: 0.9,
  };
  const figures = [
    { name: 'tap 停止 → review', value: 120, unit: 'ms', spread: spread([100, 120, 140]), goal: '≤ 300 ms', met: true },
    {
      name: 'outbox commits',
      value: 900,
      unit: 'commits/s',
      peer: { name: 'fdatasync', value: 3000, unit: '/s', ratio: 0.3 },
      goal: '≥ 0.5×',
      met: false,
    },
  ];

  it('a section names its commit and time, the spread, the peer and the ratio', () => {
    const text = renderSection(head, figures);
    expect(text).toContain('Measured 2026-12-07 10:00 UTC on commit abc1234567');
    expect(text).toContain('100–140 (n 3)');
    expect(text).toContain('fdatasync: 3000 /s');
    expect(text).toContain('0.3 ×');
    expect(text).toContain('**missed**');
  });

  it('a section not re-run is marked stale once, keeping its own commit line', () => {
    const text = renderSection(head, figures);
    const once = markStale(text, 'submit', '2026-12-08 09:00', 'def0000000');
    const twice = markStale(once, 'submit', '2026-12-09 09:00', 'fed0000000');
    expect(twice.match(/\*\*Stale\*\*/g)).toHaveLength(1);
    expect(twice).toContain('run of 2026-12-09 09:00 UTC on commit fed0000000');
    expect(twice).toContain('on commit abc1234567');
    expect(parseSections(`# x\n\n## Goals\n\n${twice}`).get('submit')).toContain('**Stale**');
  });

  it('the goals table lists every figure with a goal and names stale sections', () => {
    const g = renderGoals(new Map([['submit', { title: 't', figures }]]), ['staff']);
    expect(g).toContain('| submit | outbox commits | ≥ 0.5× | 900 commits/s (0.3 × the peer) | **missed** |');
    expect(g).toContain('`staff`');
  });
});
