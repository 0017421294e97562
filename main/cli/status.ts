// `booth status`: the outbox at a glance. Asks the booth core running on the data folder (its
// GET /api/status, free space measured then) and reads booth.db, read-only, only when no core runs;
// it creates nothing (a folder that does not exist is an error, a booth.db not yet made is empty).
import { BoothStatus } from '../../contract/kiosk.ts';
import { loadConfig } from '../config.ts';
import { readOutboxSummary } from '../doctor/probes.ts';
import { askCore, CoreUnreachableError, findRunningCore } from '../doctor/runtime.ts';
import type { CliCommand } from './command.ts';
import { DATA_FOLDER_OPTION, technicianArgs } from './dataFolder.ts';

interface StatusView {
  boothCode: string;
  source: 'core' | 'files';
  waiting: number;
  failed: number;
  delivered: number;
  oldestWaitingSavedAt: string | null;
  lastError: string | null;
  /** Only a running core measures it (the files say nothing about the disk). */
  freeBytes: number | null;
}

async function fromCore(dataDir: string): Promise<{ view: StatusView | null; note: string | null }> {
  const core = findRunningCore(dataDir);
  if (!core) return { view: null, note: null };
  try {
    const s = BoothStatus.parse(await askCore(core, '/api/status'));
    const o = s.outbox;
    const oldest = o.oldestWaitingSec === null ? null : new Date(Date.now() - o.oldestWaitingSec * 1000).toISOString();
    return {
      view: {
        boothCode: s.boothCode,
        source: 'core',
        waiting: o.waiting,
        failed: o.failed,
        delivered: o.delivered,
        oldestWaitingSavedAt: oldest,
        lastError: o.lastError,
        freeBytes: s.disk.freeBytes,
      },
      note: null,
    };
  } catch (e) {
    if (!(e instanceof CoreUnreachableError)) throw e;
    return { view: null, note: `${e.message}; read the files instead` };
  }
}

export const statusCommand: CliCommand = {
  name: 'status',
  summary: 'show the outbox: waiting, failed and delivered submissions',
  usage: 'booth status [--data DIR] [--json]',
  async run(args, io) {
    const a = technicianArgs('status', args, io, { json: { type: 'boolean' } });
    if (!a) return 1;
    const { values, dataDir } = a;
    const asked = await fromCore(dataDir);
    const note = asked.note;
    let view = asked.view;
    if (!view) {
      const config = loadConfig(dataDir);
      const s = readOutboxSummary(dataDir, config.timeZone) ?? {
        waiting: 0,
        failed: 0,
        delivered: 0,
        oldestWaitingSavedAt: null,
        lastError: null,
      };
      view = { boothCode: config.boothCode, source: 'files', ...s, freeBytes: null };
    }
    if (note) io.err(`booth status: ${note}`);
    if (values.json) io.out(JSON.stringify(view));
    else {
      const from = view.source === 'core' ? 'the running booth' : 'its files (no booth core running)';
      io.out(`booth ${view.boothCode}: ${view.waiting} waiting (${view.failed} failed), ${view.delivered} delivered — from ${from}`);
      if (view.oldestWaitingSavedAt) io.out(`oldest waiting since ${view.oldestWaitingSavedAt}`);
      if (view.lastError) io.out(`last error: ${view.lastError}`);
      if (view.freeBytes !== null) io.out(`free disk: ${(view.freeBytes / 1024 ** 3).toFixed(1)} GB`);
    }
    return 0;
  },
  options: [DATA_FOLDER_OPTION, { flag: '--json', help: 'one JSON object instead of the table (source: core or files)' }],
};
