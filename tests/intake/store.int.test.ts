// Intake store migrations (Kysely Migrator on a real SQLite file).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, StoreMigrationError } from '../../intake/store/db.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('intake store migrations', () => {
  it('migrates from empty, and again is a no-op', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'intake-mig-'));
    const file = path.join(dir, 'intake.db');
    const db = await openSqliteStore(file);
    await db.destroy();
    const again = await openSqliteStore(file);
    const tables = await again.introspection.getTables();
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['cases', 'case_items', 'booth_credentials', 'delivery_uploads', 'booth_heartbeats']),
    );
    await again.destroy();
  });

  it('refuses a database that has migrations this build does not know', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'intake-mig-'));
    const file = path.join(dir, 'intake.db');
    await (await openSqliteStore(file)).destroy();
    const raw = new Database(file);
    raw.prepare(`INSERT INTO kysely_migration (name, timestamp) VALUES ('999_from_the_future', '2030-01-01T00:00:00.000Z')`).run();
    raw.close();
    await expect(openSqliteStore(file)).rejects.toThrow(StoreMigrationError);
  });
});
