// Each intake store migration run over data written by the version before it, on SQLite and on a
// real PostgreSQL 15 (one server for the file, one database per case). Empty → latest (what every
// other test does) cannot see a migration that drops, resets or re-means a row, or a constraint that
// a populated table breaks. Per case: the store is built migration by migration and, at each
// version marked in WORLD, filled the way the code of that version wrote it (plain SQL, made-up
// residents whose ID numbers pass the check digit, sealed fields as opaque blobs, history, media,
// attachments…); at the version before the case's migration the case adds its own rows; the
// migration runs; every value that was there must read the same (except the columns the migration
// is meant to rewrite, which the case checks), and the case checks what the migration promises.
// The guard fails when a migration has no case. docs/BACKOFFICE.md "Migrations" has the pattern.
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { connectPostgres, connectSqlite, migrateTo, migrationNames } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { sealJson, unsealJson } from '../../lib/sealed.ts';
import { DEFAULT_CATEGORIES } from '../../lib/vocab.ts';
import { withCheckCharacter } from '../../drivers/idcard/checkDigit.ts';
import { readSettings } from '../../intake/staff/settings.ts';
import { listCases } from '../../intake/staff/cases.ts';
import { casesByNumber } from '../../intake/store/residentStatus.ts';
import { gramToken } from '../../intake/store/searchGrams.ts';
import { fillPhoneHashes, phoneHashOf, repeatsOf } from '../../intake/store/repeats.ts';
import { phoneHash, phoneHashKey } from '../../lib/phoneHash.ts';
import { SealedContact, StaffIdentityRecord } from '../../contract/identity.ts';
import { WIDENED } from '../../intake/store/migrations/006_bigint_times.ts';
import { storeMatrix, type StoreKind } from '../../testkit/postgres.ts';
import { expectACasePerMigration } from '../support/migrationCases.ts';

type Db = Kysely<IntakeDatabase>;
const THIS_FILE = 'tests/intake/migrationsOverData.int.test.ts';
const ALL = migrationNames();
const before = (m: string): string => ALL[ALL.indexOf(m) - 1]!;
const matrix = storeMatrix('migrationsOverData');
afterAll(() => matrix.stop());

// ---- writing rows as an old version did: plain SQL, only the columns that version had ----

async function ins(db: Db, table: string, ...rows: Record<string, unknown>[]): Promise<void> {
  for (const r of rows) {
    const cols = Object.keys(r);
    await sql`insert into ${sql.table(table)} (${sql.join(cols.map((c) => sql.ref(c)))}) values (${sql.join(cols.map((c) => r[c]))})`.execute(
      db,
    );
  }
}
const rows = async <T = Record<string, unknown>>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> => (await q.execute(db)).rows as T[];
/** Whether the store refuses a statement (a constraint); each statement commits on its own. */
async function refused(db: Db, q: ReturnType<typeof sql>): Promise<boolean> {
  try {
    await q.execute(db);
    return false;
  } catch {
    return true;
  }
}

/** The keys a real intake keeps in its data directory; here made up per run. */
const CONTACT_KEY = randomBytes(32);
const sealed = (v: unknown): string => sealJson(v, CONTACT_KEY).toString('base64');
/** A made-up resident: an 18-character ID number that passes its check digit. */
const resident = (name: string, first17: string, address: string) => ({ name, idNumber: withCheckCharacter(first17), address });
const RESIDENT_A = resident('测试甲', '11010519491231002', '北京市朝阳区幸福村3号楼2单元');
// Stored after the intake kept more of the card (StaffIdentityRecord): the registered address too.
const RESIDENT_B = {
  ...resident('测试乙', '13010219800101123', '北京市朝阳区和平村8号'),
  registeredAddress: '河北省石家庄市长安区示例路1号',
};

const T0 = '2026-10-05T01:00:00.000Z';
const MS = Date.parse('2026-12-01T08:00:00Z'); // 1,764,576,000,000: over 2^31, the point of 006

/** A case as the booth delivered it (001: the manifest's fields; media as case_items). */
function boothCase(id: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    case_number: `FT01-20261005-${String(n).padStart(4, '0')}`,
    booth_code: 'FT01',
    language: 'zh-CN',
    started_at: T0,
    saved_at: T0,
    received_at: `2026-10-05T0${n % 10}:00:00.000Z`,
    category: 'noise',
    location: null,
    contact_sealed: sealed({ phone: `1380013${String(n).padStart(4, '0')}` }),
    manifest_hash: String(n).repeat(64).slice(0, 64),
    ...extra,
  };
}
function mediaOf(caseId: string): Record<string, unknown>[] {
  return [
    {
      case_id: caseId,
      idx: 0,
      kind: 'video',
      mime: 'video/webm',
      camera: 'front',
      size: 48_213_004,
      sha256: 'a'.repeat(64),
      duration_sec: 61.5,
      file: `${caseId}/0.webm`,
      playback_file: `${caseId}/0.mp4`,
      poster_file: `${caseId}/0.jpg`,
      playback_state: 'ready',
    },
    { case_id: caseId, idx: 1, kind: 'photo', mime: 'image/jpeg', camera: null, size: 912_000, sha256: 'b'.repeat(64), duration_sec: null, file: `${caseId}/1.jpg`, playback_file: null, poster_file: null, playback_state: 'pending' }, // prettier-ignore
  ];
}

/**
 * What each version of the intake wrote, keyed by the last migration it knew. A case's store gets
 * every entry before its migration, in order: old rows from the first builds, newer ones on top,
 * as a store in the field has.
 */
