// `npm run booth -- <command> [options]`: the technician CLI.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { commands } from './cli/registry.ts';
import type { CliIo } from './cli/command.ts';

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  // Longest name first, so "idcard read" wins over "idcard".
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  const cmd = sorted.find((c) => {
    const words = c.name.split(' ');
    return words.every((w, i) => argv[i] === w);
  });
  const askedForHelp = argv.length === 0 || argv[0] === 'help' || argv[0] === '--help';
  if (!cmd || askedForHelp) {
    if (!askedForHelp) io.err(`booth: unknown command "${argv.join(' ')}"`);
    io.out('usage: booth <command> [options]\n');
    for (const c of commands) io.out(`  ${c.usage.padEnd(56)} ${c.summary}`);
    return askedForHelp ? 0 : 2;
  }
  try {
    return await cmd.run(argv.slice(cmd.name.split(' ').length), io);
  } catch (e) {
    io.err(`booth ${cmd.name}: ${(e as Error).message}`);
    return 1;
  }
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
