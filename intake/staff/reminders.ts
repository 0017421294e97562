// The 4th-working-day reminder: besides the "due soon" page, each reminder is POSTed once to the
// webhook an admin configured (a WeChat Work / DingTalk bot relay, or any HTTP endpoint). The body
// carries the case number, unit and dates only, never the resident's words or identity.
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import { readSettings, type Settings } from './settings.ts';
import { noticeMessage, webhookRequest } from './noticeWebhook.ts';
import { dueDateOf } from '../casework/process.ts';
import { writeCaseHistory } from '../store/caseHistory.ts';
import { WorkLeases } from '../store/leases.ts';
import { everyTick } from './ticker.ts';

/** How long one process holds a reminder while it POSTs it (a process that dies frees it after this). */
export const REMINDER_LEASE_MS = 5 * 60_000;

const log = createLogger('reminders');

export type Post = (url: string, body: unknown) => Promise<{ ok: boolean; status: number }>;

export const fetchPost: Post = async (url, body) => {
  const r = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  // WeCom and DingTalk robots answer 200 with {errcode, errmsg}: errcode 0 is the only success.
  const answer = (await r.json().catch(() => null)) as { errcode?: unknown } | null;
  const refused = answer !== null && typeof answer === 'object' && 'errcode' in answer && answer.errcode !== 0;
  return { ok: r.ok && !refused, status: r.status };
};

/**
 * Sends every reminder that is due and not yet delivered; returns how many were delivered. With
 * several intake processes on one store each case is claimed first (a work lease), and whether it
 * was sent is read again under the claim: one POST per case, whichever process ticks.
 */
export async function sendDueReminders(
  db: Kysely<IntakeDatabase>,
  now: number,
  post: Post = fetchPost,
  leases = new WorkLeases(db),
): Promise<number> {
  const settings = await readSettings(db);
  if (!settings.webhookUrl) return 0;
  const iso = new Date(now).toISOString();
  const due = await db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.case_number', 'cases.reminder_at', 'cases.due_at', 'cases.deadline_warning', 'units.name as unit_name'])
    .where('cases.reminder_at', '<=', iso)
    .where('cases.reminder_sent_at', 'is', null)
    .where('cases.answered_at', 'is', null)
    .where('cases.status', 'in', ['assigned', 'in_progress', 'escalated'])
    .limit(100)
    .execute();
  let sent = 0;
  for (const c of due) {
    if (!(await leases.claim('reminder', c.id, REMINDER_LEASE_MS, now))) continue; // another process has it
    try {
      const still = await db.selectFrom('cases').select('reminder_sent_at').where('id', '=', c.id).executeTakeFirst();
      if (still && still.reminder_sent_at === null && (await sendOne(db, c, iso, now, settings, post))) sent++;
    } finally {
      await leases.release('reminder', c.id);
    }
  }
  return sent;
}

type DueCase = {
  id: string;
  case_number: string;
  reminder_at: string | null;
  due_at: string | null;
  deadline_warning: string | null;
  unit_name: string | null;
};

async function sendOne(db: Kysely<IntakeDatabase>, c: DueCase, iso: string, now: number, settings: Settings, post: Post): Promise<boolean> {
  const due = c.due_at ? dueDateOf(c.due_at, settings.timeZone) : '—';
  const body = {
    type: 'case.reminder',
    caseNumber: c.case_number,
    unit: c.unit_name,
    reminderAt: c.reminder_at,
    dueAt: c.due_at,
    calendarWarning: c.deadline_warning,
    text: `工单 ${c.case_number} 已到第4个工作日，请在 ${due} 24:00 前答复（承办单位：${c.unit_name ?? '—'}）`,
  };
  // The group robots get the same words in their own message format (noticeWebhook.ts).
  const req =
    settings.webhookFormat === 'json'
      ? { url: settings.webhookUrl, body }
      : webhookRequest(settings, { ...noticeMessage('reminder', c.case_number, { unit: c.unit_name, dueDate: due }), json: body }, now);
  try {
    const r = await post(req.url, req.body);
    if (!r.ok) {
      log.warn({ caseNumber: c.case_number, status: r.status }, 'reminder webhook refused');
      return false;
    }
  } catch (e) {
    log.warn({ caseNumber: c.case_number, err: e }, 'reminder webhook failed');
    return false; // tried again on the next tick
  }
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('cases').set({ reminder_sent_at: iso }).where('id', '=', c.id).execute();
    await writeCaseHistory(trx, { caseId: c.id, userId: null, action: 'reminder', detail: { webhook: true, dueAt: c.due_at }, at: now });
  });
  return true;
}

/** Checks once a minute; stop() ends it (tests, shutdown). */
export function startReminderTicker(
  db: Kysely<IntakeDatabase>,
  clock: Clock,
  post: Post = fetchPost,
  everyMs = 60_000,
  leases = new WorkLeases(db),
): { stop(): void } {
  return everyTick(
    clock,
    everyMs,
    () => sendDueReminders(db, clock.now(), post, leases),
    (e) => log.error({ err: e }, 'reminder tick failed'),
  );
}
