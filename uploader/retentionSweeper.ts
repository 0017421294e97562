// Applies the retention plan (retention.ts) when swept (the booth core sweeps every 30 s, so
// identity left by a crash goes within a minute): media of submissions delivered more than N days
// ago are deleted, then the row becomes `purged` (a receipt row stays). N is the back office's
// `mediaRetentionDays` (default 0): the worker calls afterDelivery as soon as the intake confirmed
// every item's sha256, so with 0 the booth's copy goes at once, not at the next sweep.
// Files go first: a crash between leaves a delivered row whose files are gone, and the next sweep
// finishes it. Unsent media are never touched. Also raises the disk alert.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { diskUsage } from './heartbeat.ts';
import type { Outbox } from './outbox.ts';
import { diskAlert, planRetention, type RetentionConfig } from './retention.ts';

const log = createLogger('uploader.retention');

export interface SweeperOptions {
  outbox: Outbox;
  mediaDir: string;
  config: RetentionConfig;
  clock: Clock;
  /** Free space below which the booth refuses recordings (diskAlert's second threshold). */
  minFreeBytes?: number;
}

export class RetentionSweeper {
  /** The disk alert of the last sweep, for the booth's log (the heartbeat works out its own). */
  alert: string | null = null;

  /** Sweeps and deliveries' purges run one at a time (both delete files, then mark the row). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: SweeperOptions) {}

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** One sweep; returns what it did. */
  sweep(): Promise<{ wiped: number; purged: number }> {
    return this.serial(() => this.sweepNow());
  }

  /** The intake just confirmed `submissionId` (every item's size and sha256): its media go now when the retention is 0 days. */
  afterDelivery(submissionId: string): Promise<boolean> {
    return this.serial(async () => {
      const now = this.o.clock.now();
      const row = this.o.outbox.retentionRows().filter((r) => r.submissionId === submissionId);
      const plan = planRetention(row, now, this.o.config);
      if (!plan.deleteMedia.includes(submissionId)) return false;
      await this.purge(submissionId, now);
      log.info("media of a delivered submission deleted on the intake's confirmation");
      return true;
    });
  }

  /** Files first, then the row: a crash between leaves a delivered row the next sweep finishes. */
  private async purge(id: string, now: number): Promise<boolean> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return false; // ids are UUIDs; never let one become a path it should not be
    await rm(path.join(this.o.mediaDir, id), { recursive: true, force: true });
    this.o.outbox.transition(id, { type: 'purge' }, { nowMs: now });
    return true;
  }

  private async sweepNow(): Promise<{ wiped: number; purged: number }> {
    const { outbox, mediaDir, config } = this.o;
    const now = this.o.clock.now();
    const plan = planRetention(outbox.retentionRows(), now, config);
    // Identity is normally dropped with the `delivered` transition; this catches rows from before.
    for (const id of plan.wipeIdentity) outbox.wipePersonal(id);
    // A checkpoint a reader kept from finishing (or the first after boot): within a minute.
    outbox.scrubIfPending();
    // The WAL is copied into booth.db here, off the commit path (uploader/db.ts).
    outbox.checkpoint();
    let purged = 0;
    for (const id of plan.deleteMedia) if (await this.purge(id, now)) purged++;
    if (purged) log.info({ purged }, 'media of delivered submissions deleted after the retention period');
    const alert = diskAlert(await diskUsage(mediaDir), config, this.o.minFreeBytes);
    if (alert && alert !== this.alert) log.warn({ alert }, 'disk alert');
    this.alert = alert;
    return { wiped: plan.wipeIdentity.length, purged };
  }
}
