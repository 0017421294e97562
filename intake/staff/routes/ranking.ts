// The three rates as a ranking (issue 15 item 6): units or villages for a chosen week or month,
// with the rank in the period before and the change; as CSV (zh or en headers) for the weekly
// meeting. The ranking rule is casework/ranking.ts; the page prints it (print view of the rates page).
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { staffApi } from '../../../contract/staff/index.ts';
import type { RankingQuery } from '../../../contract/staff/ranking.ts';
import { computeRates, RATE_DEFINITIONS } from '../../casework/rates.ts';
import { periodRange, ranking, rankingCsv, SCORE_WEIGHTS } from '../../casework/ranking.ts';
import { fromWall, localDate } from '../../casework/time.ts';
import { rateInputsBetween } from '../../store/ranking.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings } from '../settings.ts';

export function registerRankingRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;

  async function rankingData(q: z.infer<typeof RankingQuery>) {
    const s = await readSettings(db);
    const p = periodRange(q.date ?? localDate(now(), s.timeZone), q.period);
    const iso = (d: string) => new Date(fromWall(d, '00:00', s.timeZone)).toISOString();
    const rows = computeRates(await rateInputsBetween(db, iso(p.previous.start), iso(p.end)), q.groupBy, q.period, s.timeZone);
    return {
      groupBy: q.groupBy,
      period: q.period,
      range: p,
      rows: ranking(
        rows.filter((r) => r.period === p.key),
        rows.filter((r) => r.period === p.previous.key),
      ),
      weights: SCORE_WEIGHTS,
      definitions: RATE_DEFINITIONS,
    };
  }

  staffRoute(app, sc, { route: staffApi.ranking.get, access: 'report:read' }, async ({ query }) => rankingData(query));

  staffRoute(app, sc, { route: staffApi.ranking.csv, access: 'report:read' }, async ({ query, reply }) => {
    const data = await rankingData(query);
    const what = { zh: { unit: '承办单位', village: '村社区' }, en: { unit: 'units', village: 'villages' } }[query.lang][query.groupBy];
    const name = query.lang === 'zh' ? `三率排名-${what}-${data.range.key}.csv` : `ranking-${what}-${data.range.key}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="ranking-${query.groupBy}-${data.range.key}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`,
      )
      .send(rankingCsv(data.rows, query.lang));
  });
}
