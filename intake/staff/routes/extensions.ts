// 延期 (issue 15): the unit asks for a later due date with a reason; a supervisor approves (the due
// date moves) or refuses. Both are in the case history, the audit log and the inbox.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings } from '../settings.ts';
import { decideExtension, pendingExtensions, requestExtension } from '../process.ts';

export function registerExtensionRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  staffRoute(app, sc, { route: staffApi.process.requestExtension, access: 'case:work' }, async ({ user, params, body, request }) => ({
    id: await requestExtension(db, user, params.id, body, await readSettings(db), request.ip, sc.now()),
  }));

  staffRoute(app, sc, { route: staffApi.process.extensions, access: 'case:assign' }, async () => ({
    extensions: (await pendingExtensions(db)).map((e) => ({
      id: Number(e.id),
      caseId: e.case_id,
      caseNumber: e.case_number,
      unitName: e.unit_name,
      requestedAt: e.requested_at,
      reason: e.reason,
      newDueDate: e.new_due_date,
      oldDueAt: e.old_due_at,
    })),
  }));

  staffRoute(app, sc, { route: staffApi.process.decideExtension, access: 'case:assign' }, async ({ user, params, body, request }) => {
    await decideExtension(db, user, params.id, body, await readSettings(db), request.ip, sc.now());
    return { ok: true as const };
  });
}
