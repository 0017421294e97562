// The daily / weekly / monthly case lists for the meeting, as JSON and as CSV.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import type { CaseStatus } from '../../casework/status.ts';
import { LIST_COLUMNS, listCsv, listRows, type ListCase } from '../../casework/dailyList.ts';
import { dailyWindow, monthlyWindow, weeklyWindow, type ListSettings } from '../../casework/window.ts';
import { localDate } from '../../casework/time.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings } from '../settings.ts';
import { casesReceivedBetween } from '../../store/staffCases.ts';

export function registerListRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  async function listData(kind: 'daily' | 'weekly' | 'monthly', date: string | undefined, lang: 'zh' | 'en') {
    const s = await readSettings(db);
    const ls: ListSettings = { cutoff: s.listCutoff, meeting: s.meetingTime, tz: s.timeZone };
    const d = date ?? localDate(now(), s.timeZone);
    const w = kind === 'daily' ? dailyWindow(d, ls) : kind === 'weekly' ? weeklyWindow(d, ls) : monthlyWindow(d, ls);
    const rows = await casesReceivedBetween(db, new Date(w.start).toISOString(), new Date(w.end).toISOString());
    const list: ListCase[] = rows.map((r) => ({
      caseNumber: r.case_number,
      receivedAt: Date.parse(r.received_at),
      dispatchedAt: r.dispatched_at ? Date.parse(r.dispatched_at) : null,
      summary: r.summary,
      location: r.location ?? '',
      unitName: r.unit_name,
      territory: r.territory,
      status: r.status as CaseStatus,
      result: r.result,
    }));
    return {
      kind,
      date: d,
      window: { start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), label: w.label },
      meeting: s.meetingTime,
      rows: listRows(list, w, s.timeZone, lang),
    };
  }

  staffRoute(app, sc, { route: staffApi.reports.list, access: 'list:read' }, async ({ query }) => ({
    ...(await listData(query.kind, query.date, query.lang)),
    columns: LIST_COLUMNS,
  }));

  staffRoute(app, sc, { route: staffApi.reports.listCsv, access: 'list:read' }, async ({ query, reply }) => {
    const data = await listData(query.kind, query.date, query.lang);
    const name = `${{ daily: '每日清单', weekly: '每周清单', monthly: '每月清单' }[query.kind]}-${data.window.label.replace('/', '_')}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="list-${query.kind}-${data.date}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .send(listCsv(data.rows, query.lang));
  });
}