const WORLD: { at: string; write(db: Db): Promise<void> }[] = [
  {
    at: '001_cases',
    async write(db) {
      // The skeleton: booth cases with media, and an upload still being staged.
      await ins(db, 'cases', boothCase('c-old-1', 1, { location: '3号楼门口' }), boothCase('c-old-2', 2, { category: null }));
      await ins(db, 'case_items', ...mediaOf('c-old-1'), ...mediaOf('c-old-2'));
      await ins(db, 'staged_items', { submission_id: 's-half', idx: 0, size: 10, sha256: 'c'.repeat(64), file: 'staging/s-half/0', received_at: T0 }); // prettier-ignore
    },
  },
  {
    at: '003_casework',
    async write(db) {
      // The back office: units, staff, a real-name case (identity sealed with the contact key), staff
      // labels as categories (free text then), history, a callback, a reveal in the audit log, settings.
      await ins(db, 'units', { id: 'u-prop', name: '物业公司', active: 1 }, { id: 'u-old', name: '旧单位', active: 0 });
      const user = (id: string, role: string) => ({
        id,
        username: id,
        display_name: `员工${id}`,
        password_hash: `scrypt$16384$8$1$${'s'.repeat(22)}$${'h'.repeat(86)}`,
        role,
        active: 1,
        created_at: T0,
        failed_logins: 0,
        locked_until: null,
      });
      await ins(db, 'staff_users', user('boss', 'supervisor'), user('hand', 'handler'));
      await ins(db, 'staff_user_units', { user_id: 'hand', unit_id: 'u-prop' });
      await ins(db, 'staff_sessions', { id_hash: 'd'.repeat(64), user_id: 'hand', csrf_token: 'e'.repeat(43), created_at: T0, expires_at: '2026-10-05T09:00:00.000Z', last_seen_at: T0 }); // prettier-ignore
      const casework = (summary: string, location: string | null, category: string | null, n: number) => ({
        summary,
        search_text: `ft01-20261005-${String(n).padStart(4, '0')} ${summary} ${location ?? ''}`.toLowerCase(),
        category,
        location,
        unit_id: 'u-prop',
        territory: '幸福村',
        status: 'dispatched',
        dispatched_at: '2026-10-05T06:00:00.000Z',
        due_at: '2026-10-12T15:59:59.999Z',
        updated_at: '2026-10-05T06:00:00.000Z',
        version: 2,
      });
      await ins(
        db,
        'cases',
        boothCase('c-real', 3, {
          ...casework('楼道堆物堵塞消防通道', '5号楼', '噪音', 3),
          real_name: 1,
          identity_sealed: sealed(RESIDENT_A),
        }),
        boothCase('c-vendor', 4, casework('早市占道摆摊', '北门', '占道经营', 4)),
        // Typed by a handler, in no list: the form took any text before the one vocabulary (140).
        boothCase('c-free', 5, { ...casework('楼道里堆满杂物', '7号楼', '楼道堆物', 5), contact_sealed: null }),
      );
      await ins(db, 'case_items', ...mediaOf('c-real'));
      await ins(
        db,
        'case_history',
        { case_id: 'c-real', at: '2026-10-05T06:00:00.000Z', user_id: 'boss', action: 'dispatch', detail: JSON.stringify({ unitId: 'u-prop' }) }, // prettier-ignore
        { case_id: 'c-real', at: '2026-10-05T07:00:00.000Z', user_id: 'hand', action: 'note', detail: JSON.stringify({ note: '已联系物业' }) }, // prettier-ignore
      );
      await ins(db, 'case_callbacks', { case_id: 'c-real', at: '2026-10-06T02:00:00.000Z', user_id: 'boss', contacted: 1, solved: 1, satisfaction: 'satisfied', note: '已清理' }); // prettier-ignore
      await ins(db, 'audit_log', { at: '2026-10-05T08:00:00.000Z', user_id: 'boss', username: 'boss', action: 'reveal_identity', case_id: 'c-real', case_number: 'FT01-20261005-0003', reason: '回访需要核实身份', ip: '10.0.0.8' }); // prettier-ignore
      await ins(
        db,
        'settings',
        { key: 'categories', value: JSON.stringify(['物业管理', '环境保护', '噪音', '占道经营']) },
        { key: 'territories', value: JSON.stringify(['幸福村', '和平村']) },
      );
      await ins(db, 'calendar_overrides', { date: '2026-10-10', kind: 'workday', name: '国庆调休', updated_by: 'boss', updated_at: T0 });
      await ins(db, 'calendar_years', { year: 2026, confirmed_by: 'boss', confirmed_at: T0 });
    },
  },
  {
    at: '006_bigint_times',
    async write(db) {
      // The fleet (004, 005 on 006's widths): a booth enrolled with a credential, its uploads and heartbeats.
      await ins(db, 'booths', { booth_code: 'FT01', village: '幸福村', location: '村委会大厅', created_at: MS, enrolled_at: MS + 1000, revoked_at: null }); // prettier-ignore
      await ins(db, 'enrolment_codes', { code_hash: 'f'.repeat(64), booth_code: 'FT01', created_at: MS, expires_at: MS + 86_400_000, used_at: MS + 1000, withdrawn: 0 }); // prettier-ignore
      await ins(db, 'booth_settings', { scope: '*', settings_json: JSON.stringify({ revision: 1, idleSeconds: 90 }), updated_at: MS });
      await ins(db, 'booth_credentials', { booth_code: 'FT01', secret_hash: '1'.repeat(64), created_at: MS + 1000, revoked_at: null });
      await ins(db, 'delivery_uploads', { upload_id: '2'.repeat(32), booth_code: 'FT01', submission_id: 'c-old-1', idx: 0, size: 48_213_004, sha256: 'a'.repeat(64), created_at: MS, verified_at: MS + 5000 }); // prettier-ignore
      await ins(db, 'booth_heartbeats', heartbeat('FT01', MS + 60_000));
    },
  },
  {
    at: '120_number_authority',
    async write(db) {
      // Resident numbers, a renumbered case (its receipt's number kept as an alias), a block, an alert.
      // A real-name case as 120's booth API filed it (search text: number, summary, place).
      await ins(db, 'cases', boothCase('c-num', 6, { resident_number: '20260001', case_number: 'FT01-20261005-0106', search_text: 'ft01-20261005-0106  ', real_name: 1, identity_sealed: sealed(RESIDENT_B) })); // prettier-ignore
      await ins(db, 'case_number_aliases', { alias: 'FT01-20261005-0006', case_id: 'c-num', booth_code: 'FT01', created_at: MS }); // prettier-ignore
      await ins(db, 'resident_number_blocks', { start: 20260000, size: 1000, booth_code: 'FT01', issued_at: MS });
      await ins(db, 'intake_alerts', { booth_code: 'FT01', kind: 'case_number', message: 'case number FT01-20261005-0006 was already held by another case: filed as FT01-20261005-0106', created_at: MS }); // prettier-ignore
    },
  },
  {
    at: '142_process',
    async write(db) {
      await ins(db, 'audit_log', { at: T0, user_id: 'boss', username: 'boss', action: 'settings_change', case_id: null, case_number: null, reason: '', ip: null, detail: JSON.stringify({ before: { meetingTime: '17:00' }, after: { meetingTime: '16:30' } }) }); // prettier-ignore
      await sql`update cases set acknowledged_at = ${'2026-10-05T06:30:00.000Z'}, escalation_level = 1, escalation_owner_id = 'boss', escalated_at = ${'2026-10-13T01:00:00.000Z'} where id = 'c-real'`.execute(db); // prettier-ignore
      await ins(db, 'case_extensions', { case_id: 'c-vendor', requested_by: 'hand', requested_at: T0, reason: '需协调城管', new_due_date: '2026-10-20', old_due_at: '2026-10-12T15:59:59.999Z', state: 'approved', decided_by: 'boss', decided_at: T0, decision_note: null }); // prettier-ignore
      await ins(db, 'escalation_proposals', { case_id: 'c-real', reason: 'overdue', trigger_key: '2026-10-12T15:59:59.999Z', proposed_level: 1, created_at: T0, state: 'accepted', decided_by: 'boss', decided_at: T0 }); // prettier-ignore
      await ins(db, 'notices', { at: T0, kind: 'overdue', case_id: 'c-real', case_number: 'FT01-20261005-0003', user_id: null, unit_id: 'u-prop', min_role: null, detail: '{}', dedupe_key: 'overdue:c-real:1', webhook_state: 'sent', webhook_at: T0 }); // prettier-ignore
    },
  },
  {
    at: '160_case_repeats',
    async write(db) {
      await ins(db, 'case_repeats', { repeat_id: 'c-vendor', original_id: 'c-real', linked_by: 'boss', linked_at: T0 });
      await ins(db, 'case_phone_hashes', { case_id: 'c-real', phone_hash: '3'.repeat(64) }, { case_id: 'c-free', phone_hash: null });
      await ins(db, 'case_attachments', { id: 'att-1', case_id: 'c-real', kind: 'photo', mime: 'image/jpeg', size: 20_311, sha256: '4'.repeat(64), file: 'attachments/c-real/att-1.jpg', title: '整改后照片', uploaded_by: 'hand', uploaded_at: T0 }); // prettier-ignore
    },
  },
  {
    at: '170_district',
    async write(db) {
      await ins(db, 'login_throttle', {
        username: 'hand',
        client: '10.0.0.9',
        failures: 3,
        last_failure_at: MS,
        next_allowed_at: MS + 8000,
      });
      await ins(db, 'work_leases', { kind: 'reminders', item: '2026-10-05', owner: 'intake-a', until: MS + 60_000 });
    },
  },
  {
    at: '200_resident_status',
    async write(db) {
      await ins(db, 'resident_status_tokens', { token_hash: '5'.repeat(64), case_id: 'c-num' });
      await ins(db, 'resident_ratings', { case_id: 'c-real', rating: 'satisfied', rated_at: T0 });
    },
  },
  {
    at: '221_case_jurisdiction',
    async write(db) {
      // A partner system's case (Open311), its events and a webhook delivery.
      await ins(db, 'cases', boothCase('c-partner', 7, { booth_code: 'OPEN311', source: 'open311', source_ref: 'req-77', jurisdiction_id: 'xingfu', category: 'sanitation', search_text: 'ft01-20261005-0007 垃圾' })); // prettier-ignore
      await ins(db, 'api_keys', { id: 'k1', name: '12345 热线', prefix: 'sk_live_ab', secret_hash: '6'.repeat(64), scopes: '["cases:write"]', jurisdiction_id: 'xingfu', rate_per_minute: 60, created_at: T0, created_by: 'boss', expires_at: null, revoked_at: null, revoked_by: null, use_count: 4, last_used_at: T0, last_used_ip: '10.0.0.7' }); // prettier-ignore
      await ins(db, 'case_events', { event_id: 'ev-1', case_id: 'c-partner', history_id: null, type: 'case.created', occurred_at: T0, body: '{"type":"case.created"}' }); // prettier-ignore
      await ins(db, 'webhook_endpoints', { id: 'w1', name: '热线平台', url: 'https://hotline.example/hook', secret_sealed: sealed({ secret: 'whsec' }), event_types: '[]', active: 1, created_at: T0, created_by: 'boss' }); // prettier-ignore
    },
  },
  {
    at: '240_techs_fleet',
    async write(db) {
      await ins(db, 'booth_heartbeats', { ...heartbeat('FT01', MS + 120_000), disk_need_bytes: 2_000_000_000 });
    },
  },
  {
    at: '270_resident_number_alias',
    async write(db) {
      await ins(db, 'case_number_aliases', { alias: '20260002', case_id: 'c-num', booth_code: 'FT01', created_at: MS, kind: 'resident' }); // prettier-ignore
    },
  },
];

