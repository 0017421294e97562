// The technician commands behind `booth idcard read` and `booth idcard simulate` (registered in
// main/cli.ts). Written against a small IO interface so they are tested without a terminal.
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { GENDER_ZH } from './codes.ts';
import type { IdCard } from './card.ts';
import { maskIdNumber, maskName } from '../../lib/mask.ts';
import { detectReader, transportFactoryFor } from './detect.ts';
import { ReaderSession, type CardEvent, type ReaderError } from './session.ts';
import { CARD_FIXTURES, findFixture } from './simulator/cards.ts';
import type { CommandName } from './frame.ts';
import { startPtySimulator, type PtySimulator } from './simulator/pty.ts';
import type { SimulatedReader } from './simulator/device.ts';
import { parseBaud } from './simulator/pacing.ts';
import type { TransportFactory } from './transport.ts';

export interface ToolIO {
  out(line: string): void;
  err(line: string): void;
}

export interface ReadArgs {
  port: string;
  json: boolean;
  timeoutS: number;
  /** For tests: bypasses port parsing. */
  openTransport?: TransportFactory;
}

const REASONS: Record<ReaderError['code'], string> = {
  'select-failed': 'the card could not be selected (moved, or not an ID card)',
  'read-failed': 'the card could not be read (moved away during the read?)',
  'unsupported-card': 'this card type is not supported',
  'check-digit': 'the card was read but the ID number failed its check digit (corrupted read)',
  'bad-data': 'the card data did not decode',
  timeout: 'the reader did not answer a card command in time',
  'sam-fault': 'the reader security module reports a fault',
};

/** Masked one-line summary for a technician's screen: no full name or number. */
export function summarizeCard(card: IdCard): string {
  const validity = `${card.validFrom} – ${card.validTo === 'long-term' ? '长期' : card.validTo}`;
  return `${card.cardType} card: ${maskName(card.name)} ${GENDER_ZH[card.gender]} ${maskIdNumber(card.idNumber)} valid ${validity}`;
}

/**
 * The JSON contract of `booth idcard read --json` (issue 5), written out field by field so that a
 * field added to `IdCard` for the driver's own use never leaks into it: the common fields in the
 * issue's order, then the card type's own. Fields a card does not carry are null, never absent
 * (docs/IDCARD.md, "The JSON of booth idcard read").
 */
export function cardJsonObject(card: IdCard): Record<string, string | number | null> {
  const common = {
    cardType: card.cardType, name: card.name, gender: card.gender, nation: card.nation, birthDate: card.birthDate,
    address: card.address, idNumber: card.idNumber, authority: card.authority, validFrom: card.validFrom, validTo: card.validTo,
  };
  switch (card.cardType) {
    case 'resident':
      return common;
    case 'hk-mo-tw':
      return { ...common, passNumber: card.passNumber, issueCount: card.issueCount };
    case 'foreign-2017':
      return { ...common, englishName: card.englishName, nationality: card.nationality, cardVersion: card.cardVersion };
    case 'foreign-2023':
      return {
        ...common, englishName: card.englishName, nationality: card.nationality, renewalCount: card.renewalCount,
        previousNumber: card.previousNumber,
      };
    default: {
      const never: never = card;
      throw new Error(`unknown card type ${(never as IdCard).cardType}`);
    }
  }
}

export function cardJson(ev: CardEvent): string {
  return JSON.stringify(cardJsonObject(ev.card));
}

/** The failure reason is one line on stderr (issue 5): a multi-line OS message is folded. */
function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

export async function runRead(args: ReadArgs, io: ToolIO): Promise<number> {
  let openTransport = args.openTransport;
  if (!openTransport) {
    let loc;
    try {
      loc = await detectReader({ configuredPort: args.port });
    } catch (e) {
      io.err(oneLine((e as Error).message)); // a malformed usb: port name: says the expected form
      return 2;
    }
    if (!loc) {
      io.err('no reader port given');
      return 2;
    }
    openTransport = transportFactoryFor(loc);
  }
  // Fail fast when the port cannot even be opened: a technician wants to know now, not in 30 s.
  try {
    const probe = await openTransport();
    await probe.close();
  } catch (e) {
    io.err(oneLine(`cannot open ${args.port}: ${(e as Error).message}`));
    return 3;
  }
  const session = new ReaderSession({ openTransport, pollIntervalMs: 300, reconnectDelaysMs: [500] });
  const outcome = await new Promise<{ card: CardEvent } | { error: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ error: `no card within ${args.timeoutS} s` }), args.timeoutS * 1000);
    const done = (v: { card: CardEvent } | { error: string }) => {
      clearTimeout(timer);
      resolve(v);
    };
    session.on('card', (card) => done({ card }));
    session.on('error', (e) => done({ error: REASONS[e.code] + (e.status ? ` (SW3 ${e.status.code.toString(16)})` : '') }));
    session.start();
    session.setReading(true);
  });
  await session.stop();
  if ('error' in outcome) {
    io.err(oneLine(outcome.error));
    return 1;
  }
  io.out(args.json ? cardJson(outcome.card) : summarizeCard(outcome.card.card));
  return 0;
}

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
        case 'garbage': reader.setFaults({ garbage: on }); break;
        case 'checksum': reader.setFaults({ badChecksum: on }); break;
        case 'silent': reader.setFaults({ silent: on }); break;
        case 'split': reader.setFaults({ splitDelayMs: Number(b ?? 0) || 0 }); break;
        case 'sam-delay': reader.setFaults({ samDelayMs: Number(b ?? 0) || 0 }); break;
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
