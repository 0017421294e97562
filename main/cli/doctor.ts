// `booth doctor [--json]`: every check, in plain words, with what to do; exit 1 on any fault.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ALL_CHECKS } from '../doctor/checks.ts';
import { doctorExitCode, formatReport, runDoctor } from '../doctor/run.ts';
import { loadConfig } from '../config.ts';
import { machineProbes } from '../technician/probes.ts';
import type { CliCommand } from './command.ts';

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'check cameras, microphone, reader, disk, clock, back office, credential, queue, versions',
  usage: 'booth doctor [--json] [--data DIR]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean' }, data: { type: 'string' } } });
    const dataDir = path.resolve(values.data ?? process.env.BOOTH_DATA ?? 'data/booth');
    const config = loadConfig(dataDir);
    const report = await runDoctor(ALL_CHECKS, machineProbes({ dataDir, config, sysRoot: process.env.BOOTH_SYS_ROOT, procRoot: process.env.BOOTH_PROC_ROOT }));
    if (values.json) io.out(JSON.stringify(report));
    else {
      io.out(`booth doctor: ${config.boothCode}`);
      io.out(formatReport(report));
    }
    return doctorExitCode(report);
  },
  options: [
    { flag: '--data DIR', help: 'the booth\'s data folder (default $BOOTH_DATA or data/booth)' },
    { flag: '--json', help: 'one JSON report a machine can read; exit 1 when a check fails' },
  ],
};
