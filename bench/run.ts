// `npm run bench`: runs every benchmark module listed here and writes bench/RESULTS.md.
// Speed and memory targets live here, never in tests. A bench may be chosen by name: npm run bench -- submit
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import type { Bench, BenchFigure } from './figure.ts';

// Benchmarks log nothing but errors; their figures are the output.
process.env.LOG_LEVEL ??= 'error';

const modules: Record<string, () => Promise<{ bench: Bench }>> = {
  submit: () => import('./submit.ts'),
  idcard: () => import('./idcard.ts'),
  staff: () => import('./staff.ts'),
  delivery: () => import('./delivery.ts'),
  resident: () => import('./resident.ts'),
};

const only = process.argv.slice(2);
const RESULTS = new URL('./RESULTS.md', import.meta.url);

/** The sections of the existing RESULTS.md by bench key, so running one bench keeps the others' figures. */
function previousSections(): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(RESULTS)) return out;
  const text = readFileSync(RESULTS, 'utf8');
  for (const part of text.split(/^(?=## )/m).slice(1)) {
    const key = /^## .*\(`([\w-]+)`\)/.exec(part)?.[1];
    if (key) out.set(key, part.trimEnd() + '\n');
  }
  return out;
}

const sectionsByKey = previousSections();
let anyMissed = false;
for (const [key, load] of Object.entries(modules)) {
  if (only.length && !only.includes(key)) continue;
  const { bench } = await load();
  console.log(`bench: ${bench.title} …`);
  let figures: BenchFigure[];
  try {
    figures = await bench.run();
  } catch (e) {
    figures = [{ name: `${bench.title} failed: ${(e as Error).message}`, value: NaN, unit: '', met: false }];
  }
  const rows = figures.map((f) => {
    if (f.met === false) anyMissed = true;
    const verdict = f.met === undefined || f.met === null ? '' : f.met ? 'met' : '**missed**';
    return `| ${f.name} | ${f.value} ${f.unit} | ${f.goal ?? ''} | ${verdict} | ${f.notes ?? ''} |`;
  });
  for (const r of rows) console.log(r);
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ');
  sectionsByKey.set(key, `## ${bench.title} (\`${key}\`)\n\nRun ${when} UTC.\n\n| figure | value | goal | | notes |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
}

const header = `# Bench results\n\nWritten by \`npm run bench\` (each section says when it ran) — ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}.\n\n`;
const ordered = Object.keys(modules).filter((k) => sectionsByKey.has(k)).map((k) => sectionsByKey.get(k)!);
writeFileSync(RESULTS, header + ordered.join('\n'));
console.log('bench: wrote bench/RESULTS.md');
process.exit(anyMissed ? 1 : 0);
