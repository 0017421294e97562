// bench/RESULTS.md as text: one section per bench module, a goals table on top, stale marking for
// sections a run did not measure. Pure (no I/O) so tests can hold it to its promises.
import type { BenchFigure } from './figure.ts';

export interface SectionHead {
  key: string;
  /** BENCH_SMOKE=1: reduced sizes, not a measurement. */
  smoke?: boolean;
  title: string;
  startedAt: Date;
  seconds: number;
  commit: string;
  loadBefore: number;
  loadAfter: number;
}

function num(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : 3;
  return x.toLocaleString('en', { maximumFractionDigits: digits, useGrouping: a >= 10_000 });
}

function cell(s: string): string {
  return s.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

export function verdict(f: BenchFigure): string {
  return f.met === undefined || f.met === null ? '' : f.met ? 'met' : '**missed**';
}

function valueText(f: BenchFigure): string {
  return `${num(f.value)} ${f.unit}`.trim();
}

function spreadText(f: BenchFigure): string {
  if (f.ci95) return `95 % CI ${num(f.ci95[0])} … ${num(f.ci95[1])}`;
  if (!f.spread) return '';
  const s = f.spread;
  return s.n >= 5 ? `${num(s.p10)}–${num(s.p90)} (n ${s.n})` : `${num(s.min)}–${num(s.max)} (n ${s.n})`;
}

function peerText(f: BenchFigure): [string, string] {
  if (!f.peer) return ['', ''];
  return [`${f.peer.name}: ${num(f.peer.value)} ${f.peer.unit}`, `${num(f.peer.ratio)} ×`];
}

export function when(d: Date): string {
  return d.toISOString().slice(0, 16).replace('T', ' ');
}

export function renderSection(head: SectionHead, figures: BenchFigure[]): string {
  const rows = figures.map((f) => {
    const [peer, ratio] = peerText(f);
    return `| ${cell(f.name)} | ${cell(valueText(f))} | ${cell(spreadText(f))} | ${cell(peer)} | ${ratio} | ${cell(f.goal ?? '')} | ${verdict(f)} | ${cell(f.notes ?? '')} |`;
  });
  return (
    `## ${head.title} (\`${head.key}\`)\n\n` +
    (head.smoke ? '> **Smoke run** (BENCH_SMOKE=1, reduced sizes): checks that the bench runs; not a measurement.\n\n' : '') +
    `Measured ${when(head.startedAt)} UTC on commit ${head.commit}, ${Math.round(head.seconds)} s; 1-min load average ${head.loadBefore.toFixed(1)} → ${head.loadAfter.toFixed(1)}.\n\n` +
    `| figure | value | spread | peer or limit (same run) | ratio | goal | | notes |\n|---|---|---|---|---|---|---|---|\n` +
    rows.join('\n') +
    '\n'
  );
}

/** The goals of this run, met or missed, with the figure each is judged on; stale sections named. */
export function renderGoals(fresh: Map<string, { title: string; figures: BenchFigure[] }>, stale: string[]): string {
  const rows: string[] = [];
  for (const [key, { figures }] of fresh) {
    for (const f of figures) {
      if (!f.goal) continue;
      const shown = f.peer ? `${valueText(f)} (${num(f.peer.ratio)} × the peer)` : valueText(f);
      rows.push(`| ${key} | ${cell(f.name)} | ${cell(f.goal)} | ${cell(shown)} | ${verdict(f) || 'no verdict'} |`);
    }
  }
  let out = `## Goals\n\n| bench | figure | goal | this run | |\n|---|---|---|---|---|\n${rows.join('\n')}\n`;
  if (stale.length)
    out += `\nNot measured by this run (their sections below are marked stale): ${stale.map((k) => `\`${k}\``).join(', ')}.\n`;
  return out;
}

/** The sections of a RESULTS.md text by bench key (the goals table is not a section: it is rebuilt). */
export function parseSections(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(/^(?=## )/m).slice(1)) {
    const key = /^## .*\(`([\w-]+)`\)/.exec(part)?.[1];
    if (key) out.set(key, part.trimEnd() + '\n');
  }
  return out;
}

const STALE_LINE = /^> \*\*Stale\*\*[^\n]*\n\n/m;

/** A section carried over from an earlier run, with one stale line under its title (never two). */
export function markStale(section: string, key: string, runAt: string, commit: string): string {
  const body = section.replace(STALE_LINE, '');
  const nl = body.indexOf('\n\n');
  const title = nl < 0 ? body.trimEnd() : body.slice(0, nl);
  const rest = nl < 0 ? '' : body.slice(nl + 2);
  const source = /^Measured .* on commit /m.test(rest) ? 'the commit and time named below' : 'an unrecorded commit and time';
  const note = `> **Stale**: not measured by the run of ${runAt} UTC on commit ${commit}; these figures describe ${source}, not today's code. Re-run: \`npm run bench -- ${key}\`.\n\n`;
  return `${title}\n\n${note}${rest}`;
}
