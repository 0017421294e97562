// The three-rate ranking (issue 15): units or villages ranked for a week or a month, and its CSV.
import { z } from 'zod';
import { IsoDate, route } from './route.ts';
import { RateRow } from './reports.ts';

export const RankingQuery = z.object({
  groupBy: z.enum(['unit', 'village']).default('unit'),
  period: z.enum(['week', 'month']).default('week'),
  date: IsoDate.optional().describe('any day in the period; today by default'),
  lang: z.enum(['zh', 'en']).default('zh'),
});
const RankedRow = RateRow.extend({
  score: z.number().nullable(),
  rank: z.number().nullable(),
  previousRank: z.number().nullable(),
  change: z.number().nullable(),
});
const Range = z.object({
  key: z.string(),
  start: z.string(),
  end: z.string(),
  previous: z.object({ key: z.string(), start: z.string(), end: z.string() }),
});

export const rankingRoutes = {
  get: route({
    method: 'GET',
    path: '/staff/api/reports/ranking',
    summary: 'units or villages ranked by the three rates for a week or month, with the change',
    query: RankingQuery,
    response: z.object({
      groupBy: z.enum(['unit', 'village']),
      period: z.enum(['week', 'month']),
      range: Range,
      rows: z.array(RankedRow),
      weights: z.object({ responseRate: z.number(), resolutionRate: z.number(), satisfactionRate: z.number() }),
      definitions: z.unknown(),
    }),
  }),
  csv: route({
    method: 'GET',
    path: '/staff/api/reports/ranking.csv',
    summary: 'the ranking as CSV',
    query: RankingQuery,
    response: z.string(),
    produces: 'text/csv',
  }),
};
