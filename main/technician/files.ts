// Where the booth keeps its technician state, and small durable JSON helpers for it.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../../lib/durableFile.ts';

export const techFiles = (dataDir: string) => ({
  config: path.join(dataDir, 'booth.json'),
  credential: path.join(dataDir, 'keys', 'intake.token'),
  pin: path.join(dataDir, 'keys', 'technician.pin'),
  settings: path.join(dataDir, 'settings.json'),
  hardware: path.join(dataDir, 'hardware.json'),
});

export async function readJson(file: string): Promise<unknown> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await writeFileDurably(file, Buffer.from(`${JSON.stringify(value, null, 2)}\n`));
}

/** Secrets: durable and readable by the booth user only. */
export async function writeSecret(file: string, text: string): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileDurably(file, Buffer.from(text));
  await fsp.chmod(file, 0o600);
}

export async function readText(file: string): Promise<string | null> {
  try {
    return (await fsp.readFile(file, 'utf8')).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
