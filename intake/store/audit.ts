// The audit log: every privileged act (a reveal, an account / role / unit / setting / calendar
// change) is one row, written with the change in the same transaction. `action` is a stable code
// the staff app translates (intake/web/i18n.ts `audit.*`); `detail` holds {before, after}.
import type { Kysely, Transaction } from 'kysely';
import type { IntakeDatabase } from './schema.ts';

export const AUDIT_ACTIONS = [
  'reveal_identity', // a supervisor saw the identity of a real-name case
  'reveal_contact', // a handler saw the callback phone of a case of their unit
  'user_created',
  'user_changed', // active, units
  'role_changed', // confirmed by the admin; the user's other sessions end
  'password_reset',
  'unit_created',
  'settings_changed',
  'booth_settings_changed',
  'calendar_changed',
  'extension_requested', // 延期 asked by the unit: due date before / asked
  'extension_decided', // 延期 approved or refused by a supervisor: due date before / after
  'attachment_added', // a staff attachment (after-photo, document) on a case: after = its title, type, size, hash
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  at: number;
  user: { id: string; username: string };
  action: AuditAction;
  caseId?: string | null;
  caseNumber?: string | null;
  /** A typed reason (reveals) or a short machine description of the change. */
  reason?: string;
  ip: string | null;
  before?: unknown;
  after?: unknown;
}

type Db = Kysely<IntakeDatabase> | Transaction<IntakeDatabase>;

export async function writeAudit(db: Db, e: AuditEntry): Promise<void> {
  const detail =
    e.before === undefined && e.after === undefined ? null : JSON.stringify({ before: e.before ?? null, after: e.after ?? null });
  await db
    .insertInto('audit_log')
    .values({
      at: new Date(e.at).toISOString(),
      user_id: e.user.id,
      username: e.user.username,
      action: e.action,
      case_id: e.caseId ?? null,
      case_number: e.caseNumber ?? null,
      reason: e.reason ?? '',
      ip: e.ip,
      detail,
    })
    .execute();
}

export function auditEntries(db: Db, limit = 5000) {
  return db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit).execute();
}

/** Only the keys whose values differ, as {before, after}: an audit row says what changed. */
export function changedKeys<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
): { before: Partial<T>; after: Partial<T> } | null {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const k of Object.keys(after) as (keyof T)[]) {
    if (after[k] !== undefined && JSON.stringify(before[k]) !== JSON.stringify(after[k])) {
      b[k] = before[k];
      a[k] = after[k];
    }
  }
  return Object.keys(a).length ? { before: b, after: a } : null;
}
