// `booth logs export [--out FILE]`: a redacted support bundle (no personal data, no credentials).
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_CHECKS } from '../doctor/checks.ts';
import { runDoctor } from '../doctor/run.ts';
import { loadConfig } from '../config.ts';
import { writeSupportBundle } from '../support/logsExport.ts';
import { machineProbes } from '../technician/probes.ts';
import { loadMapping } from '../technician/mapping.ts';
import { BoothSettingsStore } from '../technician/settings.ts';
import { VERSION } from '../version.ts';
import type { CliCommand } from './command.ts';

/** The journal of the kiosk units when there is one, else log files in the data directory. */
async function collectLogs(dataDir: string): Promise<string> {
  const journal = await new Promise<string | null>((resolve) =>
    execFile('journalctl', ['-u', 'shuoba-booth', '-u', 'shuoba-booth-chromium', '--since', '-7d', '-o', 'cat', '--no-pager'], { maxBuffer: 64 * 1024 * 1024, timeout: 20_000 }, (err, out) =>
      resolve(err || !out.trim() ? null : out),
    ),
  );
  if (journal) return journal;
  const dir = path.join(dataDir, 'logs');
  const files = (await fsp.readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.log')).sort();
  const parts = await Promise.all(files.map((f) => fsp.readFile(path.join(dir, f), 'utf8')));
  return parts.join('\n') || 'no logs found (no journal, no data/booth/logs/*.log)';
}

export const logsExportCommand: CliCommand = {
  name: 'logs export',
  summary: 'write a redacted support bundle (.tar.gz) for remote support',
  usage: 'booth logs export [--out FILE] [--data DIR]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { out: { type: 'string' }, data: { type: 'string' } } });
    const dataDir = path.resolve(values.data ?? process.env.BOOTH_DATA ?? 'data/booth');
    const config = loadConfig(dataDir);
    const now = Date.now();
    const out = path.resolve(values.out ?? `booth-${config.boothCode}-${new Date(now).toISOString().replace(/[:.]/g, '-')}.tar.gz`);
    const settings = new BoothSettingsStore(dataDir);
    const written = await writeSupportBundle(
      {
        logs: () => collectLogs(dataDir),
        documents: async () => ({
          doctor: await runDoctor(ALL_CHECKS, machineProbes({ dataDir, config })),
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
    { flag: '--data DIR', help: 'the booth\'s data folder (default $BOOTH_DATA or data/booth)' },
  ],
};
