// Applies the retention plan (retention.ts) every `intervalMs` (≤ 30 s): media of submissions
// delivered more than N days ago are deleted, then the row becomes `purged` (a receipt row stays).
// Files go first: a crash between leaves a delivered row whose files are gone, and the next sweep
// finishes it. Unsent media are never touched. Also raises the disk alert.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { Periodic } from '../lib/periodic.ts';
import { diskUsage } from './heartbeat.ts';
import type { Outbox } from './outbox.ts';
import { diskAlert, planRetention, type RetentionConfig } from './retention.ts';

const log = createLogger('uploader.retention');

export interface SweeperOptions {
  outbox: Outbox;
  mediaDir: string;
  config: RetentionConfig;
  clock: Clock;
  intervalMs?: number;
}

export class RetentionSweeper {
  private readonly loop: Periodic;
  alert: string | null = null;

  constructor(private readonly o: SweeperOptions) {
    this.loop = new Periodic(o.clock, () => o.intervalMs ?? 30_000, () =>
      this.sweep().catch((e) => log.error({ err: (e as Error).message }, 'retention sweep failed')),
    );
  }

  start(): void {
    this.loop.start(0);
  }

  stop(): void {
    this.loop.stop();
  }

  /** One sweep; returns what it did. */
  async sweep(): Promise<{ wiped: number; purged: number }> {
    const { outbox, mediaDir, config } = this.o;
    const now = this.o.clock.now();
    const plan = planRetention(outbox.retentionRows(), now, config);
    // Identity is normally dropped with the `delivered` transition; this catches rows from before.
    for (const id of plan.wipeIdentity) outbox.wipePersonal(id);
    // A checkpoint a reader kept from finishing (or the first after boot): within a minute.
    outbox.scrubIfPending();
    let purged = 0;
    for (const id of plan.deleteMedia) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) continue; // ids are UUIDs; never let one become a path it should not be
      await rm(path.join(mediaDir, id), { recursive: true, force: true });
      outbox.transition(id, { type: 'purge' }, { nowMs: now });
      purged++;
    }
    if (purged) log.info({ purged }, 'media of delivered submissions deleted after the retention period');
    const alert = diskAlert(await diskUsage(mediaDir), config);
    if (alert && alert !== this.alert) log.warn({ alert }, 'disk alert');
    this.alert = alert;
    return { wiped: plan.wipeIdentity.length, purged };
  }

}
