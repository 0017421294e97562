// The import fences hold: for every folder of eslint.config.js FENCES, one probe file imports a real
// file of every folder it may NOT import (and of every folder it may, as the control), is written
// into the tree beside the real code, linted with ESLint's API and removed. A forbidden edge that
// lints clean fails the test. Packages (Node built-ins and server packages in browser code, electron
// outside main/electron/, anything but zod in contract/) are probed the same way. The table in
// docs/ARCHITECTURE.md ("Who may import whom") must say what FENCES says.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const RULE = 'fences/allowed-imports';

interface Fences {
  areas: Record<string, string[]>;
  files: Record<string, string[]>;
  packages: Record<string, { only?: string[]; browser?: boolean }>;
  serverPackages: string[];
  electron: string[];
}

const eslint = new ESLint({ cwd: root });
let fences: Fences;
const probeDirs: string[] = [];
const tracked = execFileSync('git', ['ls-files', '*.ts', '*.tsx'], { cwd: root, encoding: 'utf8' }).split('\n').filter(Boolean);

function areaOf(rel: string, keys: string[]): string | null {
  let best: string | null = null;
  for (const k of keys) if ((rel === k || rel.startsWith(k + '/')) && (best === null || k.length > best.length)) best = k;
  return best;
}

/** A real file of the folder (not of a more specific folder under it), so the probe imports something that exists. */
function realFileIn(area: string): string {
  const keys = Object.keys(fences.areas);
  const file = tracked.find((f) => areaOf(f, keys) === area && !f.endsWith('.d.ts') && !f.includes('vite.config'));
  if (!file) throw new Error(`no file in ${area}`);
  return file;
}

interface Probe {
  file: string; // repository path
  code: string;
  forbidden: boolean;
  what: string;
}

function probeDir(area: string): string {
  const dir = `${area}/fenceprobe_${process.pid}`;
  if (!probeDirs.includes(dir)) probeDirs.push(dir);
  return dir;
}

function importOf(fromFile: string, target: string): string {
  let spec = path.relative(path.dirname(fromFile), target).split(path.sep).join('/');
  if (!spec.startsWith('.')) spec = './' + spec;
  return spec;
}

function makeProbes(): Probe[] {
  const probes: Probe[] = [];
  const keys = Object.keys(fences.areas);
  let n = 0;
  const file = (area: string) => `${probeDir(area)}/probe${n++}.ts`;
  for (const from of keys) {
    const allowed = fences.areas[from]!;
    if (allowed.includes('*')) continue;
    for (const to of keys) {
      const f = file(from);
      const forbidden = !allowed.includes(to);
      probes.push({ file: f, code: `import '${importOf(f, realFileIn(to))}';\n`, forbidden, what: `${from} → ${to}` });
    }
    // Something of the project outside every fenced folder (packaging/, docs/, the root).
    const f = file(from);
    probes.push({ file: f, code: `import '${importOf(f, 'packaging/README.md')}';\n`, forbidden: true, what: `${from} → packaging` });
  }
  // The other ways to write an import are fenced as well.
  const forms: Array<[string, (spec: string) => string]> = [
    ['import type', (s) => `import type { Config } from '${s}';\nexport type X = Config;\n`],
    ['export from', (s) => `export * from '${s}';\n`],
    ['import()', (s) => `export const m = import('${s}');\n`],
  ];
  for (const [form, code] of forms) {
    const f = file('renderer');
    probes.push({ file: f, code: code(importOf(f, 'main/config.ts')), forbidden: true, what: `renderer → main (${form})` });
  }
  // Packages.
  const pkg = (area: string, spec: string, forbidden: boolean) => {
    const f = file(area);
    probes.push({ file: f, code: `import '${spec}';\n`, forbidden, what: `${area} → package ${spec}` });
  };
  for (const area of Object.keys(fences.packages)) {
    const p = fences.packages[area]!;
    if (p.browser) for (const spec of ['node:fs', 'fs', 'path', ...fences.serverPackages]) pkg(area, spec, true);
    if (p.only) {
      for (const spec of p.only) pkg(area, spec, false);
      pkg(area, 'react', true);
    } else pkg(area, 'react', false);
  }
  for (const area of keys) pkg(area, 'electron', areaOf(`${area}/x.ts`, fences.electron) === null);
  pkg('main/electron', 'electron', false);
  return probes;
}

