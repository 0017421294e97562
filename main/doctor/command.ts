// `booth doctor [--json]`: every check, in plain words, with what to do; exit 1 on any fault.
// It asks the booth core running on the data folder (GET /api/doctor: what the running booth really
// uses) and reads the files only when no core runs. It creates nothing: a folder that does not
// exist is reported as such.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DoctorReport as DoctorReportSchema } from '../../contract/kiosk.ts';
import type { CliCommand } from '../cli/command.ts';
import { dataFolderOf, noDataFolder, DATA_FOLDER_OPTION } from '../cli/dataFolder.ts';
import { loadConfig } from '../config.ts';
import { ALL_CHECKS } from './checks.ts';
import { fileProbes } from './probes.ts';
import { doctorExitCode, formatReport, runDoctor, type DoctorReport } from './run.ts';
import { askCore, CoreUnreachableError, findRunningCore } from './runtime.ts';

export interface SourcedReport {
  report: DoctorReport;
  /** core: the running booth core answered; files: no core runs (or it did not answer: see note). */
  source: 'core' | 'files';
  note: string | null;
}

/** The report for the booth on `dataDir`: from its running core, else from its files. */
export async function doctorReportFor(dataDir: string, o: { sysRoot?: string; procRoot?: string } = {}): Promise<SourcedReport> {
  const core = findRunningCore(dataDir);
  let note: string | null = null;
  if (core) {
    try {
      return {
        report: DoctorReportSchema.parse(await askCore(core, '/api/doctor')),
        source: 'core',
        note: `asked the running booth core (pid ${core.pid})`,
      };
    } catch (e) {
      if (!(e instanceof CoreUnreachableError)) throw e;
      note = `${e.message}; checked the files instead`;
    }
  }
  const config = loadConfig(dataDir);
  const report = await runDoctor(ALL_CHECKS, fileProbes({ dataDir, config, sysRoot: o.sysRoot, procRoot: o.procRoot }));
  return { report, source: 'files', note: note ?? 'no booth core is running on this folder: checked its files' };
}

/** The one-check report for a data folder that is not there. */
export function missingFolderReport(dataDir: string): DoctorReport {
  return {
    ok: false,
    checks: [
      {
        id: 'data',
        title: 'Data folder',
        outcome: {
          status: 'fault',
          problem: `${noDataFolder(dataDir)}.`,
          fix: "Give the booth's folder with --data DIR or BOOTH_DATA (an installed booth: /var/lib/shuoba-booth).",
        },
      },
    ],
  };
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check cameras, microphone, reader, disk, clock, back office, credential, queue, versions',
  usage: 'booth doctor [--json] [--data DIR]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, data: { type: 'string' } } });
    const dataDir = dataFolderOf(values.data);
    if (!existsSync(dataDir)) {
      const report = missingFolderReport(dataDir);
      if (values.json) io.out(JSON.stringify({ ...report, source: 'files' }));
      else io.out(formatReport(report));
      return doctorExitCode(report);
    }
    const { report, source, note } = await doctorReportFor(dataDir, {
      sysRoot: process.env.BOOTH_SYS_ROOT,
      procRoot: process.env.BOOTH_PROC_ROOT,
    });
    if (values.json) io.out(JSON.stringify({ ...report, source }));
    else {
      io.out(`booth doctor: ${loadConfig(dataDir).boothCode} (${note})`);
      io.out(formatReport(report));
    }
    return doctorExitCode(report);
  },
  options: [
    DATA_FOLDER_OPTION,
    { flag: '--json', help: 'one JSON report a machine can read (source: core or files); exit 1 when a check fails' },
  ],
};
