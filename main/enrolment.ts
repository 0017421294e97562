// The booth's enrolment as the running core sees it: the credential (read on every request), the
// intake's address, and whether the kiosk is in service. It follows `booth provision` (CLI or
// service screen) without a restart: a new credential brings the booth code, address and CA that
// provisioning wrote (the credential watch), and a back office that refuses the credential takes
// the kiosk out of service until it answers again.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import { loadConfig, type BoothConfig } from './config.ts';
import type { Live } from './live.ts';

const log = createLogger('core');

/** How often the credential file is looked at, so `booth provision` takes effect without a restart. */
export const CREDENTIAL_WATCH_MS = 2_000;

export type OutOfService = 'not_enrolled' | 'revoked';

/** The credential: options, then config, then keys/intake.token (written by `booth provision`),
 *  read on every request so a new credential is used without a restart; null = not enrolled. */
export function intakeTokenSource(dataDir: string, config: BoothConfig, override?: string): () => string | null {
  if (override) return () => override;
  if (config.intakeToken) return () => config.intakeToken;
  const file = path.join(path.resolve(dataDir), 'keys', 'intake.token');
  return () => {
    try {
      return readFileSync(file, 'utf8').trim() || null;
    } catch {
      return null;
    }
  };
}

/** Why the kiosk is out of service, or null when residents may use it. Pure. */
export function outOfServiceFor(s: {
  intakeUrl: string | null;
  token: string | null;
  /** The credential whose identity the core has taken (a new one is taken by the watch). */
  seen: string | null;
  /** The credential the back office last refused (401/403). */
  refused: string | null;
}): OutOfService | null {
  if (!s.intakeUrl || !s.token) return 'not_enrolled';
  // A credential written by provisioning whose booth code, address and CA are not taken yet (the
  // credential watch, at most CREDENTIAL_WATCH_MS): not in service under the old identity meanwhile.
  if (s.token !== s.seen) return 'not_enrolled';
  return s.token === s.refused ? 'revoked' : null;
}

export interface EnrolmentDeps {
  dataDir: string;
  /** As the core was started: an address and a credential given there win over booth.json and the token file. */
  started: { intakeUrl: string | null; intakeToken?: string | undefined; config: BoothConfig };
  /** The configuration now; a provisioned identity (booth code, address, CA) is written into it. */
  config: Live<BoothConfig>;
  clock: Clock;
  /** Aborted when the core closes: answers arriving after that change nothing. */
  closing: AbortSignal;
  /** A provisioned identity was taken: the link's CA, and whether the intake's address moved. */
  onIdentity: (ca: Buffer | undefined, moved: boolean) => void;
  /** outOfService() changed, or a new credential is in use. */
  onChange: () => void;
  /** A new credential is in use: deliver what is queued, pull settings and send a heartbeat now. */
  onCredential: () => void;
}

export class Enrolment {
  /** The credential now (intakeTokenSource). */
  readonly credential: () => string | null;
  /** The credential as last seen, and the one the back office last refused (401/403). */
  private seen: string | null;
  private refused: string | null = null;
  private learnedIntakeUrl: string | null = null;
  private timer: unknown = null;

  constructor(private readonly d: EnrolmentDeps) {
    this.credential = intakeTokenSource(d.dataDir, d.started.config, d.started.intakeToken);
    this.seen = this.credential();
  }

  /** The intake's address: the one the core was started with, else the one `booth provision`
   *  has since written to booth.json (read again while there is none). */
  get intakeUrl(): string | null {
    if (this.learnedIntakeUrl) return this.learnedIntakeUrl;
    if (this.d.started.intakeUrl) return this.d.started.intakeUrl;
    try {
      this.learnedIntakeUrl = loadConfig(this.d.dataDir).intakeUrl;
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'booth.json cannot be read');
    }
    return this.learnedIntakeUrl;
  }

  /** Why the kiosk is out of service, or null when residents may use it. A booth that was never
   *  enrolled, or whose credential the back office refuses, keeps running (no crash loop under
   *  systemd) and shows a calm screen instead; the technician's corner still works. */
  outOfService(): OutOfService | null {
    return outOfServiceFor({ intakeUrl: this.intakeUrl, token: this.credential(), seen: this.seen, refused: this.refused });
  }

  /** An answer from the back office to `token`: 401/403 marks it refused, a success clears that. */
  noteAnswer(token: string | null, status: number): void {
    if (this.d.closing.aborted) return;
    const before = this.outOfService();
    if (status === 401 || status === 403) this.refused = token;
    else if (status >= 200 && status < 300 && token === this.refused) this.refused = null;
    if (this.outOfService() !== before) this.d.onChange();
  }

  /** A new credential (CLI provision or service-screen re-enrolment): queued submissions, also
   *  those parked after a refusal, go now; settings and a heartbeat follow at once. */
  check(): void {
    const token = this.credential();
    if (token === this.seen) return;
    if (token) this.takeProvisionedIdentity();
    // Without an address yet (booth.json not written), look again next time.
    if (token && !this.intakeUrl) return;
    this.seen = token;
    if (!token) return;
    log.info('booth credential changed: delivering what is queued');
    this.d.onCredential();
    this.d.onChange();
  }

  /** Looks at the credential every CREDENTIAL_WATCH_MS until stop(). */
  watch(): void {
    this.timer = this.d.clock.setTimeout(() => {
      this.check();
      if (this.timer) this.watch();
    }, CREDENTIAL_WATCH_MS);
  }

  stop(): void {
    if (this.timer) this.d.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** `booth provision` (CLI or service screen) writes the CA and booth.json before the credential:
   *  when the credential changes, the running core takes the new booth code, intake address and CA
   *  at once (issue 20: no restart; it kept heartbeating under its old code before). */
  private takeProvisionedIdentity(): void {
    if (this.d.started.intakeToken || this.d.started.config.intakeToken) return; // not a provisioned credential
    let fresh: BoothConfig;
    try {
      fresh = loadConfig(this.d.dataDir);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'booth.json cannot be read after provisioning');
      return;
    }
    if (!fresh.intakeUrl) return;
    const before = this.d.config.value;
    const moved = fresh.intakeUrl !== this.intakeUrl;
    this.d.config.set({ ...before, boothCode: fresh.boothCode, intakeUrl: fresh.intakeUrl, intakeCaFile: fresh.intakeCaFile });
    this.learnedIntakeUrl = fresh.intakeUrl;
    let ca: Buffer | undefined;
    try {
      ca = fresh.intakeCaFile ? readFileSync(fresh.intakeCaFile) : undefined;
    } catch (e) {
      log.error({ err: (e as Error).message }, 'TECHNICIAN ALERT: the intake CA file cannot be read');
    }
    this.d.onIdentity(ca, moved);
    if (moved || before.boothCode !== fresh.boothCode)
      log.info({ boothCode: fresh.boothCode, intake: new URL(fresh.intakeUrl).origin }, 'new identity from booth provision: in use now');
  }
}
