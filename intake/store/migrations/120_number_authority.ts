import { type ColumnDataType, type Kysely, PostgresAdapter } from 'kysely';

// Issue 14 item 3 and issue 18: the intake is the authority for a booth's numbers.
// - cases.resident_number: the resident's short number (8 digits), unique across the back office.
// - case_number_aliases: a number a booth put on a receipt while another case already held it; the
//   case is filed under a unique number and the receipt's number stays findable here.
// - resident_number_blocks: which block of resident numbers went to which booth, and when (a block
//   is never handed out twice: the next block starts after the highest one ever issued).
// - intake_alerts: what the intake itself wants a technician to see in the fleet view.
export async function up(db: Kysely<unknown>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  const serialType: ColumnDataType = pg ? 'serial' : 'integer';
  const serial = <T extends { primaryKey(): T; autoIncrement(): T }>(c: T): T => (pg ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.alterTable('cases').addColumn('resident_number', 'text').execute();
  await db.schema.createIndex('cases_resident_number').on('cases').column('resident_number').unique().execute();
  await db.schema.createIndex('cases_booth_code').on('cases').columns(['booth_code', 'received_at']).execute();

  await db.schema
    .createTable('case_number_aliases')
    .addColumn('alias', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_number_aliases_pk', ['alias', 'case_id'])
    .execute();
  await db.schema.createIndex('case_number_aliases_booth').on('case_number_aliases').column('booth_code').execute();

  await db.schema
    .createTable('resident_number_blocks')
    .addColumn('start', 'bigint', (c) => c.primaryKey())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('intake_alerts')
    .addColumn('id', serialType, serial)
    .addColumn('booth_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('message', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('intake_alerts_booth').on('intake_alerts').columns(['booth_code', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('intake_alerts').execute();
  await db.schema.dropTable('resident_number_blocks').execute();
  await db.schema.dropTable('case_number_aliases').execute();
  await db.schema.dropIndex('cases_booth_code').execute();
  await db.schema.dropIndex('cases_resident_number').execute();
  await db.schema.alterTable('cases').dropColumn('resident_number').execute();
}