function heartbeat(booth: string, at: number): Record<string, unknown> {
  return {
    booth_code: booth,
    received_at: at,
    sent_at: new Date(at).toISOString(),
    version: '1.4.0',
    queue_depth: 2,
    oldest_unsent_sec: 40,
    bytes_waiting: 3_500_000_000,
    disk_free_bytes: 61_000_000_000,
    disk_total_bytes: 118_000_000_000,
    devices_json: '{"camera":"ok","idcard":"ok"}',
    last_error: null,
    alerts_json: '[]',
  };
}

// ---- what must not change: every value of every table, read column by column ----

interface Snapshot {
  [table: string]: { columns: string[]; rows: string[] };
}
/** SQLite's search index tables (FTS5 and its shadow tables) hold derived data, checked by their own cases. */
const DERIVED = /^cases_(fts|grams)(_|$)/;

async function snapshot(db: Db): Promise<Snapshot> {
  const out: Snapshot = {};
  for (const t of await db.introspection.getTables()) {
    if (DERIVED.test(t.name)) continue;
    const columns = t.columns.map((c) => c.name).sort();
    out[t.name] = { columns, rows: await readRows(db, t.name, columns) };
  }
  return out;
}
async function readRows(db: Db, table: string, columns: string[]): Promise<string[]> {
  const r = await rows(db, sql`select ${sql.join(columns.map((c) => sql.ref(c)))} from ${sql.table(table)}`);
  return r.map((row) => JSON.stringify(columns.map((c) => row[c]))).sort();
}
/** The same tables and columns, read after the migration, leaving out what it is meant to rewrite or drop. */
async function sameValues(db: Db, was: Snapshot, { rewrites = [], drops = [], adds = [] }: Partial<Case>): Promise<void> {
  const still: Snapshot = {};
  const then: Snapshot = {};
  for (const [table, { columns, rows: old }] of Object.entries(was)) {
    if (drops.includes(table)) continue;
    const kept = columns.filter((c) => !rewrites.includes(`${table}.${c}`));
    const pick = (json: string) => JSON.stringify(kept.map((c) => (JSON.parse(json) as unknown[])[columns.indexOf(c)]));
    then[table] = { columns: kept, rows: old.map(pick).sort() };
    const now = await readRows(db, table, kept);
    still[table] = { columns: kept, rows: adds.includes(table) ? now.filter((r) => then[table]!.rows.includes(r)) : now };
  }
  expect(still).toEqual(then);
}

