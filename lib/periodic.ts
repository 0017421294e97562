// A task that runs now and then every interval, on an injected clock (STYLE.md habit 7): the next
// run is scheduled only after the previous one settled, so slow runs never pile up, and stop()
// means no further run starts. The task handles its own errors; one that escapes is swallowed
// here so the schedule survives it.
import type { Clock } from './clock.ts';

export class Periodic {
  private timer: unknown = null;
  private stopped = true;

  constructor(
    private readonly clock: Clock,
    private readonly intervalMs: () => number,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(firstDelayMs = 0): void {
    this.stopped = false;
    this.schedule(firstDelayMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      void this.task()
        .catch(() => undefined)
        .finally(() => this.schedule(this.intervalMs()));
    }, ms);
  }
}
