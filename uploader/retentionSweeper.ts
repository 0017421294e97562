// Applies the retention plan (retention.ts) when swept (the booth core sweeps every 30 s, so
// identity left by a crash goes within a minute): media of submissions delivered more than N days
// ago are deleted, then the row becomes `purged` (a receipt row stays).
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

  constructor(private readonly o: SweeperOptions) {}

  /** One sweep; returns what it did. */
  async sweep(): Promise<{ wiped: number; purged: number }> {
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
    for (const id of plan.deleteMedia) {
      if (!/^[0-9a-f-]{36}$/i.test(id)) continue; // ids are UUIDs; never let one become a path it should not be
      await rm(path.join(mediaDir, id), { recursive: true, force: true });
      outbox.transition(id, { type: 'purge' }, { nowMs: now });
      purged++;
    }
    if (purged) log.info({ purged }, 'media of delivered submissions deleted after the retention period');
    const alert = diskAlert(await diskUsage(mediaDir), config, this.o.minFreeBytes);
    if (alert && alert !== this.alert) log.warn({ alert }, 'disk alert');
    this.alert = alert;
    return { wiped: plan.wipeIdentity.length, purged };
  }
}
