// One measured figure for bench/RESULTS.md.
export interface BenchFigure {
  /** What was measured, in words. */
  name: string;
  value: number;
  unit: string;
  /** The target, in words (e.g. "< 2 s"), and whether this run met it (null: no target). */
  goal?: string;
  met?: boolean | null;
  notes?: string;
}

export interface Bench {
  title: string;
  run(): Promise<BenchFigure[]>;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
