// A home page per role (issue 15 item 9): today's new cases, waiting for dispatch, due soon,
// overdue (a handler: their units' cases; others: all), the list that is theirs to work — a
// handler's units' open cases, a dispatcher's oldest cases waiting for dispatch, a leader's 包案 —
// and this week's three rates (for those who may read the reports).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { computeRates } from '../../casework/rates.ts';
import { periodRange } from '../../casework/ranking.ts';
import { fromWall, localDate } from '../../casework/time.ts';
import { homeCounts, unitOpenCases, waitingForDispatch } from '../../store/home.ts';
import { rateInputsBetween } from '../../store/ranking.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { ownedCases } from '../../store/staffCases.ts';
import { clockOf } from '../clock.ts';
import { dispatchCutoffs, type ClockRow } from '../../casework/process.ts';
import { can } from '../roles.ts';
import { loadCalendar, readSettings } from '../settings.ts';

export function registerHomeRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.home.get, access: 'case:read' }, async ({ user }) => {
    const s = await readSettings(db);
    const t = now();
    const today = localDate(t, s.timeZone);
    const dispatcher = can(user.role, 'case:assign');
    const iso = (d: string) => new Date(fromWall(d, '00:00', s.timeZone)).toISOString();
    const scope = dispatcher ? null : user.unitIds;
    const cal = await loadCalendar(db);
    // Due soon and overdue by the same clock the rows below show, counted in one aggregate query.
    const counts = await homeCounts(db, scope, {
      todayStartIso: iso(today),
      nowIso: new Date(t).toISOString(),
      ...dispatchCutoffs(t, cal, s.dispatchWorkdays, s.timeZone),
    });
    // Every row on its clock (staff/clock.ts), the same as on the case list and the case view.
    const row = (r: ClockRow & { id: string; case_number: string; summary: string; unit_name?: string | null }) => ({
      id: r.id,
      caseNumber: r.case_number,
      summary: r.summary,
      status: r.status,
      dueAt: r.due_at,
      receivedAt: r.received_at,
      unitName: r.unit_name ?? null,
      clock: clockOf(r, t, cal, s),
    });
    let week = null;
    if (can(user.role, 'report:read')) {
      const p = periodRange(today, 'week');
      const total =
        computeRates(
          (await rateInputsBetween(db, iso(p.start), iso(p.end))).map((c) => ({ ...c, unitId: '*', unitName: '*', village: '*' })),
          'unit',
          'week',
          s.timeZone,
        ).find((r) => r.period === p.key) ?? null;
      week = {
        start: p.start,
        end: p.end,
        evaluated: total?.evaluated ?? 0,
        responseRate: total?.responseRate ?? null,
        resolutionRate: total?.resolutionRate ?? null,
        satisfactionRate: total?.satisfactionRate ?? null,
      };
    }
    return {
      counts,
      myUnits: user.unitIds.length ? (await unitOpenCases(db, user.unitIds)).map(row) : [],
      waiting: dispatcher ? (await waitingForDispatch(db)).map(row) : [],
      owned: (await ownedCases(db, user.id)).map((r) => ({ ...row(r), level: r.escalation_level })),
      week,
    };
  });
}
