// `booth status`: the outbox at a glance, read straight from the booth database.
import { parseArgs } from 'node:util';
import path from 'node:path';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import { loadConfig } from '../config.ts';
import type { CliCommand } from './command.ts';

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'show the outbox: waiting, failed and delivered submissions',
  usage: 'booth status [--data DIR] [--json]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { data: { type: 'string' }, json: { type: 'boolean' } } });
    const dataDir = path.resolve(values.data ?? process.env.BOOTH_DATA ?? 'data/booth');
    const config = loadConfig(dataDir);
    const db = openBoothDb(path.join(dataDir, 'booth.db'));
    try {
      const summary = new Outbox(db, config.timeZone).summary();
      if (values.json) io.out(JSON.stringify({ boothCode: config.boothCode, ...summary }));
      else {
        io.out(`booth ${config.boothCode}: ${summary.waiting} waiting (${summary.failed} failed), ${summary.delivered} delivered`);
        if (summary.oldestWaitingSavedAt) io.out(`oldest waiting since ${summary.oldestWaitingSavedAt}`);
        if (summary.lastError) io.out(`last error: ${summary.lastError}`);
      }
      return 0;
    } finally {
      db.close();
    }
  },
  options: [
    { flag: '--data DIR', help: 'the booth\'s data folder (default $BOOTH_DATA or data/booth)' },
    { flag: '--json', help: 'one JSON object instead of the table' },
  ],
};
