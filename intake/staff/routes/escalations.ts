// 渐次升级 (issue 15): raise a case to the named owner of the next level (a supervisor, or the
// current level's owner), hand it back down, the proposals made automatically (overdue, reopened,
// raised again), and a leader's own 包案 list with its clocks.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { loadCalendar, readSettings } from '../settings.ts';
import { clockOf } from '../clock.ts';
import { deescalateCase, dismissProposal, escalateCase, openProposals } from '../process.ts';
import { ownedCases } from '../../store/staffCases.ts';

export function registerEscalationRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  // case:read: a 包案 leader may hold any role; the handler lets only a supervisor or the level's owner on.
  staffRoute(app, sc, { route: staffApi.process.escalate, access: 'case:read' }, async ({ user, params, body }) =>
    escalateCase(db, user, params.id, body, await readSettings(db), sc.now()),
  );
  staffRoute(app, sc, { route: staffApi.process.deescalate, access: 'case:read' }, async ({ user, params, body }) =>
    deescalateCase(db, user, params.id, body, await readSettings(db), sc.now()),
  );

  staffRoute(app, sc, { route: staffApi.process.mine, access: 'case:read' }, async ({ user }) => {
    const s = await readSettings(db);
    const cal = await loadCalendar(db);
    const t = sc.now();
    return {
      cases: (await ownedCases(db, user.id)).map((r) => ({
        id: r.id,
        caseNumber: r.case_number,
        summary: r.summary,
        status: r.status,
        category: r.category,
        territory: r.territory,
        unitName: r.unit_name,
        receivedAt: r.received_at,
        level: r.escalation_level,
        since: r.escalated_at,
        clock: clockOf(r, t, cal, s),
      })),
    };
  });

  staffRoute(app, sc, { route: staffApi.process.proposals, access: 'case:assign' }, async () => ({
    proposals: (await openProposals(db)).map((p) => ({
      id: Number(p.id),
      caseId: p.case_id,
      caseNumber: p.case_number,
      version: p.version,
      reason: p.reason,
      level: p.proposed_level,
      currentLevel: p.escalation_level,
      at: p.created_at,
    })),
  }));
  staffRoute(app, sc, { route: staffApi.process.dismissProposal, access: 'case:assign' }, async ({ user, params }) => {
    await dismissProposal(db, user, params.id, sc.now());
    return { ok: true as const };
  });
}
