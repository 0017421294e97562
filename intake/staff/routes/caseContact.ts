// A handler calls the resident back: they may see the callback phone of a case assigned to one of
// their units (supervisors and above: any case), after typing why. Not the ID data (that stays
// identity:reveal, supervisors). Each reveal is in the audit log and in the case history.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { revealContact } from '../cases.ts';

export function registerCaseContactRoutes(app: FastifyInstance, sc: StaffContext, contactKey: Buffer): void {
  staffRoute(app, sc, { route: staffApi.cases.revealContact, access: 'contact:reveal' }, async ({ user, params, body, request }) => ({
    phone: await revealContact(sc.db, user, params.id, body.reason, contactKey, request.ip, sc.now()),
  }));
}
