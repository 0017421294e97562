// Who may use the service screen: the technician PIN (argon2 hash from provisioning) with a growing
// lockout, then a short-lived service token that every service call must carry and that expires
// after the screen's idle timeout (refreshed by each call), like every other screen.
import { randomBytes } from 'node:crypto';
import { createLogger } from '../../lib/log.ts';
import { initialLockout, isLocked, nextLockout, verifyPin, type LockoutState } from '../service/pin.ts';
import { readText, techFiles } from './files.ts';

const log = createLogger('service-desk');

export class ServiceDesk {
  private lockout: LockoutState = initialLockout;
  private tokens = new Map<string, number>(); // token → expires at

  constructor(
    private readonly dataDir: string,
    private readonly idleTimeoutMs: () => number,
    private readonly now: () => number,
  ) {}

  async unlock(pin: string): Promise<{ unlocked: true; serviceToken: string } | { unlocked: false; lockedForSec: number }> {
    const t = this.now();
    if (isLocked(this.lockout, t)) return { unlocked: false, lockedForSec: Math.ceil((this.lockout.lockedUntil - t) / 1000) };
    const hash = await readText(techFiles(this.dataDir).pin);
    // No PIN set (never provisioned): the service screen stays closed; use booth provision.
    const ok = hash !== null && (await verifyPin(hash, pin));
    this.lockout = nextLockout(this.lockout, ok, t);
    if (!ok) {
      log.warn({ failures: this.lockout.failures }, 'wrong technician PIN');
      return { unlocked: false, lockedForSec: Math.max(0, Math.ceil((this.lockout.lockedUntil - t) / 1000)) };
    }
    const serviceToken = randomBytes(24).toString('base64url');
    this.tokens.set(serviceToken, t + this.idleTimeoutMs());
    log.info('service screen unlocked');
    return { unlocked: true, serviceToken };
  }

  /** True and extends the token's life when it is valid; expired tokens are forgotten. */
  check(token: string): boolean {
    const t = this.now();
    const until = this.tokens.get(token);
    if (until === undefined) return false;
    if (t >= until) {
      this.tokens.delete(token);
      return false;
    }
    this.tokens.set(token, t + this.idleTimeoutMs());
    return true;
  }

  lock(token: string): boolean {
    return this.tokens.delete(token);
  }
}
