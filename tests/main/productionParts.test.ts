// Production code free of test parts (issue 13 item 5): the ID-card simulator and its test cards
// have their own entry (drivers/idcard/simulator/index.ts); outside the driver's simulator folder
// only main/start.ts (for `npm start`) and the `booth idcard simulate` command load it, both at run
// time, and main/realname.ts names its type. The driver's public surface exports none of it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = path.join(dir, e);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') || p.endsWith('.tsx') ? [p] : [];
  });
}

describe('production code holds no test parts', () => {
  it('only main/start.ts and the simulate command load the simulator entry, at run time', () => {
    const files = ['main', 'uploader', 'lib', 'drivers', 'renderer', 'contract']
      .flatMap(sources)
      .filter((f) => !f.startsWith('drivers/idcard/simulator/'));
    const importers = files.filter((f) => /from '[^']*simulator\/|import\('[^']*simulator\//.test(readFileSync(f, 'utf8')));
    expect(importers.sort()).toEqual(['main/cli/idcard.ts', 'main/realname.ts', 'main/start.ts']);
    expect(readFileSync('main/realname.ts', 'utf8')).toMatch(
      /^import type \{ BoothSimulator \} from '\.\.\/drivers\/idcard\/simulator\/index\.ts';$/m,
    );
    for (const f of ['main/cli/idcard.ts', 'main/start.ts']) expect(readFileSync(f, 'utf8')).not.toMatch(/^import [^\n]*simulator\//m);
    expect(readFileSync('drivers/idcard/index.ts', 'utf8')).not.toMatch(/from '[^']*simulator\//);
  });
});
