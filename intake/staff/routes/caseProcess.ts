// 签收 and 退单 (issue 15): the assigned unit acknowledges its case, or returns a wrongly assigned
// one to dispatch with a reason; and the process state of one case for its view (its clock, 签收,
// 渐次升级 level and owner, 延期 requests, open proposals).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { applyEvent, caseOrThrow } from '../cases.ts';
import { loadCalendar, readSettings } from '../settings.ts';
import { clockOf } from '../clock.ts';
import { extensionsOf } from '../process.ts';

export function registerCaseProcessRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  staffRoute(app, sc, { route: staffApi.process.acknowledge, access: 'case:work' }, async ({ user, params, body }) => ({
    status: await applyEvent(
      db,
      user,
      params.id,
      body.version,
      { type: 'acknowledge' },
      await loadCalendar(db),
      await readSettings(db),
      sc.now(),
    ),
  }));

  staffRoute(app, sc, { route: staffApi.process.return, access: 'case:work' }, async ({ user, params, body }) => ({
    status: await applyEvent(
      db,
      user,
      params.id,
      body.version,
      { type: 'return', reason: body.reason },
      await loadCalendar(db),
      await readSettings(db),
      sc.now(),
    ),
  }));

  staffRoute(app, sc, { route: staffApi.process.state, access: 'case:read' }, async ({ params }) => {
    const row = await caseOrThrow(db, params.id);
    const s = await readSettings(db);
    const owner = row.escalation_owner_id
      ? await db.selectFrom('staff_users').select(['id', 'display_name']).where('id', '=', row.escalation_owner_id).executeTakeFirst()
      : undefined;
    const proposals = await db
      .selectFrom('escalation_proposals')
      .select(['id', 'reason', 'proposed_level', 'created_at'])
      .where('case_id', '=', row.id)
      .where('state', '=', 'open')
      .orderBy('id')
      .execute();
    return {
      clock: clockOf(row, sc.now(), await loadCalendar(db), s),
      ackDueAt: row.ack_due_at,
      acknowledgedAt: row.acknowledged_at,
      returnedAt: row.returned_at,
      extendedDueDate: row.extended_due_date,
      escalation:
        row.escalation_level === null
          ? null
          : {
              level: row.escalation_level,
              ownerId: row.escalation_owner_id,
              ownerName: owner?.display_name ?? null,
              since: row.escalated_at,
            },
      extensions: (await extensionsOf(db, row.id)).map((e) => ({
        id: Number(e.id),
        requestedAt: e.requested_at,
        requestedBy: e.requested_by_name,
        reason: e.reason,
        newDueDate: e.new_due_date,
        state: e.state,
        decidedAt: e.decided_at,
        note: e.decision_note,
      })),
      proposals: proposals.map((p) => ({ id: Number(p.id), reason: p.reason, level: p.proposed_level, at: p.created_at })),
    };
  });
}
