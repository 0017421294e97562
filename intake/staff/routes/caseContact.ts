// A handler calls the resident back: they may see the callback phone of a case assigned to one of
// their units (supervisors and above: any case), after typing why. Not the ID data (that stays
// identity:reveal, supervisors). Each reveal is in the audit log and in the case history.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { staffRoute, type StaffContext } from '../http.ts';
import { revealContact } from '../cases.ts';

export const RevealContactBody = z.object({ reason: z.string().trim().min(4, 'reason_too_short').max(500) });

export function registerCaseContactRoutes(app: FastifyInstance, sc: StaffContext, contactKey: Buffer): void {
  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/cases/:id/reveal-contact', access: 'contact:reveal', params: z.object({ id: z.uuid() }), body: RevealContactBody,
  }, async ({ user, params, body, request }) => ({ phone: await revealContact(sc.db, user, params.id, body.reason, contactKey, request.ip, sc.now()) }));
}
