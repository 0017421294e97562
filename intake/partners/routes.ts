// Partner routes beside Open311 (issue 19): the three rates for a key with rates:read, as the
// staff app's 三率 page computes them (intake/casework/rates.ts), per unit or village, per week or
// month. JSON only; errors as { error: { code, message } } like the intake's other JSON APIs.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { IntakeDatabase } from '../store/schema.ts';
import type { CaseStatus } from '../casework/status.ts';
import { computeRates, RATE_DEFINITIONS, type RateCase, type Satisfaction } from '../casework/rates.ts';
import { addDays, fromWall, isIsoDate, localDate } from '../casework/time.ts';
import { readSettings } from '../staff/settings.ts';
import { rateCases } from '../store/open311.ts';
import type { KeyGate } from './keyAuth.ts';

export const PARTNER_PREFIX = '/partner/v1';

const DateParam = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
export const RatesQuery = z.object({
  groupBy: z.enum(['unit', 'village']).default('unit'),
  period: z.enum(['week', 'month']).default('month'),
  from: DateParam.optional(),
  to: DateParam.optional(),
});

export function registerPartnerRoutes(app: FastifyInstance, opts: { db: Kysely<IntakeDatabase>; gate: KeyGate; now: () => number }): void {
  const { db } = opts;
  app.get(`${PARTNER_PREFIX}/rates`, async (request, reply) => {
    const k = await opts.gate.check(request, 'rates:read');
    if (!k.ok) {
      if (k.retryAfterSec) reply.header('retry-after', String(k.retryAfterSec));
      return reply.code(k.status).send({ error: { code: k.code, message: k.description } });
    }
    const q = RatesQuery.safeParse(request.query);
    if (!q.success) return reply.code(400).send({ error: { code: 'bad_request', message: z.prettifyError(q.error) } });
    const s = await readSettings(db);
    const to = q.data.to ?? localDate(opts.now(), s.timeZone);
    const from = q.data.from ?? addDays(to, q.data.period === 'week' ? -12 * 7 : -365);
    if (from > to) return reply.code(400).send({ error: { code: 'bad_range', message: 'from is after to' } });
    const rows = await rateCases(
      db,
      new Date(fromWall(from, '00:00', s.timeZone)).toISOString(),
      new Date(fromWall(addDays(to, 1), '00:00', s.timeZone)).toISOString(),
    );
    const rc: RateCase[] = rows.map((r) => ({
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
    }));
    return {
      groupBy: q.data.groupBy,
      period: q.data.period,
      from,
      to,
      rows: computeRates(rc, q.data.groupBy, q.data.period, s.timeZone),
      total: computeRates(
        rc.map((c) => ({ ...c, unitId: '*', unitName: '*', village: '*' })),
        'unit',
        q.data.period,
        s.timeZone,
      ),
      definitions: RATE_DEFINITIONS,
    };
  });
}
