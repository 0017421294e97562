// The shared CLI dispatcher: help for the program, a group and a command; argument mistakes are one
// line and exit 2, never a stack trace.
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { commandHelp, runCli, type CliCommand } from '../../lib/cli.ts';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

const ran: string[][] = [];
const commands: CliCommand[] = [
  {
    name: 'queue',
    summary: 'list the outbox',
    usage: 'tool queue [--json]',
    options: [{ flag: '--json', help: 'JSON instead of a table' }],
    run: async (args) => {
      parseArgs({ args, options: { json: { type: 'boolean' } } });
      ran.push(['queue', ...args]);
      return 0;
    },
  },
  {
    name: 'credential create',
    summary: 'issue one',
    usage: 'tool credential create CODE',
    run: async (a) => (ran.push(['create', ...a]), 0),
  },
  { name: 'credential list', summary: 'list them', usage: 'tool credential list', run: async () => 0 },
  {
    name: 'boom',
    summary: 'fails',
    usage: 'tool boom',
    run: async () => {
      throw new Error('disk is on fire');
    },
  },
];

describe('runCli', () => {
  it.each([
    [['--help'], 0, 'commands:'],
    [['help'], 0, 'commands:'],
    [['-h'], 0, 'commands:'],
    [['help', 'queue'], 0, '--json'],
    [['queue', '--help'], 0, 'JSON instead of a table'],
    [['credential', '--help'], 0, 'credential create'],
    [['credential', 'create', '--help'], 0, 'usage: tool credential create CODE'],
    [[], 2, 'commands:'],
    [['frobnicate'], 2, 'commands:'],
    [['credential'], 2, 'credential list'],
  ])('%j → exit %i, prints %s', async (argv, code, text) => {
    const c = capture();
    expect(await runCli('tool', commands, argv, c.io)).toBe(code);
    expect(c.out.join('\n')).toContain(text);
  });

  it('runs the command named by the longest match with the rest of the arguments', async () => {
    ran.length = 0;
    const c = capture();
    expect(await runCli('tool', commands, ['credential', 'create', 'FT01'], c.io)).toBe(0);
    expect(ran).toEqual([['create', 'FT01']]);
  });

  it('an unknown option is one plain line and the usage, exit 2', async () => {
    const c = capture();
    expect(await runCli('tool', commands, ['queue', '--jsn'], c.io)).toBe(2);
    expect(c.err[0]).toMatch(/^tool queue: Unknown option '--jsn'/);
    expect(c.err.join('\n')).not.toMatch(/\n\s+at /);
    expect(c.err[1]).toContain('usage: tool queue [--json]');
  });

  it('a failure inside a command is one line naming the command, exit 1', async () => {
    const c = capture();
    expect(await runCli('tool', commands, ['boom'], c.io)).toBe(1);
    expect(c.err).toEqual(['tool boom: disk is on fire']);
  });

  it('command help lists every option with its explanation', () => {
    expect(commandHelp(commands[0]!)).toBe('usage: tool queue [--json]\n\nlist the outbox\n\noptions:\n  --json  JSON instead of a table');
  });
});

describe('the project CLIs explain every option they take', async () => {
  const { commands: booth } = await import('../../main/cli/registry.ts');
  const { commands: intake } = await import('../../intake/cliCommands.ts');
  it.each([...booth, ...intake].map((c) => [c.name, c] as const))('%s', (_name, cmd) => {
    const flagsInUsage = [...cmd.usage.matchAll(/--[a-z][\w-]*/g)].map((m) => m[0]);
    const documented = (cmd.options ?? []).map((o) => o.flag.split(' ')[0]);
    for (const flag of flagsInUsage) expect(documented, `${cmd.name}: ${flag} is not explained`).toContain(flag);
    for (const o of cmd.options ?? []) expect(o.help.length, `${cmd.name} ${o.flag}`).toBeGreaterThan(10);
  });
});
