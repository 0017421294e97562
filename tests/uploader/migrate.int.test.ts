// Booth database migrations: from empty to latest, idempotent, and a newer database refused.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, openBoothDb } from '../../uploader/db.ts';
import { loadMigrations, NewerDatabaseError } from '../../uploader/migrate.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('booth database migrations', () => {
  it('creates the schema from empty and records the version; reopening applies nothing', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    const file = path.join(dir, 'booth.db');
    const latest = loadMigrations(MIGRATIONS_DIR).length;
    const db = openBoothDb(file);
    expect(db.pragma('user_version', { simple: true })).toBe(latest);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all();
    expect(tables).toEqual(expect.arrayContaining([{ name: 'submissions' }, { name: 'submission_items' }, { name: 'case_sequence' }]));
    db.close();
    const again = openBoothDb(file);
    expect(again.pragma('user_version', { simple: true })).toBe(latest);
    again.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mig-'));
    const file = path.join(dir, 'booth.db');
    openBoothDb(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openBoothDb(file)).toThrow(NewerDatabaseError);
    const check = new Database(file);
    expect(check.pragma('user_version', { simple: true })).toBe(99);
    check.close();
  });
});
