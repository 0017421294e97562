// The process ticker (issue 15): once a minute, on every intake process of a store, makes the
// automatic 渐次升级 proposals (each claimed once across processes), the in-app 签收-overdue and
// reminder notices (once each by their key), and sends pending notices to the notice webhook
// (once each, under a lease).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import { WorkLeases } from '../store/leases.ts';
import { clockNotices, proposeEscalations } from './process.ts';
import { sendPendingNotices, type Post } from './noticeWebhook.ts';
import { fetchPost } from './reminders.ts';
import { readSettings } from './settings.ts';
import { everyTick } from './ticker.ts';

const log = createLogger('process-ticker');

/** One pass: proposals, notices, webhook. Returns what it did (tests). */
export async function processTick(db: Kysely<IntakeDatabase>, now: number, post: Post = fetchPost, leases = new WorkLeases(db)) {
  const proposals = await proposeEscalations(db, now, leases);
  const notices = await clockNotices(db, now, await readSettings(db));
  const sent = await sendPendingNotices(db, now, post, leases);
  return { proposals, notices, sent };
}

export function startProcessTicker(
  db: Kysely<IntakeDatabase>,
  clock: Clock,
  post: Post = fetchPost,
  everyMs = 60_000,
  leases = new WorkLeases(db),
): { stop(): void } {
  return everyTick(
    clock,
    everyMs,
    () => processTick(db, clock.now(), post, leases),
    (e) => log.error({ err: e }, 'process tick failed'),
  );
}
