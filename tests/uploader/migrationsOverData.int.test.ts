// Each booth outbox migration run over data written by the previous version: the outbox is the
// booth's promise to residents, so a migration that dropped, reset or re-meant a row would break a
// receipt already printed. Per case: the migrations before k build the schema, rows are written as
// that version wrote them (its columns only), migration k runs, and the rows must still be there and
// mean the same (the new columns at the value that means "as before").
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../../uploader/db.ts';
import { loadMigrations, migrate, type Migration } from '../../uploader/migrate.ts';
import { expectACasePerMigration } from '../support/migrationCases.ts';

const ALL = loadMigrations(MIGRATIONS_DIR);
const upTo = (version: number): Migration[] => ALL.filter((m) => m.version <= version);
const before = (version: number): Migration[] => ALL.filter((m) => m.version < version);

/** A submission as 001 wrote it, with two items; `id` distinct per row. */
function seed001(db: Database.Database, id: string, state: string, caseNumber: string): void {
  db.prepare(
    `INSERT INTO submissions (id, case_number, booth_code, language, started_at, saved_at, state, attempts, next_attempt_at,
       last_error, permanent_error, delivered_at, details_json, personal_sealed)
     VALUES (?, ?, 'B001', 'zh-CN', '2026-12-01T08:00:00Z', '2026-12-01T08:05:00Z', ?, 2, 1765000000000, 'timeout', 0,
       ?, '{"category":"road"}', ?)`,
  ).run(
    id,
    caseNumber,
    state,
    state === 'delivered' ? '2026-12-01T09:00:00Z' : null,
    state === 'delivered' ? null : Buffer.from([1, 2, 3]),
  );
  const item = db.prepare(
    `INSERT INTO submission_items (submission_id, idx, item_id, kind, mime, camera, file, size, sha256, duration_sec, acked)
     VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  );
  item.run(id, 0, `${id}-v`, 'video', 'video/webm', `${id}/0.webm`, 1000, 'a'.repeat(64), 12.5, 1);
  item.run(id, 1, `${id}-p`, 'photo', 'image/jpeg', `${id}/1.jpg`, 200, 'b'.repeat(64), null, 0);
  db.prepare(`INSERT OR REPLACE INTO case_sequence (day, last) VALUES ('20261201', 7)`).run();
}

const SUBMISSION_COLS =
  'id, case_number, booth_code, language, started_at, saved_at, state, attempts, next_attempt_at, last_error, permanent_error, delivered_at, details_json, personal_sealed';
const ITEM_COLS = 'submission_id, idx, item_id, kind, mime, camera, file, size, sha256, duration_sec, acked';

interface Case {
  version: number;
  /** Rows as the version before k wrote them. */
  seed(db: Database.Database): void;
  /** After k: what was there still means the same; what k added reads as "nothing yet". */
  check(db: Database.Database, snapshot: Snapshot): void;
}

interface Snapshot {
  submissions: unknown[];
  items: unknown[];
  sequence: unknown[];
}

const snapshot = (db: Database.Database): Snapshot => ({
  submissions: db.prepare(`SELECT ${SUBMISSION_COLS} FROM submissions ORDER BY id`).all(),
  items: db.prepare(`SELECT ${ITEM_COLS} FROM submission_items ORDER BY submission_id, idx`).all(),
  sequence: db.prepare('SELECT day, last FROM case_sequence ORDER BY day').all(),
});

const CASES: Case[] = [
  {
    version: 2,
    seed(db) {
      seed001(db, 's-saved', 'saved', '20261201-B001-0006');
      seed001(db, 's-failed', 'failed', '20261201-B001-0007');
      seed001(db, 's-delivered', 'delivered', '20261201-B001-0005');
    },
    check(db) {
      // No upload started before tus: every item starts its upload afresh; no failure counted yet.
      expect(db.prepare('SELECT count(*) AS n FROM submission_items WHERE upload_url IS NOT NULL').get()).toEqual({ n: 0 });
      expect(db.prepare('SELECT DISTINCT failures FROM submissions').all()).toEqual([{ failures: 0 }]);
    },
  },
  {
    version: 120,
    seed(db) {
      seed001(db, 's-saved', 'saved', '20261201-B001-0006');
      seed001(db, 's-delivered', 'delivered', '20261201-B001-0005');
      db.prepare(`UPDATE submission_items SET upload_url = 'http://intake/files/x' WHERE submission_id = 's-saved' AND idx = 0`).run();
      db.prepare(`UPDATE submissions SET failures = 3 WHERE id = 's-saved'`).run();
    },
    check(db) {
      // Numbers from before the intake's authority: no resident number, filed as the receipt says.
      expect(db.prepare('SELECT DISTINCT resident_number, intake_case_number, intake_resident_number FROM submissions').all()).toEqual([
        { resident_number: null, intake_case_number: null, intake_resident_number: null },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM resident_blocks').get()).toEqual({ n: 0 });
      // What 002 added is kept too.
      expect(db.prepare(`SELECT failures FROM submissions WHERE id = 's-saved'`).get()).toEqual({ failures: 3 });
      expect(db.prepare(`SELECT upload_url FROM submission_items WHERE submission_id = 's-saved' AND idx = 0`).get()).toEqual({
        upload_url: 'http://intake/files/x',
      });
    },
  },
];

describe('booth outbox migrations over data written by the previous version', () => {
  it('has a case for every migration after the first', () => {
    expectACasePerMigration(
      ALL.map((m) => m.name),
      CASES.map((c) => ALL.find((m) => m.version === c.version)?.name ?? String(c.version)),
      'tests/uploader/migrationsOverData.int.test.ts',
    );
  });

  for (const c of CASES) {
    it(`${ALL.find((m) => m.version === c.version)?.name ?? c.version}: the rows survive and mean the same`, () => {
      const db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      try {
        migrate(db, before(c.version));
        c.seed(db);
        const was = snapshot(db);
        expect(migrate(db, upTo(c.version))).toEqual([c.version]);
        expect(snapshot(db)).toEqual(was);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        c.check(db, was);
      } finally {
        db.close();
      }
    });
  }
});
