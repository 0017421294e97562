// An admin changes a staff account: role, active, units, password. Every change is audited with
// before and after; a role change must be confirmed (the API answers 409 confirm_role_change
// until it is) and ends the user's other sessions, so the new role applies at once everywhere.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { writeAudit } from '../store/audit.ts';
import { AccountError, setPassword, type StaffUser } from './accounts.ts';
import { StaffError } from './http.ts';
import type { Role } from './roles.ts';
import { endSessionsOf } from './sessions.ts';

export interface UserChange {
  role?: Role;
  active?: boolean;
  unitIds?: string[];
  password?: string;
  confirmRoleChange?: boolean;
}
export interface ActContext {
  ip: string | null;
  now: number;
  sessionToken?: string;
}

export async function changeUser(
  db: Kysely<IntakeDatabase>,
  actor: StaffUser,
  id: string,
  change: UserChange,
  ctx: ActContext,
): Promise<void> {
  if (id === actor.id && (change.active === false || (change.role && change.role !== 'admin')))
    throw new StaffError('bad_request', 'cannot_demote_self');
  const row = await db.selectFrom('staff_users').select(['id', 'username', 'role', 'active']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new StaffError('not_found', 'no_such_user');
  const roleChanges = change.role !== undefined && change.role !== row.role;
  if (roleChanges && change.confirmRoleChange !== true) throw new StaffError('conflict', 'confirm_role_change');
  if (change.password) {
    try {
      await setPassword(db, id, change.password);
    } catch (e) {
      if (e instanceof AccountError) throw new StaffError('bad_request', e.code);
      throw e;
    }
    await writeAudit(db, { at: ctx.now, user: actor, action: 'password_reset', reason: row.username, ip: ctx.ip });
  }
  const unitsBefore = (await db.selectFrom('staff_user_units').select('unit_id').where('user_id', '=', id).execute())
    .map((u) => u.unit_id)
    .sort();
  await db.transaction().execute(async (trx) => {
    if (roleChanges) {
      await trx.updateTable('staff_users').set({ role: change.role! }).where('id', '=', id).execute();
      await writeAudit(trx, {
        at: ctx.now,
        user: actor,
        action: 'role_changed',
        reason: row.username,
        ip: ctx.ip,
        before: { role: row.role },
        after: { role: change.role },
      });
      // The new role applies at once: the user logs in again everywhere (the admin keeps their own session).
      await endSessionsOf(trx, id, ctx.sessionToken);
    }
    const before: Record<string, unknown> = {};
    const after: Record<string, unknown> = {};
    if (change.active !== undefined && change.active !== (row.active === 1)) {
      await trx
        .updateTable('staff_users')
        .set({ active: change.active ? 1 : 0 })
        .where('id', '=', id)
        .execute();
      if (!change.active) await endSessionsOf(trx, id);
      before.active = row.active === 1;
      after.active = change.active;
    }
    if (change.unitIds) {
      const next = [...new Set(change.unitIds)].sort();
      if (JSON.stringify(next) !== JSON.stringify(unitsBefore)) {
        await trx.deleteFrom('staff_user_units').where('user_id', '=', id).execute();
        for (const unit_id of next) await trx.insertInto('staff_user_units').values({ user_id: id, unit_id }).execute();
        before.unitIds = unitsBefore;
        after.unitIds = next;
      }
    }
    if (Object.keys(after).length)
      await writeAudit(trx, { at: ctx.now, user: actor, action: 'user_changed', reason: row.username, ip: ctx.ip, before, after });
  });
}
