// The working calendar, for admins: the known years and the overrides; change overrides and
// confirm years (audited; deadlines recomputed).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings, loadCalendar } from '../settings.ts';
import { recomputeDeadlines } from '../cases.ts';
import { writeAudit } from '../../store/audit.ts';
import { calendarOverrides, confirmedYears, overridesOn, saveCalendar } from '../../store/calendar.ts';

export function registerCalendarRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.admin.calendar, access: 'admin:settings' }, async () => {
    const cal = await loadCalendar(db);
    return { years: cal.knownYears().filter((y) => y.year >= 2024), overrides: await calendarOverrides(db) };
  });
  staffRoute(app, sc, { route: staffApi.admin.changeCalendar, access: 'admin:settings' }, async ({ body, user, request }) => {
    const iso = new Date(now()).toISOString();
    const dates = body.overrides.map((o) => o.date);
    const old = await overridesOn(db, dates);
    const oldYears = await confirmedYears(db);
    await db.transaction().execute(async (trx) => {
      await writeAudit(trx, {
        at: now(),
        user,
        action: 'calendar_changed',
        reason: [...dates, ...body.confirmYears.map(String)].join(','),
        ip: request.ip,
        before: {
          overrides: dates.map((d) => old.find((o) => o.date === d) ?? { date: d, kind: 'normal', name: '' }),
          confirmedYears: body.confirmYears.filter((y) => oldYears.includes(y)),
        },
        after: { overrides: body.overrides, confirmedYears: body.confirmYears },
      });
      await saveCalendar(trx, body.overrides, body.confirmYears, user.username, iso);
    });
    const recomputed = await recomputeDeadlines(db, await loadCalendar(db), await readSettings(db));
    return { ok: true as const, recomputed };
  });
}
