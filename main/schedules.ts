// The core's timed work: the heartbeat tick (the back office's settings first, so a change reaches
// the kiosk at the heartbeat's pace, issue 8; then the heartbeat), the retention sweep, and the
// start of delivery. stop() waits for runs in progress, so nothing touches the database after the
// core closes it.
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { Periodic } from '../lib/periodic.ts';
import type { HeartbeatSender } from '../uploader/heartbeat.ts';
import type { IntakeLink } from '../uploader/intakeLink.ts';
import type { UploadWorker } from '../uploader/worker.ts';
import type { Enrolment } from './enrolment.ts';
import type { BoothSettingsStore } from './technician/settings.ts';

const log = createLogger('core');

/** How often delivered media past their retention are deleted (uploader/retentionSweeper.ts). */
export const RETENTION_SWEEP_MS = 30_000;

export interface SchedulesDeps {
  clock: Clock;
  heartbeatMs: number;
  /** Aborted when the core closes: nothing starts after that, a pull in flight is aborted. */
  closing: AbortController;
  enrolment: Pick<Enrolment, 'credential' | 'intakeUrl' | 'noteAnswer'>;
  settings: Pick<BoothSettingsStore, 'pull'>;
  link: IntakeLink;
  heartbeat: Pick<HeartbeatSender, 'sendNow'>;
  worker: Pick<UploadWorker, 'start'>;
  /** One retention sweep (uploader/retentionSweeper.ts). */
  sweep: () => Promise<unknown>;
  /** New settings were applied: the kiosk is told. */
  onSettings: () => void;
}

export class Schedules {
  /** Every heartbeat interval: pull the back office's settings, then send the heartbeat. */
  private readonly tick: Periodic;
  private readonly sweep: Periodic;
  /** Ticks started outside the schedule (a new credential): stop() waits for them too. */
  private readonly extraTicks = new Set<Promise<void>>();
  private delivering = false;

  constructor(private readonly d: SchedulesDeps) {
    this.tick = new Periodic(
      d.clock,
      () => d.heartbeatMs,
      () => this.heartbeatTick(),
    );
    this.sweep = new Periodic(
      d.clock,
      () => RETENTION_SWEEP_MS,
      () => d.sweep().catch((e: unknown) => log.error({ err: (e as Error).message }, 'retention sweep failed')),
    );
  }

  private get closing(): AbortSignal {
    return this.d.closing.signal;
  }

  /** Pulls settings now (enrolled booths only); applied without a restart: readers use getters.
   *  A pull the core's close() aborted changes nothing and touches nothing. */
  async pullSettings(): Promise<void> {
    const token = this.d.enrolment.credential();
    const intakeUrl = this.d.enrolment.intakeUrl;
    if (!token || !intakeUrl || this.closing.aborted) return;
    const r = await this.d.settings.pull(this.d.link, this.closing);
    if (this.closing.aborted) return;
    if (r.applied) this.d.onSettings();
    if (r.applied) this.d.enrolment.noteAnswer(token, 200);
    else if (r.reason === 'refused') this.d.enrolment.noteAnswer(token, 401);
  }

  /** One heartbeat tick: settings, then the heartbeat. Nothing starts once the core is closing. */
  private async heartbeatTick(): Promise<void> {
    // Settings that cannot be written (a full disk) must not silence the heartbeat: it is how a
    // technician learns of the disk. The pull is tried again at the next tick.
    await this.pullSettings().catch((e: unknown) => log.error({ err: e }, 'back-office settings could not be applied'));
    if (this.closing.aborted) return;
    await this.d.heartbeat.sendNow();
  }

  /** A tick now, outside the schedule; stop() waits for it. */
  tickNow(): void {
    if (this.closing.aborted) return;
    const run = this.heartbeatTick().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'heartbeat tick failed'));
    this.extraTicks.add(run);
    void run.finally(() => this.extraTicks.delete(run));
  }

  startSweep(): void {
    this.sweep.start(0);
  }

  /** The worker, and settings at start and then with every heartbeat (issue 8). Once. */
  startDelivery(): void {
    if (this.delivering) return;
    this.delivering = true;
    this.d.worker.start();
    this.tick.start(0);
  }

  /** No further run starts (call once closing is aborted); resolves when the runs in progress settled. */
  stop(): Promise<unknown> {
    const ticks = this.tick.stop();
    const sweeps = this.sweep.stop();
    return Promise.all([ticks, sweeps, ...this.extraTicks]);
  }
}
