// Opens the intake store. Embedded default: SQLite file (WAL, synchronous=FULL).
// Migrations are numbered modules in ./migrations run by Kysely's Migrator, which refuses a
// database that has migrations this build does not know (a newer database).
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { IntakeDatabase } from './schema.ts';
import { caseGrams } from './searchGrams.ts';
import { createLogger } from '../../lib/log.ts';

const log = createLogger('store');

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations', import.meta.url));

/** The migrations this build knows, in the order they run on a new store (e.g. '007_idempotency_keys'). */
export function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_[\w-]+\.ts$/.test(f))
    .map((f) => f.replace(/\.ts$/, ''))
    .sort();
}

const numberedModules: MigrationProvider = {
  async getMigrations() {
    const out: Record<string, Migration> = {};
    for (const name of migrationNames())
      out[name] = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, `${name}.ts`)).href)) as Migration;
    return out;
  },
};

export class StoreMigrationError extends Error {}

export async function migrateToLatest(db: Kysely<IntakeDatabase>): Promise<void> {
  // Helpers number their migrations in separate ranges (120…, 220…): one landing after another's
  // higher number must still apply on a database that already has the higher one.
  const migrator = new Migrator({ db, provider: numberedModules, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new StoreMigrationError(
      `intake store migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${(error as Error).message}`,
    );
  }
}

/** Migrates up (or down) to a named migration, e.g. '007_idempotency_keys' (migration tests). */
export async function migrateTo(db: Kysely<IntakeDatabase>, target: string): Promise<void> {
  const { error } = await new Migrator({ db, provider: numberedModules }).migrateTo(target);
  if (error) throw new StoreMigrationError(`intake store migration to ${target} failed: ${(error as Error).message}`);
}

/** Migrates a freshly opened store; on failure closes it, so a refused database leaves no open handle. */
async function migratedOrClosed(db: Kysely<IntakeDatabase>): Promise<Kysely<IntakeDatabase>> {
  try {
    await migrateToLatest(db);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return db;
}

export async function openSqliteStore(file: string): Promise<Kysely<IntakeDatabase>> {
  return migratedOrClosed(connectSqlite(file));
}

/** The SQLite store's connection (pragmas, SQL functions), not migrated: openSqliteStore, migration tests. */
export function connectSqlite(file: string): Kysely<IntakeDatabase> {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // The case search index's triggers call it (migration 191): every connection that writes cases needs it.
  sqlite.function('case_grams', { deterministic: true }, caseGrams);
  return new Kysely<IntakeDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/**
 * The scale-out store: the same schema and migrations on Postgres (issue 7 runs its store tests
 * against a real Postgres 15). `connectionString` like postgres://user@127.0.0.1:5432/db.
 */
export async function openPostgresStore(connectionString: string): Promise<Kysely<IntakeDatabase>> {
  return migratedOrClosed(connectPostgres(connectionString));
}

/** The Postgres store's pool (bigint as numbers, drop listeners), not migrated: openPostgresStore, migration tests. */
export function connectPostgres(connectionString: string): Kysely<IntakeDatabase> {
  // bigint columns (epoch ms, byte counts; migration 006) and count(*) come back from pg as strings
  // by default; every such value here is far below 2^53, so read them as numbers like SQLite does.
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format),
  } as pg.CustomTypesConfig;
  const pool = new pg.Pool({ connectionString, max: 5, types });
  // An idle pooled connection that the server drops (restart, admin shutdown) emits 'error' on the
  // pool; without a listener that would crash the process. The next query opens a new connection.
  pool.on('error', (e) => log.warn({ err: e.message }, 'postgres connection dropped'));
  // The pool listens only while a connection is idle: one checked out (between a transaction's
  // statements) that the server drops would emit an unhandled 'error' and crash the process. The
  // statement on it fails instead; the pool discards the connection when it comes back.
  pool.on('connect', (client) => client.on('error', (e) => log.warn({ err: e.message }, 'postgres connection dropped while in use')));
  return new Kysely<IntakeDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** A Postgres connection string (postgres:// or postgresql://) selects the scale-out store. */
export function isPostgresUrl(location: string | undefined): location is string {
  return !!location && /^postgres(ql)?:\/\//i.test(location);
}
