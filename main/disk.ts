// "Disk nearly full": below a configured free space the booth takes no new recordings (the kiosk
// says so in plain words) and raises a technician alert (logged once per episode, shown in the
// status). It never deletes anything to make room: what the booth holds is kept.
import { statfs } from 'node:fs/promises';
import { createLogger } from '../lib/log.ts';
import { BoothError } from './api/errors.ts';

const log = createLogger('disk');

export interface DiskState {
  freeBytes: number | null;
  low: boolean;
}

export class DiskGuard {
  private state: DiskState = { freeBytes: null, low: false };

  constructor(
    private readonly dir: string,
    private readonly minFreeBytes: () => number,
    /** Injected for tests: free bytes of the file system holding `dir`. */
    private readonly freeBytesOf: (dir: string) => Promise<number> = async (d) => {
      const s = await statfs(d);
      return s.bavail * s.bsize;
    },
  ) {}

  /** The last measured state (for the sync status report). */
  get current(): DiskState {
    return this.state;
  }

  async measure(): Promise<DiskState> {
    let free: number | null = null;
    try {
      free = await this.freeBytesOf(this.dir);
    } catch (e) {
      log.warn({ err: e }, 'cannot read free disk space');
    }
    const low = free !== null && free < this.minFreeBytes();
    if (low && !this.state.low)
      log.error(
        { freeBytes: free, minFreeBytes: this.minFreeBytes() },
        'TECHNICIAN ALERT: disk nearly full, the booth refuses new recordings',
      );
    if (!low && this.state.low) log.info({ freeBytes: free }, 'disk space recovered, recordings accepted again');
    this.state = { freeBytes: free, low };
    return this.state;
  }

  /** Refuses an item of `bytes` that would leave less than the minimum free. */
  async admit(bytes: number): Promise<void> {
    const s = await this.measure();
    if (s.low || (s.freeBytes !== null && s.freeBytes - bytes < this.minFreeBytes())) {
      if (!s.low) log.error({ freeBytes: s.freeBytes, bytes }, 'TECHNICIAN ALERT: disk nearly full, an item was refused');
      throw new BoothError('disk_full', 'the booth is nearly out of disk space');
    }
  }
}
