// Staff accounts as the admin's user list shows them (accounts.ts owns login and creation).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

export async function usersWithUnits(db: Kysely<IntakeDatabase>) {
  const users = await db
    .selectFrom('staff_users')
    .select(['id', 'username', 'display_name', 'role', 'active', 'created_at', 'locked_until'])
    .orderBy('username')
    .execute();
  const links = await db.selectFrom('staff_user_units').selectAll().execute();
  return users.map((u) => ({ ...u, unitIds: links.filter((l) => l.user_id === u.id).map((l) => l.unit_id) }));
}
