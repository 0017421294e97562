// Staff accounts: argon2id password hashes (@node-rs/argon2) and the units a handler works for.
// Repeated failures slow the account + client that makes them (loginThrottle.ts); nothing locks an
// account (a lockout let anyone keep any admin out).
import { hash, verify } from '@node-rs/argon2';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { type Role, isRole } from './roles.ts';

export const PASSWORD_MIN = 10;

export interface StaffUser {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  unitIds: string[];
}

export class AccountError extends Error {
  constructor(
    readonly code: 'weak_password' | 'bad_username' | 'bad_role' | 'exists' | 'not_found',
    message: string,
  ) {
    super(message);
  }
}

// A hash of a random password, verified against when the user does not exist, so the response
// time does not tell an attacker which user names exist.
let dummyHash: Promise<string> | null = null;

export function checkPassword(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `password must be at least ${PASSWORD_MIN} characters`;
  if (/^(.)\1+$/.test(password) || /^(0123456789|1234567890|password|qwerty)/i.test(password)) return 'password is too easy to guess';
  return null;
}

/** Whether any active staff account exists (a fresh back office has none: no default password). */
export async function hasStaffAccounts(db: Kysely<IntakeDatabase>): Promise<boolean> {
  return (await db.selectFrom('staff_users').select('id').where('active', '=', 1).limit(1).executeTakeFirst()) !== undefined;
}

export async function createUser(
  db: Kysely<IntakeDatabase>,
  u: { username: string; displayName: string; role: Role; password: string; unitIds?: string[] },
  now: number,
): Promise<StaffUser> {
  if (!/^[a-z0-9_.-]{2,32}$/.test(u.username)) throw new AccountError('bad_username', 'user names are 2–32 of a-z 0-9 _ . -');
  if (!isRole(u.role)) throw new AccountError('bad_role', `unknown role ${String(u.role)}`);
  const weak = checkPassword(u.password);
  if (weak) throw new AccountError('weak_password', weak);
  const existing = await db.selectFrom('staff_users').select('id').where('username', '=', u.username).executeTakeFirst();
  if (existing) throw new AccountError('exists', `user ${u.username} already exists`);
  const id = randomUUID();
  const password_hash = await hash(u.password);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('staff_users')
      .values({
        id,
        username: u.username,
        display_name: u.displayName,
        password_hash,
        role: u.role,
        created_at: new Date(now).toISOString(),
      })
      .execute();
    for (const unit_id of u.unitIds ?? []) await trx.insertInto('staff_user_units').values({ user_id: id, unit_id }).execute();
  });
  return { id, username: u.username, displayName: u.displayName, role: u.role, unitIds: u.unitIds ?? [] };
}

export async function setPassword(db: Kysely<IntakeDatabase>, userId: string, password: string): Promise<void> {
  const weak = checkPassword(password);
  if (weak) throw new AccountError('weak_password', weak);
  await db
    .updateTable('staff_users')
    .set({ password_hash: await hash(password), failed_logins: 0, locked_until: null })
    .where('id', '=', userId)
    .execute();
  // A new password ends every session of that user.
  await db.deleteFrom('staff_sessions').where('user_id', '=', userId).execute();
}

export async function userById(db: Kysely<IntakeDatabase>, id: string): Promise<StaffUser | null> {
  const row = await db.selectFrom('staff_users').selectAll().where('id', '=', id).where('active', '=', 1).executeTakeFirst();
  if (!row || !isRole(row.role)) return null;
  const units = await db.selectFrom('staff_user_units').select('unit_id').where('user_id', '=', id).execute();
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role, unitIds: units.map((x) => x.unit_id) };
}

export type LoginResult = { ok: true; user: StaffUser } | { ok: false; reason: 'invalid' };

export async function checkLogin(db: Kysely<IntakeDatabase>, username: string, password: string): Promise<LoginResult> {
  const row = await db.selectFrom('staff_users').selectAll().where('username', '=', username).where('active', '=', 1).executeTakeFirst();
  if (!row) {
    dummyHash ??= hash(randomUUID());
    await verify(await dummyHash, password);
    return { ok: false, reason: 'invalid' };
  }
  if (!(await verify(row.password_hash, password))) return { ok: false, reason: 'invalid' };
  await db.updateTable('staff_users').set({ failed_logins: 0, locked_until: null }).where('id', '=', row.id).execute();
  const user = await userById(db, row.id);
  return user ? { ok: true, user } : { ok: false, reason: 'invalid' };
}

export async function countAdmins(db: Kysely<IntakeDatabase>): Promise<number> {
  const r = await db
    .selectFrom('staff_users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('active', '=', 1)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
