// The upload worker: takes due submissions from the outbox, oldest first, sends each item and
// then the manifest, and records "delivered" only after the intake acknowledged every item's
// size and sha256. Any failure leaves the row in the queue with a next attempt time.
import path from 'node:path';
import type { SubmissionManifest } from '../intake/contract.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { unsealJson } from '../lib/sealed.ts';
import { DeliveryError, type IntakeClient } from './intakeClient.ts';
import type { Outbox, OutboxRow } from './outbox.ts';

const log = createLogger('uploader');

export interface WorkerOptions {
  outbox: Outbox;
  client: IntakeClient;
  mediaDir: string;
  sealingKey: Buffer;
  clock?: Clock;
  /** First retry delay; doubles per attempt up to maxRetryMs. */
  retryBaseMs?: number;
  maxRetryMs?: number;
  /** Idle poll interval when nothing is due. */
  pollMs?: number;
  onChange?: () => void;
}

/** 4xx answers other than these are the intake refusing for good (a technician must look). */
const RETRYABLE_STATUS = new Set([408, 409, 423, 429]);
export const isPermanent = (e: unknown): boolean =>
  e instanceof DeliveryError && e.status !== null && e.status >= 400 && e.status < 500 && !RETRYABLE_STATUS.has(e.status) && e.code !== 'items_missing';

export class UploadWorker {
  private timer: unknown = null;
  private running = false;
  private stopped = true;
  private readonly clock: Clock;

  constructor(private readonly o: WorkerOptions) {
    this.clock = o.clock ?? systemClock;
  }

  start(): void {
    this.stopped = false;
    this.o.outbox.requeueInterrupted();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Run a pass now (a new submission was saved, or a technician asked). */
  wake(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => void this.pass(), 0);
  }

  /** One pass over everything due. Exposed for tests. */
  async pass(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (;;) {
        if (this.stopped) break;
        const [row] = this.o.outbox.due(this.clock.now(), 1);
        if (!row) break;
        await this.deliver(row);
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    const next = this.o.outbox.nextWakeAt();
    const poll = this.o.pollMs ?? 30_000;
    const delay = next === null ? poll : Math.min(poll, Math.max(0, next - this.clock.now()));
    this.timer = this.clock.setTimeout(() => void this.pass(), delay);
  }

  private async deliver(row: OutboxRow): Promise<void> {
    const { outbox, client, mediaDir } = this.o;
    outbox.transition(row.id, { type: 'claim' }, { nowMs: this.clock.now() });
    this.o.onChange?.();
    try {
      const items = outbox.items(row.id);
      for (const it of items) {
        if (it.acked) continue;
        const ack = await client.uploadItem(row.id, it.idx, path.join(mediaDir, it.file), it.mime);
        if (ack.size !== it.size || ack.sha256 !== it.sha256) {
          throw new DeliveryError(`intake holds different bytes for item ${it.idx}`, null, 'item_mismatch');
        }
        outbox.markItemAcked(row.id, it.idx);
      }
      const personal = row.personalSealed
        ? unsealJson<{ phone: string | null; identity?: SubmissionManifest['identity'] }>(row.personalSealed, this.o.sealingKey)
        : { phone: null };
      const manifest: SubmissionManifest = {
        submissionId: row.id,
        caseNumber: row.caseNumber,
        boothCode: row.boothCode,
        language: row.language,
        startedAt: row.startedAt,
        savedAt: row.savedAt,
        details: row.details,
        contact: { phone: personal.phone ?? null },
        identity: personal.identity ?? null,
        items: items.map((it) => ({
          index: it.idx,
          itemId: it.itemId,
          kind: it.kind,
          mime: it.mime,
          camera: it.camera,
          size: it.size,
          sha256: it.sha256,
          durationSec: it.durationSec,
        })),
      };
      const ack = await client.submit(manifest);
      const allConfirmed = items.every((it) => ack.items.some((a) => a.index === it.idx && a.size === it.size && a.sha256 === it.sha256));
      if (!allConfirmed || ack.caseNumber !== row.caseNumber) {
        throw new DeliveryError('intake acknowledgement does not match what the booth holds', null, 'ack_mismatch');
      }
      outbox.transition(row.id, { type: 'delivered' }, { lastError: null, nowMs: this.clock.now() });
      log.info({ caseNumber: row.caseNumber }, 'delivered');
    } catch (e) {
      const permanent = isPermanent(e);
      const attempts = row.attempts + 1;
      const base = this.o.retryBaseMs ?? 60_000;
      const delay = Math.min(this.o.maxRetryMs ?? 3_600_000, base * 2 ** Math.min(attempts - 1, 20));
      if (e instanceof DeliveryError && e.code === 'items_missing') {
        // The intake lost staged bytes (e.g. expired): send them again.
        for (const it of outbox.items(row.id)) outbox.setItemAcked(row.id, it.idx, false);
      }
      const message = e instanceof Error ? e.message : String(e);
      outbox.transition(row.id, { type: 'fail', permanent }, { lastError: message, nextAttemptAt: this.clock.now() + delay, nowMs: this.clock.now() });
      log.warn({ caseNumber: row.caseNumber, permanent, err: message }, 'delivery failed; will retry');
    } finally {
      this.o.onChange?.();
    }
  }
}
