// Numbered SQL migrations (NNN_name.sql), applied in order inside one transaction each, with
// PRAGMA user_version as the record. A database from a newer version of the software is refused:
// running old code on it could corrupt what the newer code wrote.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class NewerDatabaseError extends Error {
  constructor(
    readonly found: number,
    readonly supported: number,
  ) {
    super(`database schema version ${found} is newer than this software supports (${supported}); refusing to open it`);
    this.name = 'NewerDatabaseError';
  }
}

export function loadMigrations(dir: string): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f))
    .sort();
  return files.map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * Applies what is missing; returns the versions applied. Numbers may have gaps (each helper of the
 * project numbers in its own range, e.g. 120–139): the applied ones are recorded by number in
 * `schema_migrations`; a database from before that table records them as PRAGMA user_version = N
 * (the first N files, 001…00N). user_version stays the count of applied migrations, so a database
 * with more (or with a number this build does not know) is a newer one and is refused.
 */
export function migrate(db: Database.Database, migrations: Migration[]): number[] {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.length;
  if (current > latest) throw new NewerDatabaseError(current, latest);
  const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).get() !== undefined;
  const done = new Set<number>(
    hasTable
      ? (db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version)
      : migrations.slice(0, current).map((m) => m.version),
  );
  const known = new Set(migrations.map((m) => m.version));
  for (const v of done) if (!known.has(v)) throw new NewerDatabaseError(v, Math.max(...known));
  const applied: number[] = [];
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY) STRICT');
    const record = db.prepare('INSERT OR IGNORE INTO schema_migrations (version) VALUES (?)');
    for (const v of done) record.run(v);
  })();
  for (const m of migrations) {
    if (done.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version) VALUES (?)').run(m.version);
      done.add(m.version);
      db.pragma(`user_version = ${done.size}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
