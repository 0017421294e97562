// 渐次升级 (issue 15): raise a case to the named owner of the next level (a supervisor, or the
// current level's owner), hand it back down, the proposals made automatically (overdue, reopened,
// raised again), and a leader's own 包案 list with its clocks.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DeescalateBody, DismissProposalBody, EscalateBody, NumericId } from '../../../contract/staffProcess.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { loadCalendar, readSettings } from '../settings.ts';
import { clockOf } from '../clock.ts';
import { deescalateCase, dismissProposal, escalateCase, openProposals, ownedCases } from '../process.ts';

const Id = z.object({ id: z.uuid() });

export function registerEscalationRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  // case:read: a 包案 leader may hold any role; the handler lets only a supervisor or the level's owner on.
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/cases/:id/escalation', access: 'case:read', params: Id, body: EscalateBody }, async ({ user, params, body }) => (
    escalateCase(db, user, params.id, body, await readSettings(db), sc.now())
  ));
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/cases/:id/escalation/return', access: 'case:read', params: Id, body: DeescalateBody }, async ({ user, params, body }) => (
    deescalateCase(db, user, params.id, body, await readSettings(db), sc.now())
  ));

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/escalations/mine', access: 'case:read' }, async ({ user }) => {
    const s = await readSettings(db);
    const cal = await loadCalendar(db);
    const t = sc.now();
    return {
      cases: (await ownedCases(db, user.id)).map((r) => ({
        id: r.id, caseNumber: r.case_number, summary: r.summary, status: r.status, category: r.category, territory: r.territory, unitName: r.unit_name,
        receivedAt: r.received_at, level: r.escalation_level, since: r.escalated_at, clock: clockOf(r, t, cal, s),
      })),
    };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/escalation-proposals', access: 'case:assign' }, async () => ({
    proposals: (await openProposals(db)).map((p) => ({ id: Number(p.id), caseId: p.case_id, caseNumber: p.case_number, version: p.version, reason: p.reason, level: p.proposed_level, currentLevel: p.escalation_level, at: p.created_at })),
  }));
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/escalation-proposals/:id/dismiss', access: 'case:assign', params: NumericId, body: DismissProposalBody }, async ({ user, params }) => {
    await dismissProposal(db, user, params.id, sc.now());
    return { ok: true };
  });
}
