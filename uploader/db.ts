// Opens the booth database with the pragmas that make "saved" mean saved:
// WAL with synchronous=FULL, so a committed submission survives a power cut: every commit appends
// its pages to booth.db-wal and fsyncs it before returning (better-sqlite3's SQLite is built without
// HAVE_FDATASYNC, so the call is fsync, not fdatasync; docs/DECISIONS.md, outbox durability).
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMigrations, migrate } from './migrate.ts';

export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

export function openBoothDb(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Checkpoints run from the retention sweep (Outbox.checkpoint, every 30 s), not inside a commit at
  // 立即上传: SQLite's automatic one (every 1,000 pages by default, i.e. every ~100 submissions)
  // halved the commit rate. This bound (64 MiB) is only a backstop for a booth whose sweep stopped.
  db.pragma('wal_autocheckpoint = 16384');
  // Sealed personal data is overwritten, not just unlinked, when a delivered row drops it.
  db.pragma('secure_delete = ON');
  try {
    migrate(db, loadMigrations(MIGRATIONS_DIR));
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * booth.db for reading only, for the diagnostics (booth queue, status, doctor): it creates nothing,
 * not booth.db and not its -wal and -shm (a read-only SQLite connection to a WAL database makes
 * both and leaves them behind). Null when there is no booth.db. Without a -wal file no core has the
 * database open and everything is in booth.db: it is read from an in-memory copy. With one (a core
 * runs, or one was cut off), SQLite reads through it, read-only, to see every committed row.
 * No migrations run: a reader must not change the file.
 */
export function openBoothDbForReading(file: string): Database.Database | null {
  if (!existsSync(file)) return null;
  if (existsSync(`${file}-wal`)) {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return db;
  }
  const image = readFileSync(file);
  // The header's file format bytes say WAL (2): an in-memory copy must say rollback journal (1).
  if (image.length >= 20) image[18] = image[19] = 1;
  return new Database(image, { readonly: true });
}
