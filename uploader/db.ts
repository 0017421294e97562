// Opens the booth database with the pragmas that make "saved" mean saved:
// WAL with synchronous=FULL, so a committed submission survives a power cut (TOOLCHAIN.md 5c:
// ~6k commits/s, far above what a booth needs).
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
