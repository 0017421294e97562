// One booth core per data directory. The boot sweep deletes media directories that no outbox row
// names (they belong to a save that never committed); a second core on the same directory would
// see another core's save in progress as such an orphan and delete it (the crash test found this).
// A pid file taken with O_EXCL; a file left by a killed process (its pid no longer runs) is taken
// over. The same process may take it again (tests restart a core in-process).
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

/** Whether a process with this pid runs (EPERM: it runs as another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock or throws DataDirLockedError; returns the release function. */
export function lockDataDir(dir: string, name = 'core.lock'): () => void {
  const file = path.join(dir, name);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && processAlive(pid)) {
        throw new DataDirLockedError(`another booth core (pid ${pid}) is using ${dir}`);
      }
      rmSync(file, { force: true }); // stale (killed process) or our own: take it over
    }
  }
  throw new DataDirLockedError(`cannot take the lock on ${dir}`);
}
