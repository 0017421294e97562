// The DOM build (tsconfig.dom.json: renderer/, intake/web/, contract/) sees no Node types: a probe
// file in renderer/ and one in intake/web/ that use Buffer and process are type errors there. Each is
// written into the tree, the real build is type-checked with it (tsc -p tsconfig.dom.json, so a
// package whose types reference Node's, as @types/qrcode does, would show), and removed. No error
// other than the probes' may appear: the rest of the browser code builds clean without Node types.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const dirs = ['renderer', 'intake/web'].map((d) => `${d}/fenceprobe_dom_${process.pid}`);

afterAll(() => {
  for (const d of dirs) rmSync(path.join(root, d), { recursive: true, force: true });
});

it('refuses Buffer and process in browser code', () => {
  for (const d of dirs) {
    mkdirSync(path.join(root, d), { recursive: true });
    writeFileSync(path.join(root, d, 'nodeTypes.ts'), "export const bytes = Buffer.from('x');\nexport const env = process.env.HOME;\n");
  }
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  const run = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.dom.json', '--noEmit', '--incremental', 'false', '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  });
  const errors = run.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
  const expected = dirs.flatMap((d) => [
    `${d}/nodeTypes.ts(1,22): error TS2591: Cannot find name 'Buffer'`,
    `${d}/nodeTypes.ts(2,20): error TS2591: Cannot find name 'process'`,
  ]);
  expect(errors.map((l) => l.replace(/\. Do you need.*$/, '')).sort()).toEqual(expected.sort());
}, 240_000);
