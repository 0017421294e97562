// The technician commands behind `booth idcard read` and `booth idcard simulate` (registered in
// main/cli.ts). Written against a small IO interface so they are tested without a terminal.
import { GENDER_ZH } from './codes.ts';
import type { IdCard } from './card.ts';
import { maskIdNumber, maskName } from '../../lib/mask.ts';
import { detectReader, transportFactoryFor } from './detect.ts';
import { ReaderSession, type CardEvent, type ReaderError } from './session.ts';
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
    cardType: card.cardType,
    name: card.name,
    gender: card.gender,
    nation: card.nation,
    birthDate: card.birthDate,
    address: card.address,
    idNumber: card.idNumber,
    authority: card.authority,
    validFrom: card.validFrom,
    validTo: card.validTo,
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
        ...common,
        englishName: card.englishName,
        nationality: card.nationality,
        renewalCount: card.renewalCount,
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
    // A card that fails now and then (moved during the read, a spoilt answer) is tried again until
    // the deadline: the command succeeds when the card is readable within --timeout.
    const timer = setTimeout(() => {
      const last = session.lastRetried;
      // A card was there but every try failed: that failure is the answer, not "no card".
      resolve({ error: last ? reason(last) : `no card within ${args.timeoutS} s` });
    }, args.timeoutS * 1000);
    const done = (v: { card: CardEvent } | { error: string }) => {
      clearTimeout(timer);
      resolve(v);
    };
    session.on('card', (card) => done({ card }));
    session.on('error', (e) => done({ error: reason(e) }));
    session.start();
    session.setReading(true, { retryForMs: args.timeoutS * 1000 });
  });
  await session.stop();
  if ('error' in outcome) {
    io.err(oneLine(outcome.error));
    return 1;
  }
  io.out(args.json ? cardJson(outcome.card) : summarizeCard(outcome.card.card));
  // What it took, for the technician judging a reader or a card (stderr: stdout stays the card).
  const { resends, retries } = session.status;
  if (resends + retries > 0)
    io.err(`read after ${plural(resends, 'command resent', 'commands resent')} and ${plural(retries, 'read retried', 'reads retried')}`);
  return 0;
}

function reason(e: ReaderError): string {
  return REASONS[e.code] + (e.status ? ` (SW3 ${e.status.code.toString(16)})` : '');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