beforeAll(async () => {
  const config = (await eslint.calculateConfigForFile(path.join(root, 'main/core.ts'))) as { rules: Record<string, [unknown, Fences]> };
  fences = config.rules[RULE]![1];
});

afterAll(() => {
  for (const dir of probeDirs) rmSync(path.join(root, dir), { recursive: true, force: true });
});

describe('import fences', () => {
  it('lints every forbidden edge as an error and every allowed edge clean', async () => {
    const probes = makeProbes();
    for (const dir of probeDirs) mkdirSync(path.join(root, dir), { recursive: true });
    for (const p of probes) writeFileSync(path.join(root, p.file), p.code);
    const results = await eslint.lintFiles(probes.map((p) => path.join(root, p.file)));
    const byFile = new Map(results.map((r) => [path.relative(root, r.filePath).split(path.sep).join('/'), r]));
    const wrong: string[] = [];
    for (const p of probes) {
      const r = byFile.get(p.file);
      if (!r) throw new Error(`not linted: ${p.file}`);
      const fatal = r.messages.filter((m) => m.fatal);
      expect(fatal, p.file).toEqual([]);
      const hit = r.messages.some((m) => m.ruleId === RULE);
      if (hit !== p.forbidden) wrong.push(`${p.what}: ${p.forbidden ? 'passes lint but is forbidden' : 'refused but allowed'}`);
    }
    expect(wrong).toEqual([]);
    // bench/ reaches what tests/ hold only through testkit/ (issue 13): its edge to tests/ is probed and refused.
    const benchToTests = probes.find((p) => p.what === 'bench → tests');
    expect(benchToTests?.forbidden).toBe(true);
    expect(byFile.get(benchToTests!.file)!.messages.some((m) => m.ruleId === RULE)).toBe(true);
    expect(probes.find((p) => p.what === 'bench → testkit')?.forbidden).toBe(false);
    // The probes covered every pair of folders (a table that grows grows the probes).
    const fenced = Object.values(fences.areas).filter((a) => !a.includes('*')).length;
    expect(probes.filter((p) => p.what.includes(' → ') && !p.what.includes('package') && !p.what.includes('(')).length).toBe(
      fenced * (Object.keys(fences.areas).length + 1),
    );
  }, 180_000);

  it('lets main/start.ts, and only it of main/, embed the intake', async () => {
    const code = `import '../intake/server.ts';\n`;
    const [start] = await eslint.lintText(code, { filePath: path.join(root, 'main/start.ts') });
    expect(start!.messages.filter((m) => m.ruleId === RULE)).toEqual([]);
    const [cli] = await eslint.lintText(code, { filePath: path.join(root, 'main/cli.ts') });
    expect(cli!.messages.filter((m) => m.ruleId === RULE)).toHaveLength(1);
  });

  it('docs/ARCHITECTURE.md "Who may import whom" says what FENCES says', () => {
    const doc = readFileSync(path.join(root, 'docs/ARCHITECTURE.md'), 'utf8');
    const section = doc.split('## Who may import whom')[1]!.split('\n## ')[0]!;
    const rows = section.split('\n').filter((l) => /^\| `[^`]+` \|/.test(l));
    const table: Record<string, string[]> = {};
    for (const row of rows) {
      const [, folder, may] = row.split('|').map((c) => c.trim());
      const key = folder!.replace(/`/g, '').replace(/\/$/, '');
      const folders = [...may!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!.replace(/\/$/, ''));
      table[key] = may!.startsWith('everything') ? ['*'] : folders;
    }
    const expected: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(fences.areas)) expected[k] = [...v].sort();
    // A file row reads "as `main/`, and `intake/`": its folder's list plus its extras.
    for (const [k, extra] of Object.entries(fences.files))
      expected[k] = [...fences.areas[areaOf(k, Object.keys(fences.areas))!]!, ...extra].sort();
    const got: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(table)) got[k] = (k in fences.files ? [...fences.areas[v[0]!]!, ...v.slice(1)] : v).sort();
    expect(got).toEqual(expected);
  });
});
