// Audit rows for what an admin does to partner access (keys, webhook endpoints, resends).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

export async function auditPartnerAction(
  db: Kysely<IntakeDatabase>,
  who: { id: string; username: string },
  action: string,
  reason: string,
  ip: string | null,
  now: number,
): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: new Date(now).toISOString(),
      user_id: who.id,
      username: who.username,
      action,
      case_id: null,
      case_number: null,
      reason,
      ip,
    })
    .execute();
}
