// `npm run booth -- <command> [options]`: the technician CLI.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { commands } from './cli/registry.ts';
import { runCli as runProgram, type CliIo } from '../lib/cli.ts';

export function runCli(argv: string[], io: CliIo): Promise<number> {
  return runProgram('booth', commands, argv, io);
}

/** Started as a program (tsx main/cli.ts, or dist-electron/cli.mjs behind /usr/bin/booth), not imported by a test. */
function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    // import.meta.url is the real path, percent-encoded; argv[1] is the path as typed.
    return pathToFileURL(realpathSync(script)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isMain()) {
  const code = await runCli(process.argv.slice(2), { out: (l) => console.log(l), err: (l) => console.error(l) });
  process.exitCode = code;
}
