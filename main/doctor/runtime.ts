// How `booth doctor` and `booth status` find the booth core running on a data folder, so that they
// report what the running booth knows (its intake address and credential may live only in memory:
// the `npm start` booth's embedded back office) rather than what the files say.
//
// The core writes core.json beside its lock when it listens: its pid, its local URL and a
// diagnostics token that opens only the read-only diagnostic endpoints (main/api/guard.ts), never
// the kiosk's API. The file is the booth user's alone (0600) and removed when the core closes; one
// left by a killed core names a pid that no longer runs and is ignored.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { DIAGNOSTICS_TOKEN_HEADER } from '../../contract/kiosk.ts';
import { processAlive } from '../../lib/dataDirLock.ts';

export const CORE_RUNTIME_FILE = 'core.json';

const CoreRuntime = z.object({ pid: z.number().int().positive(), url: z.string().url(), diagnosticsToken: z.string().min(20) });
export type CoreRuntime = z.infer<typeof CoreRuntime>;

export function writeCoreRuntime(dataDir: string, info: CoreRuntime): void {
  const file = path.join(dataDir, CORE_RUNTIME_FILE);
  rmSync(file, { force: true }); // a new file, so the mode below holds
  writeFileSync(file, `${JSON.stringify(info)}\n`, { mode: 0o600, flag: 'wx' });
}

/** Removes core.json if it is this process's. */
export function removeCoreRuntime(dataDir: string): void {
  const file = path.join(dataDir, CORE_RUNTIME_FILE);
  const info = readRuntime(file);
  if (info?.pid === process.pid) rmSync(file, { force: true });
}

function readRuntime(file: string): CoreRuntime | null {
  try {
    const parsed = CoreRuntime.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The core running on `dataDir`, or null when none runs (no core.json, or its pid is gone). Reads only. */
export function findRunningCore(dataDir: string): CoreRuntime | null {
  const info = readRuntime(path.join(dataDir, CORE_RUNTIME_FILE));
  return info && processAlive(info.pid) ? info : null;
}

export class CoreUnreachableError extends Error {}

/** GET one of the core's diagnostic endpoints; the typed envelope's value, or CoreUnreachableError. */
export async function askCore(core: CoreRuntime, pathname: string, timeoutMs = 15_000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${core.url}${pathname}`, {
      headers: { [DIAGNOSTICS_TOKEN_HEADER]: core.diagnosticsToken },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    throw new CoreUnreachableError(`the booth core (pid ${core.pid}) at ${core.url} did not answer: ${(e as Error).message}`);
  }
  const body = (await res.json().catch(() => null)) as { ok?: boolean; value?: unknown; error?: { code?: string } } | null;
  if (!res.ok || !body?.ok)
    throw new CoreUnreachableError(
      `the booth core (pid ${core.pid}) refused ${pathname}: HTTP ${res.status} ${body?.error?.code ?? ''}`.trim(),
    );
  return body.value;
}
