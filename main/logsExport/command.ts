// `booth logs export [--out FILE]`: a redacted support bundle (no personal data, no credentials).
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { doctorReportFor } from '../doctor/command.ts';
import { loadConfig } from '../config.ts';
import { writeSupportBundle, type LogSource } from './bundle.ts';
import { loadMapping } from '../technician/mapping.ts';
import { BoothSettingsStore } from '../technician/settings.ts';
import { VERSION } from '../version.ts';
import type { CliCommand } from '../cli/command.ts';
import { DATA_FOLDER_OPTION, technicianArgs } from '../cli/dataFolder.ts';

/** Where the booth's log files may be besides the journal: its data folder (lib/log.ts keepLogCopyIn) and the units' log folder. */
export const LOG_DIRS = (dataDir: string): string[] => [path.join(dataDir, 'logs'), process.env.BOOTH_LOG_DIR ?? '/var/log/shuoba-booth'];

/** Every place the booth's logs are: the journal of the kiosk units when there is one, and every log file. */
export async function collectLogs(dataDir: string): Promise<LogSource[]> {
  const out: LogSource[] = [];
  const journal = await new Promise<string | null>((resolve) =>
    execFile(
      'journalctl',
      ['-q', '-u', 'shuoba-booth', '-u', 'shuoba-booth-chromium', '--since', '-7d', '-o', 'short-iso', '--no-pager'],
      { maxBuffer: 64 * 1024 * 1024, timeout: 20_000 },
      (err, stdout) => resolve(err || !stdout.trim() ? null : stdout),
    ),
  );
  if (journal) out.push({ name: 'journal.txt', text: journal });
  for (const [i, dir] of LOG_DIRS(dataDir).entries()) {
    const files = (await fsp.readdir(dir).catch(() => [] as string[])).filter((f) => /\.log(\.\d+)?$/.test(f)).sort();
    for (const f of files) {
      const text = await fsp.readFile(path.join(dir, f), 'utf8').catch(() => null);
      if (text !== null) out.push({ name: `${i === 0 ? 'data' : 'var-log'}-${f}.txt`, text });
    }
  }
  return out;
}

export const logsExportCommand: CliCommand = {
  name: 'logs export',
  summary: 'write a redacted support bundle (.tar.gz) for remote support',
  usage: 'booth logs export [--out FILE] [--data DIR]',
  async run(args, io) {
    // A bundle of a folder that is not there would report a booth that was never set up.
    const a = technicianArgs('logs export', args, io, { out: { type: 'string' } });
    if (!a) return 1;
    const { values, dataDir } = a;
    const config = loadConfig(dataDir);
    const now = Date.now();
    const out = path.resolve(values.out ?? `booth-${config.boothCode}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.tar.gz`);
    const settings = new BoothSettingsStore(dataDir);
    const written = await writeSupportBundle(
      {
        logs: () => collectLogs(dataDir),
        documents: async () => ({
          doctor: (await doctorReportFor(dataDir)).report,
          config: { ...config },
          settings: await settings.load(),
          hardware: await loadMapping(dataDir),
          versions: { app: VERSION, node: process.version },
        }),
      },
      out,
      now,
    );
    io.out(`support bundle: ${written.path} (${written.size} bytes); no personal data or credentials inside`);
    return 0;
  },
  options: [
    { flag: '--out FILE', help: 'where to write the .tar.gz (default: the current folder, named after the booth and time)' },
    DATA_FOLDER_OPTION,
  ],
};
