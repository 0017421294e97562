// Repeats (重复诉求), the three-rate ranking and the home page (issue 15, helper "rates").
import { z } from 'zod';
import { Id, IsoDate, Ok, route } from './route.ts';
import { RateRow } from './reports.ts';

const CaseRef = z.object({ id: z.string(), caseNumber: z.string(), receivedAt: z.string(), status: z.string() });
const Suggestion = CaseRef.extend({
  category: z.string().nullable(),
  location: z.string().nullable(),
  summary: z.string(),
  reasons: z.array(z.enum(['place', 'phone'])).describe("'place': same category and place; 'phone': same callback phone (keyed hash)"),
});

export const repeatRoutes = {
  get: route({
    method: 'GET',
    path: '/staff/api/cases/:id/repeats',
    summary: "a case's original or its repeats (反映 N 次), and likely repeats for those who link",
    params: Id,
    response: z.object({
      original: CaseRef.nullable(),
      repeats: z.array(CaseRef),
      timesRaised: z.number(),
      suggestions: z.array(Suggestion),
    }),
  }),
  link: route({
    method: 'POST',
    path: '/staff/api/cases/:id/repeats',
    summary: 'link two cases as one matter: the earlier (or its original) is the original',
    params: Id,
    body: z.object({ otherId: z.uuid() }),
    response: z.object({ originalId: z.string(), repeatId: z.string() }),
  }),
  unlink: route({ method: 'DELETE', path: '/staff/api/cases/:id/repeats', summary: 'undo the link of a repeat', params: Id, response: Ok }),
};

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

const HomeRow = z.object({
  id: z.string(),
  caseNumber: z.string(),
  summary: z.string(),
  status: z.string(),
  dueAt: z.string().nullable(),
  receivedAt: z.string(),
  unitName: z.string().nullable(),
});
export const homeRoutes = {
  get: route({
    method: 'GET',
    path: '/staff/api/home',
    summary: "the home page: today's numbers, the lists that are the user's, this week's rates",
    response: z.object({
      counts: z.object({ newToday: z.number(), waitingDispatch: z.number(), dueSoon: z.number(), overdue: z.number() }),
      myUnits: z.array(HomeRow),
      waiting: z.array(HomeRow),
      owned: z.array(
        z.object({ id: z.string(), caseNumber: z.string(), summary: z.string(), status: z.string(), level: z.number().nullable() }),
      ),
      week: z
        .object({
          start: z.string(),
          end: z.string(),
          evaluated: z.number(),
          responseRate: z.number().nullable(),
          resolutionRate: z.number().nullable(),
          satisfactionRate: z.number().nullable(),
        })
        .nullable(),
    }),
  }),
};
