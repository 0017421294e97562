// The one command-line dispatcher of the project's tools (`booth …` for technicians, `intake …` for
// back-office operators): every command explains itself and each of its options, `--help` works
// everywhere, and a mistyped option is one plain line plus the usage (exit 2), never a stack trace.
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface CliOption {
  /** As typed, with its value's placeholder: "--data DIR", "--json". */
  flag: string;
  help: string;
}

export interface CliCommand {
  /** One or two words, e.g. "queue" or "idcard read". */
  name: string;
  /** One line: what the command is for. */
  summary: string;
  /** The synopsis: "booth provision --code CODE --intake URL [--data DIR]". */
  usage: string;
  /** Every option, explained. */
  options?: CliOption[];
  /** More lines shown by `--help`: what it does step by step, exit codes, an example. */
  details?: string;
  /** Returns the process exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

/** node:util parseArgs rejects unknown or malformed options with these codes: the user's mistake. */
const ARGUMENT_ERRORS = new Set([
  'ERR_PARSE_ARGS_UNKNOWN_OPTION',
  'ERR_PARSE_ARGS_INVALID_OPTION_VALUE',
  'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL',
]);

const HELP_WORDS = new Set(['help', '--help', '-h']);

export function commandHelp(cmd: CliCommand): string {
  const lines = [`usage: ${cmd.usage}`, '', cmd.summary];
  if (cmd.options?.length) {
    lines.push('', 'options:');
    const width = Math.max(...cmd.options.map((o) => o.flag.length)) + 2;
    for (const o of cmd.options) lines.push(`  ${o.flag.padEnd(width)}${o.help}`);
  }
  if (cmd.details) lines.push('', cmd.details.trimEnd());
  return lines.join('\n');
}

export function programHelp(program: string, commands: CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `usage: ${program} <command> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    `\`${program} <command> --help\` explains a command and each of its options.`,
  ].join('\n');
}

/** Finds the command named by the first words of argv (longest name first: "idcard read" before "idcard"). */
export function findCommand(commands: CliCommand[], argv: string[]): CliCommand | undefined {
  const sorted = [...commands].sort((a, b) => b.name.split(' ').length - a.name.split(' ').length);
  return sorted.find((c) => c.name.split(' ').every((w, i) => argv[i] === w));
}

export async function runCli(program: string, commands: CliCommand[], argv: string[], io: CliIo): Promise<number> {
  if (argv.length === 0 || HELP_WORDS.has(argv[0]!)) {
    const topic = argv.length > 1 ? findCommand(commands, argv.slice(1)) : undefined;
    io.out(topic ? commandHelp(topic) : programHelp(program, commands));
    return argv.length === 0 ? 2 : 0;
  }
  const cmd = findCommand(commands, argv);
  const group = commands.filter((c) => c.name.split(' ')[0] === argv[0] && c.name.includes(' '));
  if (!cmd && group.length > 0) {
    // "intake credential --help": the group's commands. Without a known second word it is a mistake.
    const asked = argv.slice(1).every((a) => HELP_WORDS.has(a)) && argv.length > 1;
    if (!asked) io.err(`${program}: "${argv.join(' ')}" needs one of: ${group.map((c) => c.name.split(' ')[1]).join(', ')}`);
    io.out(programHelp(program, group));
    return asked ? 0 : 2;
  }
  if (!cmd) {
    io.err(`${program}: unknown command "${argv.join(' ')}"`);
    io.out(programHelp(program, commands));
    return 2;
  }
  const args = argv.slice(cmd.name.split(' ').length);
  if (args.some((a) => a === '--help' || a === '-h') || args[0] === 'help') {
    io.out(commandHelp(cmd));
    return 0;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && ARGUMENT_ERRORS.has(code)) {
      io.err(`${program} ${cmd.name}: ${(e as Error).message.split('\n')[0]}`);
      io.err(`usage: ${cmd.usage}  (--help explains each option)`);
      return 2;
    }
    io.err(`${program} ${cmd.name}: ${(e as Error).message}`);
    return 1;
  }
}
