import { type ColumnDataType, type Kysely, PostgresAdapter, sql } from 'kysely';

// The back office (issue 7): case workflow columns, units, staff accounts and sessions, case
// history, callbacks, the identity-reveal audit log, settings and the admin's calendar edits.
// Portable DDL only (SQLite and Postgres), so the Postgres store can run the same migrations.
const CASE_COLUMNS: [string, 'text' | 'integer', string | number | null][] = [
  ['summary', 'text', ''],
  ['unit_id', 'text', null],
  ['territory', 'text', null],
  ['dispatched_at', 'text', null],
  ['reminder_at', 'text', null],
  ['due_at', 'text', null],
  ['deadline_warning', 'text', null],
  ['reminder_sent_at', 'text', null],
  ['answered_at', 'text', null],
  ['result', 'text', null],
  ['escalated_to', 'text', null],
  ['duplicate_of', 'text', null],
  ['callback_at', 'text', null],
  ['callback_contacted', 'integer', null],
  ['callback_solved', 'integer', null],
  ['callback_satisfaction', 'text', null],
  ['real_name', 'integer', 0],
  ['identity_sealed', 'text', null],
  ['search_text', 'text', ''],
  ['updated_at', 'text', null],
  ['version', 'integer', 0],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  // The one dialect difference: an auto-numbered key is `integer … autoincrement` in SQLite and
  // `serial` in Postgres.
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialType: ColumnDataType = pg ? 'serial' : 'integer';
  const serial = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());
  for (const [name, type, dflt] of CASE_COLUMNS) {
    await db.schema
      .alterTable('cases')
      .addColumn(name, type, (c) => (dflt === null ? c : c.notNull().defaultTo(dflt)))
      .execute();
  }
  // Search starts from what the booth sent: the case number and any location typed at the booth.
  await sql`update cases set search_text = lower(case_number || ' ' || coalesce(location, ''))`.execute(db);
  // The list filters: each index ends in (received_at, id) so keyset pagination stays an index walk.
  for (const col of ['status', 'unit_id', 'territory', 'category', 'booth_code', 'real_name']) {
    await db.schema.createIndex(`cases_${col}_received`).on('cases').columns([col, 'received_at', 'id']).execute();
  }
  // Overdue and due-soon lists: open cases have no answer yet, so (answered_at IS NULL, received_at)
  // walks the open cases newest first instead of sorting every past deadline.
  await db.schema.createIndex('cases_open_received').on('cases').columns(['answered_at', 'received_at', 'id']).execute();
  await db.schema.createIndex('cases_callback_at').on('cases').columns(['callback_at']).execute();

  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('staff_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .execute();

  await db.schema
    .createTable('staff_user_units')
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addPrimaryKeyConstraint('staff_user_units_pk', ['user_id', 'unit_id'])
    .execute();

  await db.schema
    .createTable('staff_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('staff_users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('case_history')
    .addColumn('id', serialType, serial)
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_history_case').on('case_history').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('case_callbacks')
    .addColumn('id', serialType, serial)
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('contacted', 'integer', (c) => c.notNull())
    .addColumn('solved', 'integer', (c) => c.notNull())
    .addColumn('satisfaction', 'text')
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_callbacks_case').on('case_callbacks').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', serialType, serial)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('case_number', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .execute();

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_overrides')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('confirmed_by', 'text', (c) => c.notNull())
    .addColumn('confirmed_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'calendar_years',
    'calendar_overrides',
    'settings',
    'audit_log',
    'case_callbacks',
    'case_history',
    'staff_sessions',
    'staff_user_units',
    'staff_users',
    'units',
  ]) {
    await db.schema.dropTable(t).execute();
  }
  for (const col of ['status', 'unit_id', 'territory', 'category', 'booth_code', 'real_name'])
    await db.schema.dropIndex(`cases_${col}_received`).execute();
  await db.schema.dropIndex('cases_open_received').execute();
  await db.schema.dropIndex('cases_callback_at').execute();
  for (const [name] of [...CASE_COLUMNS].reverse()) await db.schema.alterTable('cases').dropColumn(name).execute();
}
