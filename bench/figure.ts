// One measured figure for bench/RESULTS.md, and the statistics every figure is made of.
// A figure is never a single sample: it is the median of repeats with their spread, or a slope with
// its 95 % confidence interval where the goal is a trend. Where a peer or a physical limit exists
// (a plain HTTP copy, the disk's fdatasync rate, the wire time…), it is measured in the same run and
// the figure states the ratio to it.

export interface Spread {
  n: number;
  median: number;
  min: number;
  max: number;
  p10: number;
  p90: number;
}

/** A peer or physical limit measured in the same run, and this figure's ratio to it. */
export interface Peer {
  /** What the peer is, in words ("a plain HTTP PUT of the same bytes over the same link"). */
  name: string;
  value: number;
  unit: string;
  /** This figure ÷ the peer (a rate over a rate, a time over a time). */
  ratio: number;
}

export interface BenchFigure {
  /** What was timed, in the resident's or the clerk's terms (what they do → what they see). */
  name: string;
  /** The median for repeated measurements, the slope for a trend, the count for a tally. */
  value: number;
  unit: string;
  /** The spread of the repeats (figures from a single run of a long job say so in `notes`). */
  spread?: Spread;
  /** For a trend: the 95 % confidence interval of the slope. */
  ci95?: [number, number];
  peer?: Peer;
  /** The target, in words (e.g. "≤ 300 ms", "≥ 0.97× the peer"), and whether this run met it (null: no target). */
  goal?: string;
  met?: boolean | null;
  notes?: string;
}

export interface Bench {
  title: string;
  /** Rough wall time on a quiet 2-core machine, for the run's plan (seconds). */
  budgetSeconds?: number;
  run(): Promise<BenchFigure[]>;
}

export function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function median(xs: number[]): number {
  return quantile(xs, 0.5);
}

export function spread(xs: number[]): Spread {
  return { n: xs.length, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), p10: quantile(xs, 0.1), p90: quantile(xs, 0.9) };
}

/** Runs `fn` `warmup` times unmeasured, then `n` times; the milliseconds of each measured run. */
export async function repeat(n: number, fn: (i: number) => Promise<unknown> | unknown, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    out.push(performance.now() - t0);
  }
  return out;
}

// Two-sided 97.5 % quantiles of Student's t for 1–30 degrees of freedom; beyond, the normal's 1.96
// is within 2 % (the interval is then a touch narrow, never wide).
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086,
  2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (df < 1) return NaN;
  if (df <= 30) return T975[df - 1]!;
  if (df <= 60) return 2.042 + ((2.0 - 2.042) * (df - 30)) / 30;
  if (df <= 120) return 2.0 + ((1.98 - 2.0) * (df - 60)) / 60;
  return 1.96;
}

export interface Slope {
  slope: number;
  intercept: number;
  ci95: [number, number];
  n: number;
}

/** Least-squares line through (x, y) with the 95 % confidence interval of its slope. */
export function linearFit(xs: number[], ys: number[]): Slope {
  const n = xs.length;
  if (n !== ys.length || n < 3) throw new Error('a slope needs at least 3 points');
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (ys[i]! - (intercept + slope * xs[i]!)) ** 2;
  const se = Math.sqrt(sse / (n - 2) / sxx);
  const h = tQuantile975(n - 2) * se;
  return { slope, intercept, ci95: [slope - h, slope + h], n };
}

/** A number rounded to `digits` significant digits (figures do not pretend to more precision). */
export function sig(x: number, digits = 3): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(digits));
}

/** A figure from repeated timings: median value, spread kept. */
export function timed(name: string, ms: number[], extra: Omit<BenchFigure, 'name' | 'value' | 'unit' | 'spread'> = {}): BenchFigure {
  const s = spread(ms);
  return { name, value: sig(s.median), unit: 'ms', spread: s, ...extra };
}

/** Attaches a peer measured in the same run; ratio = value ÷ peer value. */
export function withPeer(f: BenchFigure, peer: Omit<Peer, 'ratio'>): BenchFigure {
  return { ...f, peer: { ...peer, ratio: f.value / peer.value } };
}

/**
 * BENCH_SMOKE=1: every bench with reduced sizes, to check that it runs (minutes, not a measurement);
 * RESULTS.md then says so on top and in every section.
 */
export const SMOKE = process.env.BENCH_SMOKE === '1';

/** `full` normally, `smoke` under BENCH_SMOKE=1. */
export function size<T>(full: T, smoke: T): T {
  return SMOKE ? smoke : full;
}

/** `size(full, smoke)` unless the environment variable `name` sets the number (a reduced run by hand). */
export function sizeFromEnv(name: string, full: number, smoke: number): number {
  const v = process.env[name];
  return v ? Number(v) : size(full, smoke);
}
