// Opens the booth database with the pragmas that make "saved" mean saved:
// WAL with synchronous=FULL, so a committed submission survives a power cut: every commit appends
// its pages to booth.db-wal and fdatasyncs it before returning (docs/DECISIONS.md, outbox durability).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
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
