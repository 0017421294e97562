// Staff accounts, for admins: list, create, change (role, active, units, password).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { AccountError, createUser } from '../accounts.ts';
import { SESSION } from '../sessions.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { writeAudit } from '../../store/audit.ts';
import { usersWithUnits } from '../../store/staffUsers.ts';
import { changeUser } from '../userAdmin.ts';

export function registerUserRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.admin.users, access: 'admin:users' }, async () => ({ users: await usersWithUnits(db) }));

  staffRoute(app, sc, { route: staffApi.admin.createUser, access: 'admin:users' }, async ({ body, user, request }) => {
    try {
      const u = await createUser(db, body, now());
      await writeAudit(db, {
        at: now(),
        user,
        action: 'user_created',
        reason: u.username,
        ip: request.ip,
        after: { username: u.username, displayName: u.displayName, role: u.role, unitIds: u.unitIds },
      });
      return { user: u };
    } catch (e) {
      if (e instanceof AccountError) throw new StaffError(e.code === 'exists' ? 'conflict' : 'bad_request', e.code);
      throw e;
    }
  });

  staffRoute(app, sc, { route: staffApi.admin.changeUser, access: 'admin:users' }, async ({ params, body, user, request }) => {
    await changeUser(db, user, params.id, body, { ip: request.ip, now: now(), sessionToken: request.cookies[SESSION.cookie] });
    return { ok: true as const };
  });
}
