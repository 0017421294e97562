// `booth idcard simulate`: the simulated reader on a pseudo-terminal, driven line by line from
// stdin (development and tests only: part of the simulator entry, never loaded by a production booth).
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import type { CommandName } from '../frame.ts';
import type { ToolIO } from '../tool.ts';
import { CARD_FIXTURES, findFixture } from './cards.ts';
import type { SimulatedReader } from './device.ts';
import { parseBaud } from './pacing.ts';
import { startPtySimulator, type PtySimulator } from './pty.ts';

export interface SimulateArgs {
  dir?: string;
  present?: string;
  afterRead?: 'found' | 'no-card';
  /** Realistic SAM/RF processing times instead of instant answers. */
  realistic?: boolean;
  /** Pace the line at this baud rate, as a real UART (a pty does not). */
  paceBaud?: number;
  input: Readable;
}

export const SIMULATOR_HELP = [
  'commands:',
  '  cards                      list test cards',
  '  present <card>             put a card on the reader',
  '  remove                     take it away',
  '  fault garbage|checksum|silent on|off',
  '  fault split <ms>           answer byte by byte, <ms> apart (0 = off)',
  '  fault sam-delay <ms>       slow SAM status answers',
  '  fault status <find|select|read|sam> <hex SW3>   force a status (e.g. find 80, select 81, read 41, sam 60)',
  '  fault once checksum|silent <find|select|read|sam>   spoil the next answer to that command only',
  '  fault once status <find|select|read|sam> <hex SW3>  force a status once (e.g. read 41: the card moved)',
  '  clear                      remove all faults',
  '  pace <baud>|off            pace answers at the line rate (8N1), e.g. pace 115200',
  '  disconnect | reconnect     make the port vanish / come back',
  '  quit',
];

const STATUS_COMMANDS: Record<string, CommandName> = { find: 'find', select: 'select', read: 'readBase', sam: 'samStatus' };

/** Applies one control line to the simulator; returns a reply line (or null to quit). */
export async function simulatorCommand(sim: PtySimulator, line: string): Promise<string | null> {
  const [cmd, a, b] = line.trim().split(/\s+/);
  const reader: SimulatedReader = sim.reader;
  switch (cmd) {
    case undefined:
    case '':
      return '';
    case 'help':
      return SIMULATOR_HELP.join('\n');
    case 'cards':
      return CARD_FIXTURES.map((f) => `${f.id.padEnd(20)} ${f.label}`).join('\n');
    case 'present': {
      const f = findFixture(a ?? '');
      if (!f) return `unknown card "${a ?? ''}"; try: cards`;
      reader.present(f);
      return `presented ${f.id}`;
    }
    case 'remove':
      reader.remove();
      return 'removed';
    case 'clear':
      reader.clearFaults();
      return 'faults cleared';
    case 'pace': {
      if (a === 'off') {
        reader.setPacing(null);
        return 'pacing off';
      }
      try {
        reader.setPacing(parseBaud(a ?? ''));
      } catch (e) {
        return `usage: pace <baud>|off (${(e as Error).message})`;
      }
      return `pacing at ${reader.pacing} baud`;
    }
    case 'disconnect':
      await sim.disconnect();
      return 'disconnected';
    case 'reconnect':
      await sim.reconnect();
      return `reconnected at ${sim.portPath}`;
    case 'quit':
    case 'exit':
      return null;
    case 'fault': {
      const on = b !== 'off';
      switch (a) {
        case 'garbage':
          reader.setFaults({ garbage: on });
          break;
        case 'checksum':
          reader.setFaults({ badChecksum: on });
          break;
        case 'silent':
          reader.setFaults({ silent: on });
          break;
        case 'split':
          reader.setFaults({ splitDelayMs: Number(b ?? 0) || 0 });
          break;
        case 'sam-delay':
          reader.setFaults({ samDelayMs: Number(b ?? 0) || 0 });
          break;
        case 'once': {
          const [, , kind, which, code] = line.trim().split(/\s+/);
          const name = STATUS_COMMANDS[which ?? ''];
          const sw3 = parseInt(code ?? '', 16);
          if (!name || (kind === 'status' && Number.isNaN(sw3)) || !['checksum', 'silent', 'status'].includes(kind ?? '')) {
            return 'usage: fault once checksum|silent <find|select|read|sam> | fault once status <find|select|read|sam> <hex>';
          }
          reader.faultOnce(name, kind === 'status' ? { sw3 } : kind === 'checksum' ? 'bad-checksum' : 'silent');
          break;
        }
        case 'status': {
          const [, , which, code] = line.trim().split(/\s+/);
          const name = STATUS_COMMANDS[which ?? ''];
          const sw3 = parseInt(code ?? '', 16);
          if (!name || Number.isNaN(sw3)) return 'usage: fault status <find|select|read|sam> <hex>';
          reader.setFaults({ status: { [name]: sw3 } });
          break;
        }
        default:
          return `unknown fault "${a ?? ''}"`;
      }
      return 'ok';
    }
    default:
      return `unknown command "${cmd}"; try: help`;
  }
}

export async function runSimulate(args: SimulateArgs, io: ToolIO): Promise<number> {
  const sim = await startPtySimulator({
    ...(args.dir ? { dir: args.dir } : {}),
    reader: {
      afterRead: args.afterRead ?? 'found',
      paceBaud: args.paceBaud ?? null,
      ...(args.realistic ? { latencyMs: { find: 30, select: 30, readBase: 700, readAppendedAddress: 150, samStatus: 10 } } : {}),
    },
  });
  // The first stdout line is the port path alone, so scripts can read it.
  io.out(sim.portPath);
  if (args.present) io.err((await simulatorCommand(sim, `present ${args.present}`)) ?? '');
  const pace = sim.reader.pacing ? `, line paced at ${sim.reader.pacing} baud` : '';
  io.err(`simulated ID-card reader on ${sim.portPath}${pace}; type "help" for commands`);
  const rl = readline.createInterface({ input: args.input, terminal: false });
  for await (const line of rl) {
    const reply = await simulatorCommand(sim, line);
    if (reply === null) break;
    if (reply) io.err(reply);
  }
  await sim.stop();
  return 0;
}