// ---- the cases ----

interface Case {
  migration: string;
  /** Shown in the test name when a migration has more than one case. */
  variant?: string;
  /** Rows the version before wrote, beyond WORLD's (optional). */
  seed?(db: Db, store: StoreKind): Promise<void>;
  /** `table.column`s the migration is meant to change (checked in `check`); every other value must read the same. */
  rewrites?: string[];
  /** Tables the migration is meant to drop. */
  drops?: string[];
  /** Tables the migration is meant to add rows to (checked in `check`); the rows that were there must still be. */
  adds?: string[];
  check(db: Db, store: StoreKind): Promise<void>;
}

const caseRow = async (db: Db, id: string) => (await rows(db, sql`select * from cases where id = ${id}`))[0] as Record<string, unknown>;
const count = async (db: Db, table: string): Promise<number> =>
  Number((await rows<{ n: number }>(db, sql`select count(*) as n from ${sql.table(table)}`))[0]!.n);
const categories = async (db: Db) => Object.fromEntries((await rows<{ id: string; category: string | null }>(db, sql`select id, category from cases`)).map((r) => [r.id, r.category])); // prettier-ignore
const storedVocabulary = async (db: Db) => {
  const r = await rows<{ value: string }>(db, sql`select value from settings where key = 'categories'`);
  return r[0] ? (JSON.parse(r[0].value) as { code: string; name: string; short: string; shortEn: string }[]) : null;
};

/** Migrations that only add tables (and their indexes): they must apply over a populated store and leave it as it was. */
const NEW_TABLES_ONLY: { migration: string; tables: string[] }[] = [
  { migration: '004_booths', tables: ['booths', 'enrolment_codes', 'booth_settings'] },
  { migration: '007_idempotency_keys', tables: ['idempotency_keys'] },
  { migration: '160_case_repeats', tables: ['case_repeats', 'case_phone_hashes', 'case_attachments'] },
  { migration: '170_district', tables: ['login_throttle', 'work_leases', 'rate_limit_hits'] },
  { migration: '200_resident_status', tables: ['resident_status_tokens', 'resident_ratings'] },
];

