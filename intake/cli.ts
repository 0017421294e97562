// The intake's operator command line: `npm run intake:cli -- <command> [options]`. One dispatcher
// with the booth CLI (lib/cli.ts): `--help` explains every command and option.
import { runCli, type CliIo } from '../lib/cli.ts';
import { commands } from './cliCommands.ts';

const io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) };
process.exitCode = await runCli('intake', commands, process.argv.slice(2), io);
