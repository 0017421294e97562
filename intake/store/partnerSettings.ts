// The partner settings (townships served as Open311 jurisdictions, discovery contact lines), kept
// in the `settings` table under the key `partners`, beside the back office's own keys.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { PartnerSettings } from '../open311/vocabulary.ts';

const KEY = 'partners';

export async function readPartnerSettings(db: Kysely<IntakeDatabase>): Promise<PartnerSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  const parsed = PartnerSettings.safeParse(row ? JSON.parse(row.value) : {});
  return parsed.success ? parsed.data : PartnerSettings.parse({});
}

export async function writePartnerSettings(db: Kysely<IntakeDatabase>, next: PartnerSettings): Promise<PartnerSettings> {
  const value = JSON.stringify(PartnerSettings.parse(next));
  await db
    .insertInto('settings')
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
  return PartnerSettings.parse(JSON.parse(value));
}