const CASES: Case[] = [
  {
    migration: '003_casework',
    async check(db) {
      // Booth cases become casework: nothing dispatched, no summary yet, searchable by number and place.
      for (const [id, text] of [
        ['c-old-1', 'ft01-20261005-0001 3号楼门口'],
        ['c-old-2', 'ft01-20261005-0002 '],
      ] as const) {
        expect(await caseRow(db, id)).toMatchObject({ status: 'new', summary: '', real_name: 0, version: 0, unit_id: null, identity_sealed: null, search_text: text }); // prettier-ignore
      }
      // NOT NULL with defaults holds for a case written the old way after it.
      await ins(db, 'cases', boothCase('c-after', 9));
      expect(await caseRow(db, 'c-after')).toMatchObject({ summary: '', real_name: 0, version: 0, search_text: '' });
      for (const t of ['units', 'staff_users', 'case_history', 'audit_log', 'settings']) expect(await count(db, t)).toBe(0);
    },
  },
  {
    migration: '005_delivery',
    drops: ['staged_items'],
    async check(db) {
      // Media now arrive over tus: a half-staged upload is dropped (the booth still holds it and sends
      // it again); the cases and their media rows stay.
      expect((await db.introspection.getTables()).map((t) => t.name)).not.toContain('staged_items');
      expect(await count(db, 'case_items')).toBe(6);
      for (const t of ['booth_credentials', 'delivery_uploads', 'booth_heartbeats']) expect(await count(db, t)).toBe(0);
    },
  },
  {
    migration: '006_bigint_times',
    async seed(db, store) {
      if (store === 'postgres') {
        // On Postgres the 005 schema could not hold today's epoch milliseconds at all: the bug 006 fixes.
        expect(await refused(db, sql`insert into booths (booth_code, village, location, created_at) values ('FT09', '村', '处', ${MS})`)).toBe(true); // prettier-ignore
        return;
      }
      // SQLite's integers were 64-bit all along: the fleet rows were written with real times.
      await ins(db, 'booths', { booth_code: 'FT01', village: '幸福村', location: '村委会大厅', created_at: MS, enrolled_at: MS + 1000, revoked_at: null }); // prettier-ignore
      await ins(db, 'booth_heartbeats', heartbeat('FT01', MS));
    },
    async check(db, store) {
      if (store === 'postgres') {
        const types = await rows<{ table_name: string; column_name: string; data_type: string }>(
          db,
          sql`select table_name, column_name, data_type from information_schema.columns where table_schema = 'public' and data_type in ('integer', 'bigint')`,
        );
        for (const [table, cols] of Object.entries(WIDENED))
          for (const c of cols) expect(types.find((t) => t.table_name === table && t.column_name === c)?.data_type, `${table}.${c}`).toBe('bigint'); // prettier-ignore
        // The media sizes written before (under 2^31) read back as the same numbers.
        expect((await rows(db, sql`select size from case_items where case_id = 'c-old-1' order by idx`)).map((r) => r.size)).toEqual([48_213_004, 912_000]); // prettier-ignore
      }
      // Today's times and byte counts go in and come back exactly, on both stores.
      await ins(db, 'booths', { booth_code: 'FT02', village: '和平村', location: '小卖部', created_at: MS, enrolled_at: null, revoked_at: null }); // prettier-ignore
      await ins(db, 'booth_heartbeats', heartbeat('FT02', MS + 1));
      expect(
        await rows(db, sql`select received_at, bytes_waiting, disk_total_bytes from booth_heartbeats where booth_code = 'FT02'`),
      ).toEqual([{ received_at: MS + 1, bytes_waiting: 3_500_000_000, disk_total_bytes: 118_000_000_000 }]);
    },
  },
  {
    migration: '120_number_authority',
    async check(db) {
      // Cases from before the authority have no resident number; many "none" do not clash under the unique index…
      expect(await rows(db, sql`select distinct resident_number from cases`)).toEqual([{ resident_number: null }]);
      // …but two cases can never share one.
      const withNumber = (residentNumber: string) =>
        sql`insert into cases (id, case_number, booth_code, language, started_at, saved_at, received_at, manifest_hash, resident_number) values (${`c-${residentNumber}`}, ${`FT01-20261005-${residentNumber.slice(-4)}`}, 'FT01', 'zh-CN', ${T0}, ${T0}, ${T0}, 'x', ${residentNumber})`; // prettier-ignore
      await withNumber('20260011').execute(db);
      expect(await refused(db, sql`update cases set resident_number = '20260011' where id = 'c-old-1'`)).toBe(true);
      await withNumber('20260012').execute(db);
      for (const t of ['case_number_aliases', 'resident_number_blocks', 'intake_alerts']) expect(await count(db, t)).toBe(0);
    },
  },
  {
    migration: '140_category_codes',
    rewrites: ['cases.category', 'settings.value'],
    async check(db) {
      // The booth's code stays; the staff's labels become codes (a listed label without a code gets custom_1).
      expect(await categories(db)).toMatchObject({
        'c-old-1': 'noise',
        'c-old-2': null,
        'c-real': 'noise',
        'c-vendor': 'custom_1',
        // Free text in no list: 140 leaves it as it was (a label the case form then refused to save
        // back: unknown_category). 143 gives it a code.
        'c-free': '楼道堆物',
      });
      const vocabulary = (await storedVocabulary(db))!;
      expect(vocabulary.slice(0, 4).map((e) => e.code)).toEqual(['property', 'sanitation', 'noise', 'custom_1']);
      expect(vocabulary.find((e) => e.code === 'custom_1')).toEqual({ code: 'custom_1', name: '占道经营', short: '占道经营', shortEn: 'custom_1' }); // prettier-ignore
      for (const d of DEFAULT_CATEGORIES) expect(vocabulary).toContainEqual(d);
      // The other settings and the rest of the case are as they were (the generic check), e.g. the territories.
      expect(await rows(db, sql`select value from settings where key = 'territories'`)).toEqual([{ value: '["幸福村","和平村"]' }]);
    },
  },
  {
    migration: '141_audit_detail',
    async check(db) {
      // Audit rows from before carry no {before, after}: null, not a made-up one.
      expect(await rows(db, sql`select action, detail from audit_log`)).toEqual([{ action: 'reveal_identity', detail: null }]);
    },
  },
  {
    migration: '142_process',
    async check(db) {
      // Old cases: not acknowledged, never returned, extended or escalated.
      const cols = [
        'ack_due_at',
        'acknowledged_at',
        'returned_at',
        'extended_due_date',
        'escalation_level',
        'escalation_owner_id',
        'escalated_at',
      ];
      expect(await rows(db, sql`select distinct ${sql.join(cols.map((c) => sql.ref(c)))} from cases`)).toEqual([Object.fromEntries(cols.map((c) => [c, null]))]); // prettier-ignore
      // One proposal per trigger, one notice per dedupe key.
      const proposal = sql`insert into escalation_proposals (case_id, reason, trigger_key, proposed_level, created_at) values ('c-real', 'overdue', 'k', 1, ${T0})`;
      await proposal.execute(db);
      expect(await refused(db, proposal)).toBe(true);
      const notice = sql`insert into notices (at, kind, detail, dedupe_key) values (${T0}, 'overdue', '{}', 'once')`;
      await notice.execute(db);
      expect(await refused(db, notice)).toBe(true);
    },
  },
  ...(['with the office label list', 'without a saved list (the defaults)'] as const).map((variant): Case => ({
    migration: '143_category_leftovers',
    variant,
    rewrites: ['cases.category', 'settings.value'],
    adds: ['settings'],
    async seed(db) {
      // A store whose office never saved its own list before 140: 140 wrote no list and left every
      // label without a code as it was (占道经营 too).
      if (variant.startsWith('without')) {
        await sql`delete from settings where key = 'categories'`.execute(db);
        await sql`update cases set category = '占道经营' where id = 'c-vendor'`.execute(db);
      }
      // What 140 left behind: a case category that is no code (the free text of c-free, WORLD 003).
      expect((await categories(db))['c-free']).toBe('楼道堆物');
    },
    async check(db) {
      const vocabulary = (await storedVocabulary(db))!;
      // custom_1 is 占道经营 (140's with the list; 143's without, in code point order), 楼道堆物 comes next.
      expect(vocabulary.filter((e) => e.code.startsWith('custom_'))).toEqual([
        { code: 'custom_1', name: '占道经营', short: '占道经营', shortEn: 'custom_1' },
        { code: 'custom_2', name: '楼道堆物', short: '楼道堆物', shortEn: 'custom_2' },
      ]);
      const c = await categories(db);
      expect(c).toMatchObject({ 'c-free': 'custom_2', 'c-vendor': 'custom_1', 'c-real': 'noise' });
      // Every case category is now a code of the vocabulary, which the settings accept.
      const codes = new Set(vocabulary.map((e) => e.code));
      for (const cat of Object.values(c)) if (cat !== null) expect(codes).toContain(cat);
      expect((await readSettings(db)).categories).toEqual(vocabulary);
      if (variant.startsWith('without')) expect(vocabulary.slice(0, DEFAULT_CATEGORIES.length)).toEqual(DEFAULT_CATEGORIES);
      expect(await rows(db, sql`select value from settings where key = 'categoriesRevision'`)).toEqual([{ value: '1' }]);
    },
  })),
  {
    migration: '171_case_list_filters',
    async check(db, store) {
      // Each list filter's index is rebuilt as (filter, received_at, id, the other five filters).
      const filters = ['unit_id', 'category', 'status', 'territory', 'booth_code', 'real_name'];
      for (const col of filters) {
        const name = `cases_${col}_received`;
        const cols =
          store === 'sqlite'
            ? (await rows<{ name: string }>(db, sql`select name from pragma_index_info(${name}) order by seqno`)).map((r) => r.name)
            : /\((.*)\)$/.exec((await rows<{ indexdef: string }>(db, sql`select indexdef from pg_indexes where indexname = ${name}`))[0]!.indexdef)![1]!.split(', '); // prettier-ignore
        expect(cols.slice(0, 3), name).toEqual([col, 'received_at', 'id']);
        expect([...cols.slice(3)].sort(), name).toEqual(filters.filter((c) => c !== col).sort());
      }
      // The old cases are found by the list's filters in combination, as before.
      const ids = async (f: Partial<Parameters<typeof listCases>[1]>) =>
        (await listCases(db, { limit: 50, ...f }, MS)).rows.map((r) => r.id);
      expect(await ids({ unitId: 'u-prop', category: 'noise' })).toEqual(['c-real']);
      expect(await ids({ unitId: 'u-prop', territory: '幸福村', realName: false })).toEqual(['c-free', 'c-vendor']);
      expect(await ids({ unitId: 'u-old' })).toEqual([]);
    },
  },
  {
    migration: '190_case_search',
    async check(db, store) {
      // Old cases are in the index, found by text typed years ago, and an edit moves them.
      const find = async (text: string): Promise<string[]> =>
        (store === 'sqlite'
          ? await rows<{ id: string }>(db, sql`select case_id as id from cases_fts where cases_fts match ${`"${text}"`}`)
          : await rows<{ id: string }>(db, sql`select id from cases where case_grams(search_text) @> case_grams(${text}) and search_text like ${`%${text}%`}`)
        ).map((r) => r.id).sort(); // prettier-ignore
      expect(await find('3号楼')).toEqual(['c-old-1']);
      expect(await find('消防通道')).toEqual(['c-real']);
      expect(await find('ft01-20261005')).toHaveLength(await count(db, 'cases'));
      await sql`update cases set search_text = ${'ft01-20261005-0004 早市已取缔'} where id = 'c-vendor'`.execute(db);
      expect(await find('早市已取缔')).toEqual(['c-vendor']);
      expect(await find('占道摆摊')).toEqual([]);
    },
  },
  {
    migration: '191_case_search_grams',
    async check(db, store) {
      if (store === 'postgres') return; // a no-op there (190's index holds characters and pairs): the generic check covers it
      const find = async (text: string): Promise<string[]> => {
        const r = await rows<{ id: string }>(db, sql`select id from cases where rowid in (select rowid from cases_grams where cases_grams match ${gramToken(text)})`); // prettier-ignore
        return r.map((x) => x.id).sort();
      };
      expect(await find('堆')).toEqual(['c-free', 'c-real']);
      expect(await find('北门')).toEqual(['c-vendor']);
      await sql`update cases set search_text = ${'ft01-20261005-0005 已清'} where id = 'c-free'`.execute(db);
      expect(await find('堆')).toEqual(['c-real']);
    },
  },
  {
    migration: '192_case_search_grams_column',
    async check(db, store) {
      if (store === 'sqlite') return; // a no-op there (SQLite keeps 190/191's FTS5 tables): the generic check covers it
      // Every old case got its stored grams, the same as the function computes, and the index is on the column.
      const stale = await rows(db, sql`select id from cases where search_grams is distinct from case_grams(search_text)`);
      expect(stale).toEqual([]);
      const idx = await rows<{ indexdef: string }>(db, sql`select indexdef from pg_indexes where indexname = 'cases_search_grams'`);
      expect(idx.map((r) => r.indexdef)).toEqual([expect.stringContaining('gin (search_grams)')]);
      const find = async (text: string) =>
        (await rows<{ id: string }>(db, sql`select id from cases where search_grams @> case_grams(${text}) and search_text like ${`%${text}%`} order by id`)).map((r) => r.id); // prettier-ignore
      expect(await find('堆')).toEqual(['c-free', 'c-real']);
      // An edit recomputes them.
      await sql`update cases set search_text = ${'ft01-20261005-0005 已清'} where id = 'c-free'`.execute(db);
      expect(await find('堆')).toEqual(['c-real']);
    },
  },
  {
    migration: '220_partners',
    async check(db) {
      // Every case before partners came from a booth.
      expect(await rows(db, sql`select distinct source, source_ref from cases`)).toEqual([{ source: 'booth', source_ref: null }]);
      await ins(db, 'cases', boothCase('c-later', 12));
      expect(await caseRow(db, 'c-later')).toMatchObject({ source: 'booth' });
      for (const t of ['api_keys', 'case_events', 'webhook_endpoints', 'webhook_deliveries', 'webhook_attempts'])
        expect(await count(db, t)).toBe(0);
    },
  },
  {
    migration: '221_case_jurisdiction',
    async check(db) {
      // Booth cases belong to their village's township: no explicit jurisdiction.
      expect(await rows(db, sql`select distinct jurisdiction_id from cases`)).toEqual([{ jurisdiction_id: null }]);
    },
  },
  {
    migration: '240_techs_fleet',
    rewrites: ['booths.revoked_at'],
    async seed(db) {
      // FT03 revoked from the command line only (the old CLI left the registry alone); FT04 revoked
      // in both, at different times; FT05 active; FT06 never got a credential; a revoked credential of
      // a booth that is not in the registry.
      const booth = (code: string, revoked: number | null) => ({ booth_code: code, village: '和平村', location: '卫生室', created_at: MS, enrolled_at: MS, revoked_at: revoked }); // prettier-ignore
      const credential = (code: string, revoked: number | null) => ({ booth_code: code, secret_hash: code.repeat(16), created_at: MS, revoked_at: revoked }); // prettier-ignore
      await ins(db, 'booths', booth('FT03', null), booth('FT04', MS + 10), booth('FT05', null), booth('FT06', null));
      await ins(db, 'booth_credentials', credential('FT03', MS + 20), credential('FT04', MS + 30), credential('FT05', null), credential('FT99', MS + 40)); // prettier-ignore
    },
    async check(db) {
      expect(await rows(db, sql`select booth_code, revoked_at from booths order by booth_code`)).toEqual([
        { booth_code: 'FT01', revoked_at: null },
        { booth_code: 'FT03', revoked_at: MS + 20 },
        { booth_code: 'FT04', revoked_at: MS + 10 },
        { booth_code: 'FT05', revoked_at: null },
        { booth_code: 'FT06', revoked_at: null },
      ]);
      expect(await rows(db, sql`select distinct disk_need_bytes from booth_heartbeats`)).toEqual([{ disk_need_bytes: null }]);
    },
  },
  {
    migration: '270_resident_number_alias',
    async check(db) {
      // Every alias written before was a renumbered case number.
      expect(await rows(db, sql`select alias, kind from case_number_aliases`)).toEqual([{ alias: 'FT01-20261005-0006', kind: 'case' }]);
      // The receipt's case number still finds the renumbered case.
      expect((await casesByNumber(db, 'ft01-20261005-0006')).map((c) => c.id)).toEqual(['c-num']);
    },
  },
];

