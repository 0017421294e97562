// The booth's data folder for the technician commands: --data DIR, else $BOOTH_DATA, else
// data/booth. A diagnostic command never creates it (issue 14): when it is not there, it says so
// in one plain line and stops.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { CliIo, CliOption } from './command.ts';

export function dataFolderOf(flag: string | undefined): string {
  return path.resolve(flag ?? process.env.BOOTH_DATA ?? 'data/booth');
}

/** The plain line for a data folder that is not there. */
export function noDataFolder(dataDir: string): string {
  return `there is no booth data folder at ${dataDir} (give it with --data DIR or BOOTH_DATA)`;
}

/** True when the folder is there; otherwise tells the technician (`booth <command>: …`) and returns false. */
export function dataFolderExists(command: string, dataDir: string, io: CliIo): boolean {
  if (existsSync(dataDir)) return true;
  io.err(`booth ${command}: ${noDataFolder(dataDir)}`);
  return false;
}

/** The `--data DIR` line of every technician command's help. */
export const DATA_FOLDER_OPTION: CliOption = { flag: '--data DIR', help: "the booth's data folder (default $BOOTH_DATA or data/booth)" };

/**
 * The arguments of a technician command that works on an existing data folder: node:util parseArgs
 * with the command's own options plus `--data DIR`, and the folder. Null when the folder is not
 * there (the technician has been told).
 */
export function technicianArgs<O extends ParseArgsOptionsConfig, P extends boolean = false>(
  command: string,
  args: string[],
  io: CliIo,
  options: O,
  allowPositionals?: P,
) {
  const parsed = parseArgs({ args, allowPositionals: allowPositionals ?? false, options: { ...options, data: { type: 'string' } } });
  const given: { data?: unknown } = parsed.values;
  const dataDir = dataFolderOf(typeof given.data === 'string' ? given.data : undefined);
  return dataFolderExists(command, dataDir, io) ? { values: parsed.values, positionals: parsed.positionals, dataDir } : null;
}
