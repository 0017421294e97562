// The booth's data folder for the technician commands: --data DIR, else $BOOTH_DATA, else
// data/booth. A diagnostic command never creates it (issue 14): when it is not there, it says so
// in one plain line and stops.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from './command.ts';

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