/** Builds a store migration by migration up to `version`, filled at each version WORLD names. */
async function build(db: Db, version: string): Promise<void> {
  for (const w of WORLD) {
    if (ALL.indexOf(w.at) > ALL.indexOf(version)) break;
    await migrateTo(db, w.at);
    await w.write(db);
  }
  await migrateTo(db, version);
}

/**
 * On Postgres, where a build costs a second or more of DDL round trips, the store at each version is
 * built once, in one walk through the migrations, and kept as a template database (v0, v1…); a case
 * gets its own copy (CREATE DATABASE … TEMPLATE). SQLite builds each case's store in memory.
 */
let templates: Promise<void> | undefined;
function pgTemplates(): Promise<void> {
  return (templates ??= (async () => {
    const pg = await matrix.postgres();
    const url = await pg.createDatabase('walk');
    for (const [i, m] of ALL.entries()) {
      const db = connectPostgres(url);
      try {
        await migrateTo(db, m);
        for (const w of WORLD) if (w.at === m) await w.write(db);
      } finally {
        await db.destroy(); // a template has no open connection
      }
      await pg.createDatabase(`v${i}`, 'walk');
    }
  })());
}

async function overData(db: Db, store: StoreKind, c: Case): Promise<void> {
  await c.seed?.(db, store);
  const was = await snapshot(db);
  await migrateTo(db, c.migration);
  await sameValues(db, was, c);
  if (store === 'sqlite') {
    expect(await rows(db, sql`pragma foreign_key_check`)).toEqual([]);
    expect(await rows(db, sql`pragma integrity_check`)).toEqual([{ integrity_check: 'ok' }]);
  }
  await c.check(db, store);
}

