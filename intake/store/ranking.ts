// The rows behind the three rates and the ranking: cases called back in a window, and cases the
// resident rated in it on the status page (their own rating wins over the callback's: casework/rates.ts).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import type { CaseStatus } from '../casework/status.ts';
import type { RateCase, Satisfaction } from '../casework/rates.ts';

type DB = Kysely<IntakeDatabase>;

export async function rateInputsBetween(db: DB, startIso: string, endIso: string): Promise<RateCase[]> {
  const rows = await db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .leftJoin('resident_ratings', 'resident_ratings.case_id', 'cases.id')
    .select([
      'cases.status',
      'cases.unit_id',
      'units.name as unit_name',
      'cases.territory',
      'cases.callback_at',
      'cases.callback_contacted',
      'cases.callback_solved',
      'cases.callback_satisfaction',
      'resident_ratings.rating',
      'resident_ratings.rated_at',
    ])
    .where((eb) =>
      eb.or([
        eb.and([eb('cases.callback_at', '>=', startIso), eb('cases.callback_at', '<', endIso)]),
        eb.and([
          eb('cases.callback_at', 'is', null),
          eb('resident_ratings.rated_at', '>=', startIso),
          eb('resident_ratings.rated_at', '<', endIso),
        ]),
      ]),
    )
    .execute();
  return rows.map((r) => ({
    status: r.status as CaseStatus,
    unitId: r.unit_id,
    unitName: r.unit_name,
    village: r.territory,
    callback: r.callback_at
      ? {
          at: Date.parse(r.callback_at),
          contacted: r.callback_contacted === 1,
          solved: r.callback_solved === 1,
          satisfaction: r.callback_satisfaction as Satisfaction | null,
        }
      : null,
    residentRating: r.rating && r.rated_at ? { at: Date.parse(r.rated_at), rating: r.rating as Satisfaction } : null,
  }));
}
