// The upload worker: takes due submissions from the outbox, oldest first, `concurrency` (1–2) at a
// time; sends each item over tus (resuming from the stored upload URL), then the manifest with
// its Idempotency-Key; records "delivered" only when the intake's answer confirms every item's
// size and sha256 and names the case. Every failure goes through retryPolicy.decide and leaves the
// row in the queue (or, when permanent, visible to technicians without blocking the others).
import path from 'node:path';
import type { SubmissionAck, SubmissionManifest } from '../contract/booth.ts';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { unsealJson } from '../lib/sealed.ts';
import type { IntakeLink } from './intakeLink.ts';
import { statusToken } from '../lib/statusToken.ts';
import type { Outbox, OutboxItem, OutboxRow } from './outbox.ts';
import { decide, DEFAULT_RETRY, type AttemptOutcome, type RetryConfig } from './retryPolicy.ts';

const log = createLogger('uploader');

export interface WorkerOptions {
  outbox: Outbox;
  client: IntakeLink;
  mediaDir: string;
  sealingKey: Buffer;
  clock?: Clock;
  /** Jitter source in [0, 1); injected so tests are reproducible. */
  random?: () => number;
  retry?: RetryConfig;
  /** Submissions delivered at the same time: 1 or 2. */
  concurrency?: number;
  /** Idle poll interval when nothing is due. */
  pollMs?: number;
  onChange?: () => void;
  /** The intake confirmed this submission (every item's size and sha256): the retention may delete its media now. */
  onDelivered?: (submissionId: string) => void;
}

