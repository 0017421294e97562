// docs/ is self-contained: every Markdown document a source file, script or note cites by name
// must exist in the repository (a bare name means docs/), so a newcomer never follows a citation
// to a folder outside the repo.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** Upper-case document names like IDCARD-PROTOCOL.md or docs/DELIVERY.md, as cited in prose and comments. */
const CITATION = /(?<![\w/.-])((?:[\w-]+\/)*[A-Z][A-Z0-9-]*\.md)\b/g;

/** Names that are not documents of this repository (tools' own files named in prose). */
const NOT_OURS = new Set(['CHANGELOG.md', 'LICENSE.md', 'MACHINES.md', 'DOCUMENTATION.md']);

function trackedTextFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\n')
    .filter((f) => /\.(ts|tsx|js|mjs|sh|md|yml|yaml|json|css|html|service)$/.test(f))
    .filter((f) => !f.startsWith('node_modules/') && f !== 'package-lock.json')
    .filter((f) => existsSync(path.join(ROOT, f)));
}

function resolveCitation(citingFile: string, cited: string, tracked: string[]): string | null {
  const candidates = [
    path.join(ROOT, cited),
    path.join(ROOT, 'docs', cited),
    path.join(ROOT, path.dirname(citingFile), cited),
    path.join(ROOT, 'docs', path.basename(cited)),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (found) return found;
  // A bare name of a folder's own document (RESULTS.md for bench/RESULTS.md): one tracked file.
  const byName = tracked.filter((f) => path.basename(f) === cited);
  return byName.length === 1 ? byName[0]! : null;
}

describe('documentation citations', () => {
  it('finds citations in prose and comments (the pattern itself)', () => {
    const sample = 'see IDCARD-PROTOCOL.md §4, docs/DELIVERY.md and STYLE.md; not readme.md';
    expect([...sample.matchAll(CITATION)].map((m) => m[1])).toEqual(['IDCARD-PROTOCOL.md', 'docs/DELIVERY.md', 'STYLE.md']);
  });

  it('every cited document exists in the repository', () => {
    const missing: string[] = [];
    const tracked = trackedTextFiles();
    for (const file of tracked) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const m of text.matchAll(CITATION)) {
        const cited = m[1]!;
        if (NOT_OURS.has(path.basename(cited))) continue;
        if (/^(?:\.\.\/)*shared\//.test(cited)) {
          missing.push(`${file}: ${cited} (outside the repository)`);
          continue;
        }
        if (!resolveCitation(file, cited, tracked)) missing.push(`${file}: ${cited}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
