// The Electron package's app folder (build/electron-app): the bundles, the kiosk UI, a package.json
// whose dependencies are exactly the bundles' external imports, and node_modules holding just those
// packages and what they need (electron-builder's two-package.json structure). Without it
// electron-builder packs every production dependency of the repository — the intake's fastify, pg,
// tsx with esbuild, the Node runtime package — and nothing the booth marks as a dev dependency, such
// as electron-updater, which the shell imports at load.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

interface PackageJson {
  name: string;
  version: string;
  description?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: `from/node_modules/name`, then each parent's, up to (and including) `root`. */
export function resolvePackageDir(root: string, from: string, name: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || !dir.startsWith(root)) return null;
  }
}

/**
 * Every package folder (relative to root) that `names` need at run time: their dependencies and the
 * optional ones that are installed, transitively, each found the way Node would find it.
 */
export function dependencyClosure(root: string, names: string[]): string[] {
  const seen = new Set<string>();
  const queue: Array<{ from: string; name: string; optional: boolean }> = names.map((name) => ({ from: root, name, optional: false }));
  while (queue.length > 0) {
    const { from, name, optional } = queue.shift()!;
    const dir = resolvePackageDir(root, from, name);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${name} (needed from ${path.relative(root, from) || 'the app'}) is not installed`);
    }
    const rel = path.relative(root, dir);
    if (seen.has(rel)) continue;
    seen.add(rel);
    const pkg = readPackage(dir);
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ from: dir, name: dep, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ from: dir, name: dep, optional: true });
  }
  return [...seen].sort();
}

/** The npm package a bare import names: "@node-rs/argon2/x" → "@node-rs/argon2", "usb" → "usb". */
export function packageOfImport(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export interface AppFolderInput {
  root: string;
  appDir: string;
  /** Bare external imports of the bundles (esbuild's metafile), without node: built-ins and electron. */
  externals: string[];
}

/** Writes the app folder; returns the package names it lists as dependencies. */
export function writeAppFolder({ root, appDir, externals }: AppFolderInput): string[] {
  const rootPkg = readPackage(root);
  const names = [...new Set(externals.map(packageOfImport))].sort();
  const versions = { ...rootPkg.devDependencies, ...rootPkg.dependencies };
  const dependencies = Object.fromEntries(
    names.map((n) => {
      const v = versions[n];
      if (!v) throw new Error(`the bundles import ${n}, which package.json does not list`);
      return [n, v];
    }),
  );
  rmSync(appDir, { recursive: true, force: true });
  mkdirSync(appDir, { recursive: true });
  writeFileSync(
    path.join(appDir, 'package.json'),
    `${JSON.stringify({ name: rootPkg.name, version: rootPkg.version, description: rootPkg.description, author: '说吧 booth project', main: 'dist-electron/main.mjs', type: 'module', dependencies }, null, 2)}\n`,
  );
  cpSync(path.join(root, 'dist-electron'), path.join(appDir, 'dist-electron'), { recursive: true });
  cpSync(path.join(root, 'dist/renderer'), path.join(appDir, 'dist/renderer'), { recursive: true });
  for (const rel of dependencyClosure(root, names)) {
    const src = path.join(root, rel);
    // Each package without its own nested node_modules: the ones it needs are in the closure too.
    cpSync(src, path.join(appDir, rel), {
      recursive: true,
      filter: (f) => !path.relative(src, f).split(path.sep).includes('node_modules'),
    });
  }
  return names;
}
