// `booth pin [--pin PIN]`: sets the technician PIN of the service screen without enrolling, so a
// freshly installed booth (install.sh asks for it) can be enrolled from the screen by scanning the
// staff app's QR (扫码登记), with no keyboard at the booth. `booth provision --pin` sets it too.
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { hashPin, isAcceptablePin } from '../service/pin.ts';
import { techFiles, writeSecret } from '../technician/files.ts';
import type { CliCommand } from './command.ts';
import { DATA_FOLDER_OPTION, dataFolderOf } from './dataFolder.ts';

/** Reads the PIN from stdin (a terminal or a pipe), never from an argument that lands in shell history. */
export async function askPin(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return (await rl.question('technician PIN for the service screen (6-8 digits): ')).trim();
  } finally {
    rl.close();
  }
}

export const pinCommand: CliCommand = {
  name: 'pin',
  summary: "set the service screen's technician PIN (before enrolment, for 扫码登记)",
  usage: 'booth pin [--pin PIN] [--data DIR]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { pin: { type: 'string' }, data: { type: 'string' } } });
    const dataDir = dataFolderOf(values.data);
    const pin = values.pin ?? process.env.BOOTH_TECH_PIN ?? (await askPin());
    if (!isAcceptablePin(pin)) {
      io.err('PIN not set: it must be 6–8 digits, not all the same and not a straight run like 123456.');
      return 2;
    }
    await writeSecret(techFiles(dataDir).pin, `${await hashPin(pin)}\n`);
    io.out('technician PIN set: the service screen opens with it (hidden corner, then the PIN); enrol there with 扫码登记.');
    return 0;
  },
  options: [
    { flag: '--pin PIN', help: 'the PIN: 6–8 digits, not all the same, not a straight run (asked for when left out; or $BOOTH_TECH_PIN)' },
    DATA_FOLDER_OPTION,
  ],
};
