// The working calendar's stored part: overrides of single days (holidays, swapped workdays) and
// the years an admin confirmed. The calendar itself is computed in casework/calendar.ts.
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

type DB = Kysely<IntakeDatabase> | Transaction<IntakeDatabase>;
export type OverrideKindSetting = 'holiday' | 'workday' | 'normal';
export interface OverrideInput {
  date: string;
  kind: OverrideKindSetting;
  name: string;
}

export function calendarOverrides(db: DB) {
  return db.selectFrom('calendar_overrides').selectAll().orderBy('date').execute();
}

export function overridesOn(db: DB, dates: string[]) {
  return dates.length
    ? db.selectFrom('calendar_overrides').select(['date', 'kind', 'name']).where('date', 'in', dates).execute()
    : Promise.resolve([]);
}

export async function confirmedYears(db: DB): Promise<number[]> {
  return (await db.selectFrom('calendar_years').select('year').execute()).map((y) => y.year);
}

/** Upserts the overrides and adds the confirmed years (a confirmation is never withdrawn), as `username` at `iso`. */
export async function saveCalendar(db: DB, overrides: OverrideInput[], years: number[], username: string, iso: string): Promise<void> {
  for (const o of overrides) {
    await db
      .insertInto('calendar_overrides')
      .values({ ...o, updated_by: username, updated_at: iso })
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: o.kind, name: o.name, updated_by: username, updated_at: iso }))
      .execute();
  }
  for (const year of years) {
    await db
      .insertInto('calendar_years')
      .values({ year, confirmed_by: username, confirmed_at: iso })
      .onConflict((oc) => oc.column('year').doNothing())
      .execute();
  }
}
