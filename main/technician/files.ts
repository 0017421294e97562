// Where the booth keeps its technician state, and small durable JSON helpers for it.
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileDurably } from '../../lib/durableFile.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import type { BoothConfig } from '../config.ts';

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

/** A link to the intake from the booth's files (address, credential, CA), for the technician's
 *  tools when no core runs: the same link (uploader/intakeLink.ts) the core uses. */
export function linkFromFiles(dataDir: string, config: BoothConfig, timeoutMs = 5000): IntakeLink {
  const file = techFiles(dataDir).credential;
  const token = () => {
    if (config.intakeToken) return config.intakeToken;
    try {
      return readFileSync(file, 'utf8').trim() || null;
    } catch {
      return null;
    }
  };
  let ca: Buffer | undefined;
  try {
    ca = config.intakeCaFile ? readFileSync(config.intakeCaFile) : undefined;
  } catch {
    ca = undefined; // an unreadable CA file: the link fails TLS, and says so
  }
  return new IntakeLink({
    intakeUrl: config.intakeUrl ?? '',
    token,
    idleTimeoutMs: timeoutMs,
    requestTimeoutMs: timeoutMs,
    ...(ca ? { ca } : {}),
  });
}
