// Staff accounts, for admins: list, create, change (role, active, units, password).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AccountError, createUser } from '../accounts.ts';
import { SESSION } from '../sessions.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { ROLES } from '../roles.ts';
import { writeAudit } from '../../store/audit.ts';
import { usersWithUnits } from '../../store/staffUsers.ts';
import { changeUser } from '../userAdmin.ts';
import { Id } from './params.ts';

export function registerUserRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/users', access: 'admin:users' }, async () => ({ users: await usersWithUnits(db) }));

  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/admin/users', access: 'admin:users',
    body: z.object({ username: z.string(), displayName: z.string().min(1).max(40), role: z.enum(ROLES), password: z.string().max(200), unitIds: z.array(z.string()).max(50).default([]) }),
  }, async ({ body, user, request }) => {
    try {
      const u = await createUser(db, body, now());
      await writeAudit(db, { at: now(), user, action: 'user_created', reason: u.username, ip: request.ip, after: { username: u.username, displayName: u.displayName, role: u.role, unitIds: u.unitIds } });
      return { user: u };
    } catch (e) {
      if (e instanceof AccountError) throw new StaffError(e.code === 'exists' ? 'conflict' : 'bad_request', e.code);
      throw e;
    }
  });

  staffRoute(app, sc, {
    method: 'PATCH', url: '/staff/api/admin/users/:id', access: 'admin:users', params: Id,
    body: z.object({ role: z.enum(ROLES).optional(), active: z.boolean().optional(), unitIds: z.array(z.string()).max(50).optional(), password: z.string().max(200).optional(), confirmRoleChange: z.boolean().optional() }),
  }, async ({ params, body, user, request }) => {
    await changeUser(db, user, params.id, body, { ip: request.ip, now: now(), sessionToken: request.cookies[SESSION.cookie] });
    return { ok: true };
  });
}
