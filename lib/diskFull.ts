// "The disk is full" comes in several shapes: ENOSPC/EDQUOT from the file system, SQLite's
// SQLITE_FULL ("database or disk is full"), and ffmpeg's "No space left on device" on stderr.
// Every write path asks this one question so that each of them answers 507 disk_full.

export function isDiskFull(e: unknown): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { code?: unknown; message?: unknown; stderr?: unknown; cause?: unknown };
  if (err.code === 'ENOSPC' || err.code === 'EDQUOT' || err.code === 'SQLITE_FULL') return true;
  const text = `${typeof err.message === 'string' ? err.message : ''}\n${typeof err.stderr === 'string' ? err.stderr : ''}`;
  if (/No space left on device|database or disk is full|Disk quota exceeded/i.test(text)) return true;
  return err.cause !== undefined && err.cause !== e && isDiskFull(err.cause);
}
