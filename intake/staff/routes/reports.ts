// Reports: callback rates per unit or village and period, and recurring problems (heat map, candidates).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import type { CaseStatus } from '../../casework/status.ts';
import { computeRates, periodsBetween, RATE_DEFINITIONS } from '../../casework/rates.ts';
import { heatMap, recurringCandidates, type RecurCase } from '../../casework/recurring.ts';
import { addDays, fromWall, localDate } from '../../casework/time.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings } from '../settings.ts';
import { categorisedCasesBetween } from '../../store/staffCases.ts';
import { rateInputsBetween } from '../../store/ranking.ts';

export function registerReportRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;

  staffRoute(app, sc, { route: staffApi.reports.rates, access: 'report:read' }, async ({ query }) => {
    const s = await readSettings(db);
    const to = query.to ?? localDate(now(), s.timeZone);
    const from =
      query.from ??
      new Date(Date.parse(`${to}T00:00:00Z`) - (query.period === 'week' ? 12 * 7 : 365) * 86_400_000).toISOString().slice(0, 10);
    const rc = await rateInputsBetween(
      db,
      new Date(fromWall(from, '00:00', s.timeZone)).toISOString(),
      new Date(fromWall(addDays(to, 1), '00:00', s.timeZone)).toISOString(),
    );
    return {
      groupBy: query.groupBy,
      period: query.period,
      from,
      to,
      periods: periodsBetween(fromWall(from, '12:00', s.timeZone), fromWall(to, '12:00', s.timeZone), query.period, s.timeZone),
      rows: computeRates(rc, query.groupBy, query.period, s.timeZone),
      total: computeRates(
        rc.map((c) => ({ ...c, unitId: '*', unitName: '*', village: '*' })),
        'unit',
        query.period,
        s.timeZone,
      ),
      definitions: RATE_DEFINITIONS,
    };
  });

  staffRoute(app, sc, { route: staffApi.reports.recurring, access: 'report:read' }, async ({ query }) => {
    const s = await readSettings(db);
    const to = query.to ?? localDate(now(), s.timeZone);
    const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    const rows = await categorisedCasesBetween(
      db,
      new Date(fromWall(from, '00:00', s.timeZone)).toISOString(),
      new Date(fromWall(addDays(to, 1), '00:00', s.timeZone)).toISOString(),
    );
    const rc: RecurCase[] = rows.map((r) => ({
      id: r.id,
      caseNumber: r.case_number,
      receivedAt: Date.parse(r.received_at),
      category: r.category,
      place: r.location,
      status: r.status as CaseStatus,
    }));
    const threshold = query.threshold ?? s.recurThreshold;
    const days = query.days ?? s.recurDays;
    return {
      from,
      to,
      threshold,
      days,
      heat: heatMap(rc, s.timeZone),
      candidates: recurringCandidates(rc, { threshold, days, tz: s.timeZone }),
    };
  });
}
