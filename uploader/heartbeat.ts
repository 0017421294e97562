// The booth's heartbeat: every few minutes, what a technician needs to see from the back office
// (queue depth, oldest unsent age, bytes waiting, disk, devices, last error, alerts). Sent with the
// booth credential; a failed heartbeat is only logged (the next one carries the news).
import { statfs } from 'node:fs/promises';
import { HeartbeatAnswer, type Heartbeat, type DeviceStates, type NumberAuthority } from '../contract/booth.ts';
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import type { IntakeLink } from './intakeLink.ts';
import type { Outbox } from './outbox.ts';
import { diskAlert, type RetentionConfig } from './retention.ts';

const log = createLogger('uploader.heartbeat');

export interface HeartbeatInputs {
  boothCode: string;
  version: string;
  outbox: Outbox;
  dataDir: string;
  devices: () => DeviceStates | Promise<DeviceStates>;
  retention: RetentionConfig;
  /** Free space below which the booth refuses new recordings: the alert must come before that. */
  minFreeBytes?: number;
  /** The largest single recording (config limits.itemBytes): with minFreeBytes, what recording needs free. */
  itemBytes?: number;
  now: () => number;
}

export async function diskUsage(dir: string): Promise<{ freeBytes: number; totalBytes: number }> {
  const s = await statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize };
}

export async function buildHeartbeat(inputs: HeartbeatInputs): Promise<Heartbeat> {
  const summary = inputs.outbox.summary();
  const disk = await diskUsage(inputs.dataDir);
  const alert = diskAlert(disk, inputs.retention, inputs.minFreeBytes);
  const now = inputs.now();
  return {
    boothCode: inputs.boothCode,
    sentAt: new Date(now).toISOString(),
    version: inputs.version,
    queueDepth: summary.waiting,
    oldestUnsentSec: summary.oldestWaitingSavedAt ? Math.max(0, Math.round((now - Date.parse(summary.oldestWaitingSavedAt)) / 1000)) : null,
    bytesWaiting: inputs.outbox.bytesWaiting(),
    // Clamped: a setting that refuses every recording (minFreeBytes near 2^53) must not make the
    // heartbeat itself invalid on the wire (an integer beyond 2^53 fails the contract).
    disk: { ...disk, needBytes: Math.min(Number.MAX_SAFE_INTEGER, (inputs.minFreeBytes ?? 0) + (inputs.itemBytes ?? 0)) },
    devices: await inputs.devices(),
    lastError: summary.lastError ? summary.lastError.slice(0, 500) : null,
    alerts: alert ? [alert] : [],
    residentNumbersLeft: inputs.outbox.residentNumbersLeft(),
  };
}

export interface HeartbeatSenderOptions {
  link: IntakeLink;
  clock: Clock;
  build: () => Promise<Heartbeat>;
  /** Told the HTTP status of every attempt (0 = network error): the core learns of a revoke here. */
  onResult?: (status: number) => void;
  /** The intake's word on this booth's numbers (marks, a new resident block), from the answer. */
  onNumbers?: (numbers: NumberAuthority) => void;
}

/** Sends heartbeats when asked; the booth core's heartbeat tick (main/schedules.ts) is the schedule. */
export class HeartbeatSender {
  lastSentAt: number | null = null;

  constructor(private readonly o: HeartbeatSenderOptions) {}

  /** Sends one heartbeat; returns the HTTP status (0 = network error). */
  async sendNow(): Promise<number> {
    try {
      const body = await this.o.build();
      const res = await this.o.link.heartbeat(body);
      if (res.status >= 200 && res.status < 300) {
        this.lastSentAt = this.o.clock.now();
        // An older intake answers 204 without a body; a body that does not parse is ignored.
        const answer = HeartbeatAnswer.safeParse(res.body);
        if (answer.success) this.takeNumbers(answer.data.numbers);
      } else log.warn({ status: res.status }, 'heartbeat refused');
      this.o.onResult?.(res.status);
      return res.status;
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'heartbeat not sent');
      this.o.onResult?.(0);
      return 0;
    }
  }

  /** The intake's marks are stored when they can be; on a full disk they wait for the next answer
   *  (the heartbeat itself was delivered, and the booth's own sequence still counts up). */
  private takeNumbers(numbers: NumberAuthority): void {
    try {
      this.o.onNumbers?.(numbers);
    } catch (e) {
      log.error({ err: e }, 'the intake’s number marks could not be stored; taken with the next heartbeat');
    }
  }
}
