// Sends the event outbox to the partners' webhook endpoints (docs/OPEN311.md "Webhooks"). Each
// intake process runs one dispatcher; deliveries are claimed with a lease in the store
// (store/webhooks.ts claimDue), so several processes share the work without sending one delivery
// twice at the same time. A failed attempt is retried with exponential backoff (base × 2^n, capped,
// ±20 % jitter) until it succeeds or the event is older than `giveUpAfterMs` (then `failed`, and
// an admin may resend it). A case's events go out in order: its next event waits for the previous.
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import type { Clock } from '../../lib/clock.ts';
import { Periodic } from '../../lib/periodic.ts';
import { createLogger } from '../../lib/log.ts';
import { WEBHOOK_HEADERS } from '../../contract/caseEvents.ts';
import { claimDue, type Claimed, finishAttempt } from '../store/webhooks.ts';
import { signatureHeader } from './signature.ts';

const log = createLogger('webhooks');

export interface DispatcherOptions {
  db: Kysely<IntakeDatabase>;
  /** The contact key: endpoint secrets are sealed with it. */
  key: Buffer;
  clock: Clock;
  now: () => number;
  pollMs?: number;
  batch?: number;
  leaseMs?: number;
  timeoutMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  giveUpAfterMs?: number;
}

export const WEBHOOK_DEFAULTS = {
  pollMs: 1000,
  batch: 8,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  retryBaseMs: 10_000,
  retryMaxMs: 3_600_000,
  giveUpAfterMs: 3 * 86_400_000,
};

/** Delay before attempt n+1 after n failed attempts (n ≥ 1), before jitter. */
export function backoffMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
}

export class WebhookDispatcher {
  readonly owner = `${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly o: Required<Omit<DispatcherOptions, 'db' | 'key' | 'clock' | 'now'>>;
  private readonly periodic: Periodic;

  constructor(private readonly opts: DispatcherOptions) {
    this.o = { ...WEBHOOK_DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => typeof v === 'number')) } as typeof this.o;
    this.periodic = new Periodic(
      opts.clock,
      () => this.o.pollMs,
      () => this.runOnce().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'webhook dispatch failed')),
    );
  }

  start(): void {
    this.periodic.start(0);
  }

  stop(): Promise<void> {
    return this.periodic.stop();
  }

  /** One round: claim what is due, send it (different cases in parallel), record the outcomes. */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const claimed = await claimDue(this.opts.db, this.owner, this.opts.now(), this.o.leaseMs, this.o.batch, this.opts.key);
      if (claimed.length === 0) return sent;
      await Promise.all(claimed.map((c) => this.deliver(c)));
      sent += claimed.length;
    }
  }

  private async deliver(c: Claimed): Promise<void> {
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const t = Math.floor(this.opts.now() / 1000);
      const r = await fetch(c.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': 'sayit-intake-webhooks/1',
          [WEBHOOK_HEADERS.signature]: signatureHeader(c.secret, c.body, t),
          [WEBHOOK_HEADERS.eventId]: c.eventId,
          [WEBHOOK_HEADERS.eventType]: c.eventType,
          [WEBHOOK_HEADERS.deliveryId]: String(c.id),
        },
        body: c.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      status = r.status;
      await r.body?.cancel().catch(() => undefined);
      if (!r.ok) error = `HTTP ${r.status}`;
    } catch (e) {
      error =
        (e as Error).name === 'TimeoutError'
          ? 'timeout'
          : ((e as Error & { cause?: { code?: string } }).cause?.code ?? (e as Error).message).slice(0, 200);
    }
    const ok = error === null;
    const now = this.opts.now();
    let retryAt: number | null = null;
    if (!ok && now - Date.parse(c.firstAt) < this.o.giveUpAfterMs) {
      const jitter = 0.8 + Math.random() * 0.4;
      retryAt = now + Math.round(backoffMs(c.attempts + 1, this.o.retryBaseMs, this.o.retryMaxMs) * jitter);
    }
    if (!ok)
      log.info(
        { delivery: c.id, event: c.eventType, status, error, retryAt: retryAt && new Date(retryAt).toISOString() },
        'webhook delivery failed',
      );
    await finishAttempt(this.opts.db, c, this.owner, { ok, status, error, durationMs: performance.now() - started }, now, retryAt);
  }
}
