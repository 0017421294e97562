// `booth provision --code CODE --intake URL [--ca FILE] [--pin PIN]`: enrol this booth with the back office.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { provision } from '../technician/provision.ts';
import type { CliCommand } from './command.ts';
import { askPin } from './pin.ts';
import { DATA_FOLDER_OPTION } from './dataFolder.ts';

export const provisionCommand: CliCommand = {
  name: 'provision',
  summary: 'enrol this booth with the back office using a one-time code',
  usage: 'booth provision --code CODE --intake URL [--ca FILE] [--pin PIN] [--data DIR]',
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        code: { type: 'string' },
        intake: { type: 'string' },
        ca: { type: 'string' },
        pin: { type: 'string' },
        data: { type: 'string' },
      },
    });
    if (!values.code || !values.intake) {
      io.err(
        'usage: booth provision --code CODE --intake URL [--ca FILE] [--pin PIN]  (the code comes from the staff app: Fleet → Add booth; --ca is the village CA when the back office has its own)',
      );
      return 2;
    }
    let caPem: string | undefined;
    if (values.ca) {
      try {
        caPem = await readFile(values.ca, 'utf8');
      } catch (e) {
        io.err(
          `not enrolled: the CA file ${values.ca} cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). The enrolment code was not used.`,
        );
        return 2;
      }
    }
    const dataDir = path.resolve(values.data ?? process.env.BOOTH_DATA ?? 'data/booth');
    const pin = values.pin ?? process.env.BOOTH_TECH_PIN ?? (await askPin());
    const r = await provision({ dataDir, intakeUrl: values.intake, code: values.code, pin, ...(caPem !== undefined ? { caPem } : {}) });
    if (!r.ok) {
      io.err(`not enrolled: ${r.problem}`);
      return 1;
    }
    io.out(
      `enrolled as ${r.boothCode} (${r.village}, ${r.location}); settings revision ${r.settingsRevision}. A running booth takes this at once (no restart); run booth doctor to check.`,
    );
    return 0;
  },
  options: [
    { flag: '--code CODE', help: 'the one-time enrolment code from the staff app (设备 → 添加设备)' },
    { flag: '--ca FILE', help: "the village certificate authority (PEM) when the back office's certificate is not signed by a public one" },
    { flag: '--intake URL', help: "the back office's address, https://…" },
    {
      flag: '--pin PIN',
      help: 'the technician PIN for the service screen: 6–8 digits, not all the same, not a straight run (asked for when left out; or $BOOTH_TECH_PIN)',
    },
    DATA_FOLDER_OPTION,
  ],
};
