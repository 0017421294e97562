import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

// Issue 15, the process as Beijing runs it (接诉即办): 签收 (the unit acknowledges within a set
// number of working hours), 退单 (a unit returns a wrongly assigned case), 延期 (an extension asked
// by the unit and decided by a supervisor), 渐次升级 (stepwise escalation with a named owner per
// level, proposed automatically once per trigger), and the in-app notices with their webhook state.
// Times are ISO-8601 UTC text like the rest of the casework. Portable DDL (SQLite and Postgres).
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialType: ColumnDataType = pg ? 'serial' : 'integer';
  const serial = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  for (const [name, type] of [
    ['ack_due_at', 'text'], // 签收 due: dispatch + the configured working hours (each dispatch)
    ['acknowledged_at', 'text'], // 签收 by the unit
    ['returned_at', 'text'], // 退单: back to dispatch; the dispatch clock runs again from here
    ['extended_due_date', 'text'], // 延期 approved: the answer is due by the end of this date
    ['escalation_level', 'integer'], // 渐次升级: 0 村/社区, 1 乡镇/街道, 2 区级部门, 3 包案领导
    ['escalation_owner_id', 'text'], // the named owner at that level (a staff user)
    ['escalated_at', 'text'],
  ] as const) {
    await db.schema
      .alterTable('cases')
      .addColumn(name, type as ColumnDataType)
      .execute();
  }
  await db.schema.createIndex('cases_escalation_owner').on('cases').column('escalation_owner_id').execute();

  await db.schema
    .createTable('case_extensions')
    .addColumn('id', serialType, serial)
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('new_due_date', 'text', (c) => c.notNull())
    .addColumn('old_due_at', 'text')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending')) // pending | approved | rejected
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('decision_note', 'text')
    .execute();
  await db.schema.createIndex('case_extensions_case').on('case_extensions').columns(['case_id', 'state']).execute();

  await db.schema
    .createTable('escalation_proposals')
    .addColumn('id', serialType, serial)
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull()) // overdue | reopened | repeat
    .addColumn('trigger_key', 'text', (c) => c.notNull()) // what fired it (the due instant, the reopen, the repeat's number)
    .addColumn('proposed_level', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('open')) // open | accepted | dismissed
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .addUniqueConstraint('escalation_proposals_once', ['case_id', 'reason', 'trigger_key'])
    .execute();
  await db.schema.createIndex('escalation_proposals_state').on('escalation_proposals').column('state').execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', serialType, serial)
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('case_number', 'text')
    // Who sees it: a user, the users of a unit, and/or every user of at least a role.
    .addColumn('user_id', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('min_role', 'text')
    .addColumn('detail', 'text', (c) => c.notNull()) // JSON, machine values, never personal data
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('webhook_state', 'text', (c) => c.notNull().defaultTo('pending')) // pending | sent | none
    .addColumn('webhook_at', 'text')
    .execute();
  await db.schema.createIndex('notices_user').on('notices').column('user_id').execute();
  await db.schema.createIndex('notices_unit').on('notices').column('unit_id').execute();
  await db.schema.createIndex('notices_webhook').on('notices').column('webhook_state').execute();
  await db.schema
    .createTable('notice_reads')
    .addColumn('notice_id', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('notice_reads_pk', ['notice_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('notice_reads').execute();
  await db.schema.dropTable('notices').execute();
  await db.schema.dropTable('escalation_proposals').execute();
  await db.schema.dropTable('case_extensions').execute();
  await db.schema.dropIndex('cases_escalation_owner').execute();
  for (const c of [
    'escalated_at',
    'escalation_owner_id',
    'escalation_level',
    'extended_due_date',
    'returned_at',
    'acknowledged_at',
    'ack_due_at',
  ]) {
    await db.schema.alterTable('cases').dropColumn(c).execute();
  }
}