export function buildManifest(row: OutboxRow, items: OutboxItem[], sealingKey: Buffer): SubmissionManifest {
  // The sealed block holds the callback phone and, for a real-name submission, the identity block
  // already sealed to the intake's key (issue 5): it travels as is.
  const personal = row.personalSealed
    ? unsealJson<{ phone: string | null; identity?: SubmissionManifest['identity'] }>(row.personalSealed, sealingKey)
    : { phone: null };
  return {
    submissionId: row.id,
    caseNumber: row.caseNumber,
    residentNumber: row.residentNumber,
    boothCode: row.boothCode,
    language: row.language,
    startedAt: row.startedAt,
    savedAt: row.savedAt,
    details: row.details,
    contact: { phone: personal.phone ?? null },
    identity: personal.identity ?? null,
    statusToken: statusToken(sealingKey, row.id),
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
}

export class UploadWorker {
  private timer: unknown = null;
  private readonly inFlight = new Map<string, AbortController>();
  /** Rows left "uploading" because their outcome could not be written (see laneDone). */
  private readonly stranded = new Set<string>();
  private lanes = 0;
  private stopped = true;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly concurrency: number;

  constructor(private readonly o: WorkerOptions) {
    this.clock = o.clock ?? systemClock;
    this.random = o.random ?? Math.random;
    this.concurrency = Math.min(2, Math.max(1, o.concurrency ?? 1));
  }

  start(): void {
    this.stopped = false;
    this.o.outbox.requeueInterrupted();
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    for (const c of this.inFlight.values()) c.abort();
    while (this.lanes > 0) await new Promise((r) => setTimeout(r, 10));
  }

  /** Run now (a new submission was saved, or a technician asked). */
  wake(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.fill(), 0);
  }

  /** Whether any delivery is running (for tests and the CLI). */
  get busy(): boolean {
    return this.lanes > 0;
  }

  private fill(): void {
    if (this.stopped) return;
    try {
      this.requeueStranded();
      while (!this.stopped && this.lanes < this.concurrency) {
        const row = this.o.outbox.due(this.clock.now(), this.concurrency + this.inFlight.size).find((r) => !this.inFlight.has(r.id));
        if (!row) break;
        // Claimed synchronously, so two lanes never take the same row.
        this.o.outbox.transition(row.id, { type: 'claim' }, { nowMs: this.clock.now() });
        const controller = new AbortController();
        this.inFlight.set(row.id, controller);
        this.lanes++;
        this.o.onChange?.();
        void this.deliver(row, controller.signal)
          .catch((e) => log.error({ err: (e as Error).message }, 'delivery crashed'))
          .finally(() => this.laneDone(row.id));
      }
    } catch (e) {
      // The database cannot be written (a full disk: SQLITE_FULL) or read: nothing is claimed, the
      // queue stays as it is, and the worker tries again at its next poll. Never thrown out of a
      // timer (that would end the core).
      log.error({ err: e }, 'TECHNICIAN ALERT: the outbox cannot be updated; delivery waits');
      this.pollLater();
      return;
    }
    if (this.lanes < this.concurrency) this.schedule();
  }

  private laneDone(id: string): void {
    this.inFlight.delete(id);
    this.lanes--;
    // The outcome of the attempt could not be recorded (a full disk): the row still says
    // "uploading", which due() never returns. It goes back to the queue as soon as a write succeeds;
    // the next attempt asks the intake first, so nothing is sent or filed twice.
    try {
      if (this.o.outbox.get(id)?.state === 'uploading') this.stranded.add(id);
    } catch (e) {
      log.error({ err: e }, 'the outbox cannot be read');
      this.stranded.add(id);
    }
    try {
      this.o.onChange?.();
    } catch (e) {
      log.warn({ err: e }, 'status update failed');
    }
    this.fill();
  }

  /** Rows whose attempt ended without its outcome recorded: back to "saved" (throws while the disk is full). */
  private requeueStranded(): void {
    for (const id of this.stranded) {
      if (this.inFlight.has(id)) continue;
      this.o.outbox.transition(id, { type: 'boot' }, { nowMs: this.clock.now() });
      this.stranded.delete(id);
    }
  }

  private pollLater(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.fill(), this.o.pollMs ?? 30_000);
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) this.clock.clearTimeout(this.timer);
    let next: number | null = null;
    try {
      next = this.o.outbox.nextWakeAt();
    } catch (e) {
      log.error({ err: e }, 'the outbox cannot be read');
    }
    const poll = this.o.pollMs ?? 30_000;
    const delay = next === null ? poll : Math.min(poll, Math.max(0, next - this.clock.now()));
    this.timer = this.clock.setTimeout(() => this.fill(), delay);
  }

  private async deliver(row: OutboxRow, signal: AbortSignal): Promise<void> {
    const { outbox, client, mediaDir } = this.o;
    let progress = false;
    try {
      const items = outbox.items(row.id);
      const manifest = buildManifest(row, items, this.o.sealingKey);
      // Every item was uploaded at some point (a crash may have come between the intake creating
      // the case and this booth recording it): ask first, so nothing is sent twice. The intake
      // answers with the stored result, or says which items it still needs.
      if (items.every((it) => it.uploadUrl !== null)) {
        const early = await client.finalise(manifest);
        if (early.ok) return this.delivered(row, items, early.ack, progress);
        if (early.code !== 'items_missing') return this.fail(row, early.outcome, progress);
      }
      for (const it of items) {
        const result = await client.uploadItem(
          {
            file: path.join(mediaDir, it.file),
            size: it.size,
            sha256: it.sha256,
            submissionId: row.id,
            index: it.idx,
            uploadUrl: it.uploadUrl,
            sealingKey: this.o.sealingKey,
          },
          // Stored before any byte is sent: after a crash the next attempt resumes with HEAD.
          // Not stored (a full disk): the upload goes on; a later attempt starts that item afresh.
          (url) => {
            try {
              outbox.setUploadUrl(row.id, it.idx, url);
            } catch (e) {
              log.warn({ err: e }, 'the upload URL could not be stored');
            }
          },
          signal,
        );
        progress ||= result.madeProgress;
        if (!result.ok) return this.fail(row, result.outcome, progress);
      }
      if (signal.aborted) return this.fail(row, { kind: 'network', message: 'stopped' }, progress);
      const result = await client.finalise(manifest);
      if (result.ok) return this.delivered(row, items, result.ack, progress);
      if (result.code === 'items_missing') {
        // The intake lost or rejected uploads it had confirmed (expired, checksum): start those
        // items afresh. Not the booth's fault and not permanent: retry now, then with backoff.
        for (const idx of result.missing) outbox.setUploadUrl(row.id, idx, null);
        const outcome: AttemptOutcome = { kind: 'network', message: `intake asks again for items ${result.missing.join(', ')}` };
        return this.fail(row, outcome, progress, row.failures < 3 ? this.clock.now() : undefined);
      }
      return this.fail(row, result.outcome, progress);
    } catch (e) {
      // A local problem (file unreadable, database): retry later, the technician sees the error.
      return this.fail(row, { kind: 'network', message: `local: ${(e as Error).message}` }, progress);
    }
  }

  private delivered(row: OutboxRow, items: OutboxItem[], ack: SubmissionAck, progress: boolean): void {
    const confirmed = items.every((it) => ack.items.some((a) => a.index === it.idx && a.size === it.size && a.sha256 === it.sha256));
    if (!confirmed || ack.submissionId !== row.id) {
      return this.fail(row, { kind: 'http', status: 400, message: 'intake acknowledgement does not match what the booth holds' }, progress);
    }
    // The intake is the authority for numbers: a number another case already held is filed under
    // a unique one (the receipt's stays as an alias there). The technician sees both.
    const caseMoved = ack.caseNumber !== row.caseNumber;
    const residentMoved = ack.residentNumber !== null && ack.residentNumber !== row.residentNumber;
    if (caseMoved || residentMoved) {
      this.o.outbox.recordIntakeNumbers(row.id, caseMoved ? ack.caseNumber : null, residentMoved ? ack.residentNumber : null);
      log.warn(
        {
          caseNumber: row.caseNumber,
          intakeCaseNumber: ack.caseNumber,
          residentNumber: row.residentNumber,
          intakeResidentNumber: ack.residentNumber,
        },
        'TECHNICIAN ALERT: the intake filed this submission under another number',
      );
    }
    this.o.outbox.transition(row.id, { type: 'delivered' }, { lastError: null, failures: 0, nowMs: this.clock.now() });
    for (const it of items) this.o.outbox.setItemAcked(row.id, it.idx, true);
    log.info({ caseNumber: row.caseNumber }, 'delivered');
    this.o.onDelivered?.(row.id);
  }

  private fail(row: OutboxRow, outcome: AttemptOutcome, madeProgress: boolean, at?: number): void {
    const now = this.clock.now();
    const d = decide({ outcome, attempts: row.failures, madeProgress, now, random: this.random(), config: this.o.retry ?? DEFAULT_RETRY });
    const permanent = d.kind === 'permanent';
    const nextAttemptAt = at ?? (d.kind === 'permanent' ? now : d.at);
    const failures = d.kind === 'permanent' ? row.failures + 1 : d.attempts;
    this.o.outbox.transition(
      row.id,
      { type: 'fail', permanent },
      { lastError: d.reason.slice(0, 500), nextAttemptAt, failures, nowMs: now },
    );
    log.warn({ caseNumber: row.caseNumber, decision: d.kind, reason: d.reason }, 'delivery attempt failed');
  }
}
