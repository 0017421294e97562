// Back-office settings, stored as JSON in the `settings` table and validated on read and write.
import type { Kysely } from 'kysely';
import { Settings } from '../../contract/staff/admin.ts';
import { WorkCalendar, type CalendarOverride, type OverrideKind } from '../casework/calendar.ts';
import type { IntakeDatabase } from '../store/schema.ts';
import { StaffError } from './http.ts';

export { Settings } from '../../contract/staff/admin.ts';

export async function readSettings(db: Kysely<IntakeDatabase>): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const raw: Record<string, unknown> = {};
  for (const r of rows) raw[r.key] = JSON.parse(r.value);
  return Settings.parse(raw);
}

export async function writeSettings(db: Kysely<IntakeDatabase>, patch: Partial<Settings>): Promise<Settings> {
  const before = await readSettings(db);
  const next = Settings.parse({ ...before, ...patch });
  if (next.workdayStart >= next.workdayEnd) throw new StaffError('bad_request', 'workday_hours');
  // A vocabulary edit bumps its revision so booths pull the new list.
  next.categoriesRevision = before.categoriesRevision + (JSON.stringify(before.categories) === JSON.stringify(next.categories) ? 0 : 1);
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(next)) {
      await trx
        .insertInto('settings')
        .values({ key, value: JSON.stringify(value) })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
        .execute();
    }
  });
  return next;
}

export async function loadCalendar(db: Kysely<IntakeDatabase>): Promise<WorkCalendar> {
  const overrides = await db.selectFrom('calendar_overrides').selectAll().execute();
  const years = await db.selectFrom('calendar_years').select('year').execute();
  return WorkCalendar.standard(
    overrides.map((o): CalendarOverride => ({ date: o.date, kind: o.kind as OverrideKind, name: o.name })),
    years.map((y) => y.year),
  );
}
