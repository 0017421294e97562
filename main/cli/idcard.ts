// `booth idcard read` and `booth idcard simulate`: thin argument parsing over drivers/idcard/tool.ts.
import { parseArgs } from 'node:util';
import { parseBaud, READER_BAUD, runRead, runSimulate } from '../../drivers/idcard/index.ts';
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
};

export const idcardSimulateCommand: CliCommand = {
  name: 'idcard simulate',
  summary: 'run a simulated ID-card reader on a pseudo-terminal; prints its port path',
  usage: 'booth idcard simulate [--dir DIR] [--present CARD] [--after-read found|no-card] [--realistic] [--paced [--baud N]]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        dir: { type: 'string' }, present: { type: 'string' }, 'after-read': { type: 'string' }, realistic: { type: 'boolean' },
        paced: { type: 'boolean' }, baud: { type: 'string' },
      },
    });
    const afterRead = values['after-read'];
    if (afterRead !== undefined && afterRead !== 'found' && afterRead !== 'no-card') {
      io.err('booth idcard simulate: --after-read is found or no-card');
      return 2;
    }
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
};
