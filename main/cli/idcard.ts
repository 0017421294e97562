// `booth idcard read` and `booth idcard simulate`: thin argument parsing over drivers/idcard/tool.ts.
import { parseArgs } from 'node:util';
import { runRead } from '../../drivers/idcard/index.ts';
import { sendLogsTo } from '../../lib/log.ts';
import type { CliCommand } from './command.ts';

export const idcardReadCommand: CliCommand = {
  name: 'idcard read',
  summary: 'wait for an ID card on the reader and print it (masked, or --json in full)',
  usage: 'booth idcard read --port PATH [--json] [--timeout S] [--log FILE]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { port: { type: 'string' }, json: { type: 'boolean' }, timeout: { type: 'string' }, log: { type: 'string' } },
    });
    if (!values.port) {
      io.err('booth idcard read: --port PATH is required (e.g. /dev/ttyUSB0, hid:0483:572b or usb:0400:c35a)');
      return 2;
    }
    const timeoutS = values.timeout === undefined ? 30 : Number(values.timeout);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) {
      io.err('booth idcard read: --timeout takes a number of seconds');
      return 2;
    }
    // stdout is one JSON object and stderr one line on failure: the driver's logs would break that
    // contract (a failed read logs a warning), so they are off, or appended to --log FILE.
    const restoreLogs = sendLogsTo(values.log ? { file: values.log } : 'off');
    try {
      return await runRead({ port: values.port, json: values.json ?? false, timeoutS }, io);
    } finally {
      restoreLogs();
    }
  },
  options: [
    {
      flag: '--port PATH',
      help: "the reader: a serial device (/dev/ttyUSB0), hid:VVVV:PPPP or usb:VVVV:PPPP (see the service screen's reader list)",
    },
    { flag: '--json', help: 'print the whole card as one JSON object (personal data: only for a technician at the booth)' },
    { flag: '--timeout S', help: 'give up after S seconds without a readable card (default 30)' },
    { flag: '--log FILE', help: "append the driver's log lines to FILE (they are off otherwise)" },
  ],
};

export const idcardSimulateCommand: CliCommand = {
  name: 'idcard simulate',
  summary: 'run a simulated ID-card reader on a pseudo-terminal; prints its port path',
  usage: 'booth idcard simulate [--dir DIR] [--present CARD] [--after-read found|no-card] [--realistic] [--paced [--baud N]]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        dir: { type: 'string' },
        present: { type: 'string' },
        'after-read': { type: 'string' },
        realistic: { type: 'boolean' },
        paced: { type: 'boolean' },
        baud: { type: 'string' },
      },
    });
    const afterRead = values['after-read'];
    if (afterRead !== undefined && afterRead !== 'found' && afterRead !== 'no-card') {
      io.err('booth idcard simulate: --after-read is found or no-card');
      return 2;
    }
    // The simulator's own entry, loaded only when this command runs (a development tool; socat).
    const { parseBaud, READER_BAUD, runSimulate } = await import('../../drivers/idcard/simulator/index.ts');
    // --paced: answers leave at the wire rate (default 115200 8N1), which a pty alone never does.
    let paceBaud: number | undefined;
    if (values.baud !== undefined && !values.paced) {
      io.err('booth idcard simulate: --baud goes with --paced');
      return 2;
    }
    if (values.paced) {
      try {
        paceBaud = values.baud === undefined ? READER_BAUD : parseBaud(values.baud);
      } catch (e) {
        io.err(`booth idcard simulate: --baud ${(e as Error).message}`);
        return 2;
      }
    }
    return runSimulate(
      {
        ...(values.dir ? { dir: values.dir } : {}),
        ...(values.present ? { present: values.present } : {}),
        ...(afterRead ? { afterRead } : {}),
        realistic: values.realistic ?? false,
        ...(paceBaud ? { paceBaud } : {}),
        input: process.stdin,
      },
      io,
    );
  },
  details:
    'It keeps running and reads control lines on standard input: `help` lists them (present, remove,\nfaults such as a bad checksum or a card status, pace, disconnect, quit).',
  options: [
    { flag: '--dir DIR', help: 'where to make the pseudo-terminal pair (default: a new temporary folder)' },
    { flag: '--present CARD', help: 'start with this test card on the reader (an id from the `cards` command typed at its prompt)' },
    { flag: '--after-read found|no-card', help: 'what the reader says once the card has been read' },
    { flag: '--realistic', help: "answer with a real reader's processing times (SAM and card, about 0.9 s a read)" },
    { flag: '--paced', help: 'send answers at the wire rate (115200 8N1 unless --baud N)' },
    { flag: '--baud N', help: 'the wire rate for --paced' },
  ],
};
