// `npm run bench`: runs every benchmark module listed here and rewrites bench/RESULTS.md whole.
// `npm run bench -- NAME …` runs only those; every other section is kept but marked stale, with
// the commit and time it was measured at, so no figure survives silently from an older code base.
// Speed and memory targets live here (in the bench modules), never in tests.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { SMOKE, type Bench, type BenchFigure } from './figure.ts';
import { markStale, parseSections, renderGoals, renderSection, when, type SectionHead } from './report.ts';

// Benchmarks log nothing but errors; their figures are the output.
process.env.LOG_LEVEL ??= 'error';

const modules: Record<string, () => Promise<{ bench: Bench }>> = {
  submit: () => import('./submit.ts'),
  idcard: () => import('./idcard.ts'),
  staff: () => import('./staff.ts'),
  delivery: () => import('./delivery.ts'),
  resident: () => import('./resident.ts'),
  intake: () => import('./intake.ts'),
  intakeScale: () => import('./intakeScale.ts'),
  intakeIngest: () => import('./intakeIngest.ts'),
  intakeDay: () => import('./intakeDay.ts'),
};

const only = process.argv.slice(2).filter((a) => !a.startsWith('-'));
for (const k of only) {
  if (!(k in modules)) {
    console.error(`bench: no module "${k}" (known: ${Object.keys(modules).join(', ')})`);
    process.exit(2);
  }
}
const RESULTS = new URL('./RESULTS.md', import.meta.url);
/** A full run must end within 40 minutes on a quiet 2-core machine (issue 17); RESULTS.md says whether it did. */
const TOTAL_LIMIT_S = 40 * 60;

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

/** The commit the figures describe; uncommitted changes (other than RESULTS.md) are named, not hidden. */
function commitLabel(): string {
  const sha = git(['rev-parse', '--short=10', 'HEAD']) || 'unknown';
  const dirty = git(['status', '--porcelain', '--untracked-files=no'])
    .split('\n')
    .filter((l) => l.trim() && !l.endsWith('bench/RESULTS.md'));
  return dirty.length ? `${sha} + ${dirty.length} uncommitted file(s)` : sha;
}

function previousSections(): Map<string, string> {
  return existsSync(RESULTS) ? parseSections(readFileSync(RESULTS, 'utf8')) : new Map();
}

const commit = commitLabel();
const runAt = when(new Date());
const previous = previousSections();
const sections = new Map<string, string>();
const fresh = new Map<string, { title: string; figures: BenchFigure[] }>();
let anyMissed = false;
const runStart = performance.now();
{
  // The plan: each module's rough wall time on a quiet 2-core machine, so whoever starts the run knows when it ends.
  const planned: string[] = [];
  let total = 0;
  for (const [key, load] of Object.entries(modules)) {
    if (only.length && !only.includes(key)) continue;
    const s = (await load()).bench.budgetSeconds ?? 60;
    total += s;
    planned.push(`${key} ~${Math.round(s / 60)} min`);
  }
  console.log(
    `bench: plan ${planned.join(', ')}: about ${Math.round(total / 60)} min in all on a quiet machine${SMOKE ? ' (smoke run: far less)' : ''}`,
  );
  if (total > TOTAL_LIMIT_S)
    console.error(`bench: the plan is over the ${TOTAL_LIMIT_S / 60} min a full run may take: trim a module's sizes`);
}
for (const [key, load] of Object.entries(modules)) {
  if (only.length && !only.includes(key)) {
    const old = previous.get(key);
    if (old) sections.set(key, markStale(old, key, runAt, commit));
    continue;
  }
  const { bench } = await load();
  console.log(`bench: ${bench.title} (${key}) …`);
  const started = new Date();
  const load0 = os.loadavg()[0]!;
  const t0 = performance.now();
  let figures: BenchFigure[];
  try {
    figures = await bench.run();
  } catch (e) {
    console.error(e);
    figures = [{ name: `${bench.title} failed: ${(e as Error).message}`, value: NaN, unit: '', goal: 'runs', met: false }];
  }
  const head: SectionHead = {
    key,
    smoke: SMOKE,
    title: bench.title,
    startedAt: started,
    seconds: (performance.now() - t0) / 1000,
    commit,
    loadBefore: load0,
    loadAfter: os.loadavg()[0]!,
  };
  if (figures.some((f) => f.met === false)) anyMissed = true;
  const text = renderSection(head, figures);
  console.log(text);
  sections.set(key, text);
  fresh.set(key, { title: bench.title, figures });
}

const totalS = Math.round((performance.now() - runStart) / 1000);
const overLimit = !only.length && !SMOKE && totalS > TOTAL_LIMIT_S;
if (overLimit) console.error(`bench: this run took ${Math.round(totalS / 60)} min, over the ${TOTAL_LIMIT_S / 60} min limit`);
const cpu = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
const header =
  `# Bench results\n\n` +
  (SMOKE ? '> **Smoke run** (BENCH_SMOKE=1): reduced sizes to check that every bench runs; no figure below is a measurement.\n\n' : '') +
  `Written whole by \`npm run bench\` at ${runAt} UTC on commit ${commit} (${cpu}; ${totalS} s${overLimit ? `, **over the ${TOTAL_LIMIT_S / 60} min a full run may take**` : ''}). ` +
  `Every section names the commit and time its figures were measured at; a section this run did not measure is marked **Stale**. ` +
  `Values are medians of repeats with their spread (p10–p90, n); a trend is a least-squares slope with its 95 % confidence interval. ` +
  `A peer or physical limit is measured in the same run, beside the figure, with the ratio.\n\n`;
const ordered = Object.keys(modules)
  .filter((k) => sections.has(k))
  .map((k) => sections.get(k)!);
writeFileSync(
  RESULTS,
  header +
    renderGoals(
      fresh,
      [...sections.keys()].filter((k) => !fresh.has(k)),
    ) +
    '\n' +
    ordered.join('\n'),
);
console.log('bench: wrote bench/RESULTS.md');
process.exit(anyMissed ? 1 : 0);
