// Lists for the meeting (daily / weekly / monthly, JSON and CSV), the rates, recurring problems,
// and the audit log.
import { z } from 'zod';
import { IsoDate, route } from './route.ts';

export const ListQuery = z.object({
  kind: z.enum(['daily', 'weekly', 'monthly']).default('daily'),
  date: IsoDate.optional(),
  lang: z.enum(['zh', 'en']).default('zh'),
});
const ListRow = z.tuple([z.string(), z.string(), z.string(), z.string(), z.string(), z.string(), z.string()]);

export const RateRow = z.object({
  key: z.string(),
  label: z.string(),
  period: z.string().describe("week: Monday 'YYYY-MM-DD'; month: 'YYYY-MM'"),
  evaluated: z.number(),
  contacted: z.number(),
  solved: z.number(),
  rated: z.number(),
  residentRated: z.number().describe("of `rated`, the resident's own ratings"),
  satisfied: z.number(),
  basically: z.number(),
  unsatisfied: z.number(),
  responseRate: z.number().nullable(),
  resolutionRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
});
const Definitions = z.object({
  evaluated: z.string(),
  response: z.string(),
  resolution: z.string(),
  satisfaction: z.string(),
  empty: z.string(),
});

export const AuditRow = z.object({
  id: z.number(),
  at: z.string(),
  user_id: z.string(),
  username: z.string(),
  action: z.string(),
  case_id: z.string().nullable(),
  case_number: z.string().nullable(),
  reason: z.string(),
  ip: z.string().nullable(),
  detail: z.string().nullable().describe('JSON {before, after}'),
});

export const reportRoutes = {
  list: route({
    method: 'GET',
    path: '/staff/api/lists',
    summary: 'the daily / weekly / monthly list of received cases',
    query: ListQuery,
    response: z.object({
      kind: z.enum(['daily', 'weekly', 'monthly']),
      date: z.string(),
      window: z.object({ start: z.string(), end: z.string(), label: z.string() }),
      meeting: z.string(),
      rows: z.array(ListRow),
      columns: z.array(z.string()).readonly(),
    }),
  }),
  listCsv: route({
    method: 'GET',
    path: '/staff/api/lists.csv',
    summary: 'the same list as CSV',
    query: ListQuery,
    response: z.string(),
    produces: 'text/csv',
  }),
  rates: route({
    method: 'GET',
    path: '/staff/api/reports/rates',
    summary: 'response, resolution and satisfaction rates per unit or village and period',
    query: z.object({
      groupBy: z.enum(['unit', 'village']).default('unit'),
      period: z.enum(['week', 'month']).default('week'),
      from: IsoDate.optional(),
      to: IsoDate.optional(),
    }),
    response: z.object({
      groupBy: z.enum(['unit', 'village']),
      period: z.enum(['week', 'month']),
      from: z.string(),
      to: z.string(),
      periods: z.array(z.string()),
      rows: z.array(RateRow),
      total: z.array(RateRow),
      definitions: z.object({ zh: Definitions, en: Definitions }),
    }),
  }),
  recurring: route({
    method: 'GET',
    path: '/staff/api/reports/recurring',
    summary: 'recurring problems: heat map and candidates',
    query: z.object({
      from: IsoDate.optional(),
      to: IsoDate.optional(),
      threshold: z.coerce.number().int().min(2).max(50).optional(),
      days: z.coerce.number().int().min(1).max(365).optional(),
    }),
    response: z.object({
      from: z.string(),
      to: z.string(),
      threshold: z.number(),
      days: z.number(),
      heat: z.object({
        months: z.array(z.string()),
        cells: z.array(z.object({ category: z.string(), place: z.string(), month: z.string(), count: z.number() })),
      }),
      candidates: z.array(
        z.object({
          category: z.string(),
          place: z.string(),
          count: z.number(),
          first: z.number(),
          last: z.number(),
          caseNumbers: z.array(z.string()),
        }),
      ),
    }),
  }),
  audit: route({
    method: 'GET',
    path: '/staff/api/audit',
    summary: 'the audit log, newest first',
    response: z.object({ entries: z.array(AuditRow) }),
  }),
  auditCsv: route({
    method: 'GET',
    path: '/staff/api/audit.csv',
    summary: 'the audit log as CSV',
    response: z.string(),
    produces: 'text/csv',
  }),
};
