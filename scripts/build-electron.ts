// Bundles the Electron shell (main/electron/main.ts → dist-electron/main.mjs), the same core with
// the same rules (→ dist-electron/core.mjs, used by the bundle test in plain Node) and the technician
// CLI (main/cli.ts → dist-electron/cli.mjs, run by /usr/bin/booth with the packaged binary as Node:
// packaging/bin/booth), for electron-builder. ESM, because the shell starts the core with top-level await; native modules stay
// external (electron-builder unpacks them from the asar: electron-builder.yml asarUnpack).
// Paths the core computes from import.meta.url resolve from dist-electron/: ../dist/renderer,
// ../package.json, ./migrations (copied here). Then it writes the package's app folder
// (scripts/electronApp.ts) that electron-builder packs: the bundles' external imports and nothing else.
import { build } from 'esbuild';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { writeAppFolder } from './electronApp.ts';

const outdir = 'dist-electron';
const APP_DIR = 'build/electron-app';
const external = ['electron', 'better-sqlite3', 'serialport', '@serialport/*', 'node-hid', 'usb', '@node-rs/*', 'electron-updater'];
const common = {
  bundle: true,
  platform: 'node' as const,
  format: 'esm' as const,
  target: 'node22',
  external,
  // Bundled CommonJS dependencies call require(): give ESM one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning' as const,
};

const result = await build({
  ...common,
  metafile: true,
  entryPoints: { main: 'main/electron/main.ts', core: 'main/electron/embeddedCore.ts', cli: 'main/cli.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
});
mkdirSync(`${outdir}/migrations`, { recursive: true });
cpSync('uploader/migrations', `${outdir}/migrations`, { recursive: true });
console.log(`built ${outdir}/main.mjs, ${outdir}/core.mjs and ${outdir}/cli.mjs`);

// The external imports esbuild left in the bundles: what the package must be able to resolve.
const externals = [
  ...new Set(
    Object.values(result.metafile.outputs)
      .flatMap((o) => o.imports)
      .filter((i) => i.external && i.path !== 'electron' && !isBuiltin(i.path))
      .map((i) => i.path),
  ),
].sort();
mkdirSync('build', { recursive: true });
writeFileSync('build/electron-externals.json', `${JSON.stringify(externals, null, 2)}\n`);
const deps = writeAppFolder({ root: process.cwd(), appDir: path.resolve(APP_DIR), externals });
console.log(`wrote ${APP_DIR} (dependencies: ${deps.join(', ')})`);
