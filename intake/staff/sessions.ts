// Server-side sessions. The cookie holds 32 random bytes; the table holds only their sha256, so a
// copy of the database cannot be replayed as a login. Each session has its own CSRF token, which
// the app reads from /staff/api/me and sends back in the x-csrf-token header on every change.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';

export const SESSION = {
  cookie: 'sb_staff',
  absoluteHours: 12, // one working day, then log in again
  idleMinutes: 120,
  touchEverySeconds: 60,
} as const;

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

export async function createSession(db: Kysely<IntakeDatabase>, userId: string, now: number): Promise<{ token: string; csrf: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const iso = new Date(now).toISOString();
  await db
    .insertInto('staff_sessions')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      csrf_token: csrf,
      created_at: iso,
      last_seen_at: iso,
      expires_at: new Date(now + SESSION.absoluteHours * 3_600_000).toISOString(),
    })
    .execute();
  return { token, csrf };
}

export async function resolveSession(
  db: Kysely<IntakeDatabase>,
  token: string,
  now: number,
): Promise<{ userId: string; csrf: string } | null> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
  const idHash = sha256(token);
  const row = await db.selectFrom('staff_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return null;
  const idleSince = now - Date.parse(row.last_seen_at);
  if (Date.parse(row.expires_at) <= now || idleSince > SESSION.idleMinutes * 60_000) {
    await db.deleteFrom('staff_sessions').where('id_hash', '=', idHash).execute();
    return null;
  }
  if (idleSince > SESSION.touchEverySeconds * 1000) {
    await db
      .updateTable('staff_sessions')
      .set({ last_seen_at: new Date(now).toISOString() })
      .where('id_hash', '=', idHash)
      .execute();
  }
  return { userId: row.user_id, csrf: row.csrf_token };
}

export async function destroySession(db: Kysely<IntakeDatabase>, token: string): Promise<void> {
  await db.deleteFrom('staff_sessions').where('id_hash', '=', sha256(token)).execute();
}

export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Ends every session of a user but the one whose cookie is `keepToken` (the admin's own, when it is theirs). */
export async function endSessionsOf(db: Kysely<IntakeDatabase>, userId: string, keepToken?: string): Promise<void> {
  let q = db.deleteFrom('staff_sessions').where('user_id', '=', userId);
  if (keepToken) q = q.where('id_hash', '!=', sha256(keepToken));
  await q.execute();
}