describe('intake store migrations over data written by the version before', () => {
  it('has a case for every migration after the first', () => {
    expectACasePerMigration(ALL, [...CASES.map((c) => c.migration), ...NEW_TABLES_ONLY.map((c) => c.migration)], THIS_FILE);
  });
});

let dbSeq = 0;
describe.each(matrix.stores)('on %s', (store) => {
  /** A store of its own at `version`, filled by WORLD up to there. */
  async function withStore(version: string, run: (db: Db) => Promise<void>): Promise<void> {
    let db: Db;
    if (store === 'sqlite') {
      db = connectSqlite(':memory:');
      await build(db, version);
    } else {
      await pgTemplates();
      db = connectPostgres(await (await matrix.postgres()).createDatabase(`m${++dbSeq}`, `v${ALL.indexOf(version)}`));
    }
    try {
      await run(db);
    } finally {
      await db.destroy();
    }
  }

  for (const c of CASES) {
    it(`${c.migration}${c.variant ? ` (${c.variant})` : ''}: what was there reads the same, and what it promises holds`, () =>
      withStore(before(c.migration), (db) => overData(db, store, c)));
  }

  it.each(NEW_TABLES_ONLY)('$migration adds only new empty tables over a populated store', ({ migration, tables }) =>
    withStore(before(migration), async (db) => {
      await overData(db, store, {
        migration,
        async check() {
          for (const t of tables) expect(await count(db, t), t).toBe(0);
        },
      });
    }),
  );

  it("every version's data, migrated to the latest, reads with today's code", () =>
    withStore(ALL.at(-1)!, async (db) => {
      const settings = await readSettings(db);
      const codes = settings.categories.map((e) => e.code);
      const list = await listCases(db, { limit: 50 }, MS);
      expect(list.rows.map((r) => r.id).sort()).toEqual(['c-free', 'c-num', 'c-old-1', 'c-old-2', 'c-partner', 'c-real', 'c-vendor']);
      for (const r of list.rows) if (r.category) expect(codes).toContain(r.category);
      expect((await listCases(db, { limit: 50, q: '堆' }, MS)).rows.map((r) => r.id).sort()).toEqual(['c-free', 'c-real']);
      expect((await listCases(db, { limit: 50, q: '消防通道' }, MS)).rows.map((r) => r.id)).toEqual(['c-real']);
      // The sealed identity written by the first back office still opens with the contact key.
      const unseal = (v: unknown) => unsealJson<unknown>(Buffer.from(v as string, 'base64'), CONTACT_KEY);
      expect(StaffIdentityRecord.parse(unseal((await caseRow(db, 'c-real')).identity_sealed))).toEqual(RESIDENT_A);
      expect(StaffIdentityRecord.parse(unseal((await caseRow(db, 'c-num')).identity_sealed))).toEqual(RESIDENT_B);
      // Old cases get their phone hash when the repeats view first needs it (160 added no backfill).
      const hashKey = phoneHashKey(CONTACT_KEY);
      const hashOf = (v: string) => phoneHash(SealedContact.parse(unseal(v)).phone, hashKey);
      expect(await fillPhoneHashes(db, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z', hashOf)).toBe(5); // all but c-real, c-free (WORLD 160)
      expect(await phoneHashOf(db, 'c-old-1')).toBe(phoneHash('13800130001', hashKey));
      expect((await repeatsOf(db, 'c-real')).map((r) => r.id)).toEqual(['c-vendor']);
      // Both numbers a receipt may show still find their case.
      expect((await casesByNumber(db, '20260002')).map((c) => c.id)).toEqual(['c-num']);
      expect((await casesByNumber(db, 'FT01-20261005-0006')).map((c) => c.id)).toEqual(['c-num']);
    }));
});
