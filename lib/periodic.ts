// A task that runs now and then every interval, on an injected clock (STYLE.md habit 7): the next
// run is scheduled only after the previous one settled, so slow runs never pile up, and stop()
// means no further run starts. The task handles its own errors; one that escapes is swallowed
// here so the schedule survives it. stop() resolves once a run in progress has settled, so an
// owner that closes its database after stop() knows no run still uses it.
import type { Clock } from './clock.ts';

export class Periodic {
  private timer: unknown = null;
  private stopped = true;
  private running: Promise<void> | null = null;
  /** Bumped by every start(): a run that settles after a stop() and a new start() does not
   *  schedule a second chain next to the new one. */
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: () => number,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(firstDelayMs = 0): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.generation++;
    if (!this.running) this.schedule(firstDelayMs, this.generation);
    else {
      // A run from before a stop() is still settling: the new chain starts after it.
      const gen = this.generation;
      void this.running.then(() => this.schedule(firstDelayMs, gen));
    }
  }

  stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
    return this.running ?? Promise.resolve();
  }

  private schedule(ms: number, gen: number): void {
    if (this.stopped || gen !== this.generation) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      const run = this.task().then(
        () => undefined,
        () => undefined,
      );
      this.running = run;
      void run.then(() => {
        if (this.running === run) this.running = null;
        this.schedule(this.intervalMs(), gen);
      });
    }, ms);
  }
}
