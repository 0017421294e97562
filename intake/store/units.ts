// The units (offices a case is dispatched to): the queries the staff API needs.
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

type DB = Kysely<IntakeDatabase> | Transaction<IntakeDatabase>;

export function listUnits(db: DB) {
  return db.selectFrom('units').selectAll().orderBy('name').execute();
}

export async function unitName(db: DB, id: string): Promise<string | null> {
  return (await db.selectFrom('units').select('name').where('id', '=', id).executeTakeFirst())?.name ?? null;
}

export async function unitNameTaken(db: DB, name: string): Promise<boolean> {
  return !!(await db.selectFrom('units').select('id').where('name', '=', name).executeTakeFirst());
}

export async function insertUnit(db: DB, unit: { id: string; name: string }): Promise<void> {
  await db.insertInto('units').values(unit).execute();
}
