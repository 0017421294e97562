// Staff login throttling that slows an attacker and alerts admins but cannot lock anyone out:
// failures are counted per account AND client address, so guessing at an account from one place
// delays only that place; the account's owner logs in from elsewhere at once (the old per-account
// lockout let anyone who could reach the login page keep any admin out). Delays grow with the
// failures: none for the first THROTTLE.free, then 1 s, 2 s, 4 s … up to THROTTLE.maxDelaySec.
// At THROTTLE.alertAt failures, and every THROTTLE.alertEvery after, admins are told: a row in the
// audit log (the staff app's audit page) and a POST to the admin's webhook (no password, ever).
// In the store, so every intake process on one Postgres sees the same counts.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { createLogger } from '../../lib/log.ts';
import { fetchPost, type Post } from './reminders.ts';
import { readSettings } from './settings.ts';

const log = createLogger('staff-login');

export const THROTTLE = { free: 3, maxDelaySec: 900, alertAt: 5, alertEvery: 10 } as const;

/** Seconds to wait after the n-th consecutive failure (per account + client). */
export function delayAfter(failures: number): number {
  if (failures < THROTTLE.free) return 0;
  return Math.min(2 ** (failures - THROTTLE.free), THROTTLE.maxDelaySec);
}

export type ThrottleCheck = { allowed: true } | { allowed: false; retryAfterSec: number };

export class LoginThrottle {
  constructor(
    private readonly db: Kysely<IntakeDatabase>,
    private readonly post: Post = fetchPost,
  ) {}

  async check(username: string, client: string, now: number): Promise<ThrottleCheck> {
    const row = await this.db
      .selectFrom('login_throttle')
      .select('next_allowed_at')
      .where('username', '=', username)
      .where('client', '=', client)
      .executeTakeFirst();
    if (!row || row.next_allowed_at <= now) return { allowed: true };
    return { allowed: false, retryAfterSec: Math.ceil((row.next_allowed_at - now) / 1000) };
  }

  /** Counts a failure (atomically: two processes failing at once count two); alerts when due. */
  async fail(username: string, client: string, now: number): Promise<{ failures: number; retryAfterSec: number }> {
    const row = await this.db
      .insertInto('login_throttle')
      .values({ username, client, failures: 1, last_failure_at: now, next_allowed_at: now + delayAfter(1) * 1000 })
      .onConflict((oc) =>
        oc.columns(['username', 'client']).doUpdateSet((eb) => ({ failures: eb('login_throttle.failures', '+', 1), last_failure_at: now })),
      )
      .returning('failures')
      .executeTakeFirstOrThrow();
    const failures = Number(row.failures);
    const retryAfterSec = delayAfter(failures);
    await this.db
      .updateTable('login_throttle')
      .set({ next_allowed_at: now + retryAfterSec * 1000 })
      .where('username', '=', username)
      .where('client', '=', client)
      .execute();
    if (failures === THROTTLE.alertAt || (failures > THROTTLE.alertAt && (failures - THROTTLE.alertAt) % THROTTLE.alertEvery === 0))
      await this.alert(username, client, failures, now);
    return { failures, retryAfterSec };
  }

  async succeed(username: string, client: string): Promise<void> {
    await this.db.deleteFrom('login_throttle').where('username', '=', username).where('client', '=', client).execute();
  }

  private async alert(username: string, client: string, failures: number, now: number): Promise<void> {
    log.warn({ username, client, failures }, 'repeated failed staff logins');
    const user = await this.db.selectFrom('staff_users').select('id').where('username', '=', username).executeTakeFirst();
    await this.db
      .insertInto('audit_log')
      .values({
        at: new Date(now).toISOString(),
        user_id: user?.id ?? '',
        username,
        action: 'login_throttled',
        case_id: null,
        case_number: null,
        reason: `${failures} failed logins from ${client}`,
        ip: client,
      })
      .execute();
    const { webhookUrl } = await readSettings(this.db);
    if (!webhookUrl) return;
    const body = {
      type: 'staff.login_failures',
      username,
      client,
      failures,
      at: new Date(now).toISOString(),
      text: `工作台账号 ${username} 在 ${client} 连续登录失败 ${failures} 次，请管理员核查`,
    };
    await this.post(webhookUrl, body).catch((e: unknown) => log.warn({ err: (e as Error).message }, 'login alert webhook failed'));
  }
}
