// The booth core: plain Node, no Electron. Owns the data directory, the outbox, the sessions,
// the upload worker, and the local API the kiosk UI talks to.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { loadOrCreateKey } from '../lib/sealed.ts';
import { createLogger } from '../lib/log.ts';
import { openBoothDb } from '../uploader/db.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { IntakeLink } from '../uploader/intakeLink.ts';
import { buildHeartbeat, HeartbeatSender } from '../uploader/heartbeat.ts';
import { RetentionSweeper } from '../uploader/retentionSweeper.ts';
import { collectDeviceStates } from './deviceStatus.ts';
import { lockDataDir } from '../lib/dataDirLock.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import { checkIntakeTransport, ConfigError, loadConfig, type BoothConfig } from './config.ts';
import type { DeviceStates } from '../contract/booth.ts';
import type { BoothStatus, KioskConfig, PrinterSetting } from '../contract/kiosk.ts';
import { SessionStore } from './sessions.ts';
import { submitSession, sweepOrphanMedia } from './submit.ts';
import { statusToken, statusUrl } from '../lib/statusToken.ts';
import { buildBoothServer, type BoothServerPorts } from './server.ts';
import { KioskTokenHistory } from './kiosk/tokenHistory.ts';
import { EventHub } from './events.ts';
import { VERSION } from './version.ts';
import { DiskGuard } from './disk.ts';
import { encodeReceipt } from '../drivers/printer/receipt.ts';
import { createPrinterTransport } from '../drivers/printer/transport.ts';
import type { Language } from '../contract/kiosk.ts';
import { BoothSettingsStore } from './technician/settings.ts';
import { loadMapping, type HardwareMapping } from './technician/mapping.ts';
import { ServiceDesk } from './technician/serviceDesk.ts';
import { readJson, techFiles, writeJson } from './technician/files.ts';
import { throttleForUploadWindows } from './technician/uploadWindows.ts';
import type { ThrottleConfig } from '../uploader/throttle.ts';
import { Periodic } from '../lib/periodic.ts';
import { ALL_CHECKS } from './doctor/checks.ts';
import { coreProbes } from './doctor/probes.ts';
import { runDoctor } from './doctor/run.ts';
import { removeCoreRuntime, writeCoreRuntime } from './doctor/runtime.ts';

/** How often the credential file is looked at, so `booth provision` takes effect without a restart. */
export const CREDENTIAL_WATCH_MS = 2_000;
/** How often delivered media past their retention are deleted (uploader/retentionSweeper.ts). */
export const RETENTION_SWEEP_MS = 30_000;

export type OutOfService = 'not_enrolled' | 'revoked';
import { RealNameService, type ReaderSimulatorFactory } from './realname.ts';
import { IntakeKey } from './intakeKey.ts';
import { sealIdentity } from '../lib/identitySeal.ts';
import { SealedIdentityRecord } from '../contract/identity.ts';
import { BoothError } from './api/errors.ts';
import { KioskPresence } from './kiosk/presence.ts';

const log = createLogger('core');

/** Minutes east of UTC of an IANA time zone now (for the throttle's daily windows). */
function utcOffsetMinutes(timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date());
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) : 0;
}

export interface CoreOptions {
  dataDir: string;
  config: BoothConfig;
  /** Base URL of the intake (http://127.0.0.1:PORT); overrides config.intakeUrl. null = never
   *  enrolled: the core serves the kiosk's out-of-service screen and sends nothing. */
  intakeUrl: string | null;
  /** The booth credential; overrides config.intakeToken and keys/intake.token. */
  intakeToken?: string;
  /** Device status for the heartbeat; by default the hardware mapping checked against the OS. */
  devices?: () => DeviceStates | Promise<DeviceStates>;
  now?: () => number;
  /** Starts the simulated ID reader where no reader is found: `npm start` and tests only
   *  (main/start.ts). A production booth has none: no reader, no real name, never a stand-in. */
  readerSimulator?: ReaderSimulatorFactory;
  /** Drives the heartbeat tick (settings pull + heartbeat), the retention sweep and the credential
   *  watch; tests pass a clock they move by hand. The system clock by default. */
  clock?: Clock;
}

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

export class BoothCore {
  readonly token = randomBytes(24).toString('base64url');
  /** Opens only the read-only diagnostic endpoints, for booth doctor and booth status (core.json). */
  readonly diagnosticsToken = randomBytes(24).toString('base64url');
  /** The kiosk page's last sign of life (POST /api/kiosk/alive), read by the window supervisor. */
  readonly presence = new KioskPresence();
  readonly bootId = randomUUID();
  readonly db: Database.Database;
  readonly outbox: Outbox;
  readonly sessions: SessionStore;
  readonly events = new EventHub();
  readonly mediaDir: string;
  readonly disk: DiskGuard;
  readonly dataDir: string;
  worker!: UploadWorker;
  client!: IntakeLink;
  heartbeat!: HeartbeatSender;
  retention!: RetentionSweeper;
  app!: FastifyInstance;
  private sealingKey!: Buffer;
  readonly settings: BoothSettingsStore;
  readonly desk: ServiceDesk;
  hardware!: HardwareMapping;
  throttle!: ThrottleConfig;
  /** The reader port mapped when the core started (the reader session's port until a restart). */
  startHardwarePort: string | null = null;
  /** Every heartbeat interval: pull the back office's settings, then send the heartbeat. */
  private tick!: Periodic;
  private sweep!: Periodic;
  /** Ticks started outside the schedule (a new credential): close() waits for them too. */
  private readonly extraTicks = new Set<Promise<void>>();
  /** Aborts settings pulls in flight when the core closes. */
  private readonly closing = new AbortController();
  private credentialTimer: unknown = null;
  /** The credential as last seen, and the one the back office last refused (401/403). */
  private seenCredential: string | null = null;
  private refusedCredential: string | null = null;
  private credential!: () => string | null;
  realname!: RealNameService;
  private intakeKey!: IntakeKey;
  private port = 0;
  readonly now: () => number;
  private readonly clock: Clock;

  private readonly releaseLock: () => void;
  /** The configuration now: the one the core started with, with the identity (booth code, intake
   *  address, CA) that `booth provision` has since written (takeProvisionedIdentity). */
  private currentConfig: BoothConfig;

  private constructor(readonly options: CoreOptions) {
    this.currentConfig = options.config;
    const base = options.clock ?? systemClock;
    this.now = options.now ?? (() => base.now());
    this.clock = { ...base, now: this.now };
    const dataDir = path.resolve(options.dataDir);
    this.dataDir = dataDir;
    this.mediaDir = path.join(dataDir, 'media');
    mkdirSync(this.mediaDir, { recursive: true });
    // One core per data directory (lib/dataDirLock.ts): the boot sweep must not see another
    // core's save in progress.
    this.releaseLock = lockDataDir(dataDir);
    this.db = openBoothDb(path.join(dataDir, 'booth.db'));
    this.outbox = new Outbox(this.db, options.config.timeZone);
    this.disk = new DiskGuard(dataDir, () => options.config.minFreeBytes);
    this.sessions = new SessionStore(
      path.join(dataDir, 'sessions'),
      () => this.limits(),
      (bytes) => this.disk.admit(bytes),
    );
    this.settings = new BoothSettingsStore(dataDir);
    this.desk = new ServiceDesk(dataDir, () => this.kioskConfig().idleTimeoutSec * 1000, this.now);
  }

  /** Recording limits: the back office's once it has sent settings, else the local config's. */
  limits(): BoothConfig['limits'] {
    const s = this.settings.value;
    return s.revision > 0 ? { ...this.options.config.limits, ...s.limits } : this.options.config.limits;
  }

  /** Pulls settings now (enrolled booths only); applied without a restart: readers use getters.
   *  A pull the core's close() aborted changes nothing and touches nothing. */
  async pullSettings(): Promise<void> {
    const token = this.credential();
    const intakeUrl = this.intakeUrl;
    if (!token || !intakeUrl || this.closing.signal.aborted) return;
    const r = await this.settings.pull(this.client, this.closing.signal);
    if (this.closing.signal.aborted) return;
    if (r.applied) this.events.publish({ type: 'status', status: this.status() });
    if (r.applied) this.noteAnswer(token, 200);
    else if (r.reason === 'refused') this.noteAnswer(token, 401);
  }

  /** One heartbeat tick: the back office's settings first (so a change reaches the kiosk at the
   *  heartbeat's pace, issue 8), then the heartbeat. Nothing starts once the core is closing. */
  private async heartbeatTick(): Promise<void> {
    // Settings that cannot be written (a full disk) must not silence the heartbeat: it is how a
    // technician learns of the disk. The pull is tried again at the next tick.
    await this.pullSettings().catch((e: unknown) => log.error({ err: e }, 'back-office settings could not be applied'));
    if (this.closing.signal.aborted) return;
    await this.heartbeat.sendNow();
  }

  /** A tick now, outside the schedule; close() waits for it. */
  private tickNow(): void {
    if (this.closing.signal.aborted) return;
    const run = this.heartbeatTick().catch((e: unknown) => log.warn({ err: (e as Error).message }, 'heartbeat tick failed'));
    this.extraTicks.add(run);
    void run.finally(() => this.extraTicks.delete(run));
  }

  /** Why the kiosk is out of service, or null when residents may use it. A booth that was never
   *  enrolled, or whose credential the back office refuses, keeps running (no crash loop under
   *  systemd) and shows a calm screen instead; the technician's corner still works. */
  outOfService(): OutOfService | null {
    const token = this.credential();
    if (!this.intakeUrl || !token) return 'not_enrolled';
    // A credential written by provisioning whose booth code, address and CA are not taken yet (the
    // credential watch, at most CREDENTIAL_WATCH_MS): not in service under the old identity meanwhile.
    if (token !== this.seenCredential) return 'not_enrolled';
    return token === this.refusedCredential ? 'revoked' : null;
  }

  /** An answer from the back office to `token`: 401/403 marks it refused, a success clears that. */
  private noteAnswer(token: string | null, status: number): void {
    if (this.closing.signal.aborted) return;
    const before = this.outOfService();
    if (status === 401 || status === 403) this.refusedCredential = token;
    else if (status >= 200 && status < 300 && token === this.refusedCredential) this.refusedCredential = null;
    if (this.outOfService() !== before) this.events.publish({ type: 'status', status: this.status() });
  }

  /** A new credential (CLI provision or service-screen re-enrolment): queued submissions, also
   *  those parked after a refusal, go now; settings and a heartbeat follow at once. */
  checkCredential(): void {
    const token = this.credential();
    if (token === this.seenCredential) return;
    if (token) this.takeProvisionedIdentity();
    // Without an address yet (booth.json not written), look again next time.
    if (token && !this.intakeUrl) return;
    this.seenCredential = token;
    if (!token) return;
    log.info('booth credential changed: delivering what is queued');
    this.startDelivery();
    this.outbox.retryAllNow(this.now());
    this.worker.wake();
    this.tickNow();
    this.events.publish({ type: 'status', status: this.status() });
  }

  private watchCredential(): void {
    this.credentialTimer = this.clock.setTimeout(() => {
      this.checkCredential();
      if (this.credentialTimer) this.watchCredential();
    }, CREDENTIAL_WATCH_MS);
  }

  static async create(options: CoreOptions): Promise<BoothCore> {
    const core = new BoothCore(options);
    await core.settings.load();
    core.hardware = await loadMapping(path.resolve(options.dataDir));
    core.startHardwarePort = core.hardware.readerPort;
    core.sealingKey = await loadOrCreateKey(path.join(path.resolve(options.dataDir), 'keys', 'booth.key'));
    const left = await core.sessions.clearLeftovers();
    const orphans = await sweepOrphanMedia(core.mediaDir, core.outbox.referencedSubmissionIds());
    if (left || orphans) log.info({ left, orphans }, 'discarded unfinished sessions from before the restart');
    const transportProblem = options.intakeUrl ? checkIntakeTransport(options.intakeUrl) : null;
    if (transportProblem) throw new ConfigError(transportProblem);
    // Never enrolled: nothing is ever sent (the worker and heartbeat do not start, see listen()).
    const intakeBase = () => (core.intakeUrl ?? '').replace(/\/$/, '');
    core.credential = intakeTokenSource(options.dataDir, options.config, options.intakeToken);
    core.seenCredential = core.credential();
    const up = options.config.upload;
    // One throttle object, read by the transport on every chunk: the back office's upload windows
    // (settings) are applied to it in place, without a restart.
    const localThrottle = {
      bytesPerSecond: up.throttle.bytesPerSecond,
      windows: up.throttle.windows,
      utcOffsetMinutes: utcOffsetMinutes(options.config.timeZone),
    };
    core.throttle = { ...throttleForUploadWindows(localThrottle, core.settings.value.uploadWindows) };
    core.settings.onChange((s) => Object.assign(core.throttle, throttleForUploadWindows(localThrottle, s.uploadWindows)));
    core.client = new IntakeLink({
      // Read on every request: a booth provisioned while running learns its address then.
      get intakeUrl() {
        return intakeBase();
      },
      token: core.credential,
      idleTimeoutMs: up.idleTimeoutMs,
      inRequestDelaysMs: up.inRequestDelaysMs,
      throttle: core.throttle,
      ...(options.config.intakeCaFile ? { ca: readFileSync(options.config.intakeCaFile) } : {}),
    });
    core.worker = new UploadWorker({
      outbox: core.outbox,
      client: core.client,
      mediaDir: core.mediaDir,
      sealingKey: core.sealingKey,
      retry: { initialDelayMs: up.retryBaseMs, factor: up.retryFactor, capMs: up.retryCapMs, jitter: 0.2, maxRetryAfterMs: 24 * 3_600_000 },
      concurrency: up.concurrency,
      pollMs: up.pollMs,
      onChange: () => core.events.publish({ type: 'status', status: core.status() }),
    });
    core.intakeKey = new IntakeKey(path.resolve(options.dataDir), () => core.client.identityKey());
    core.realname = await RealNameService.create({
      // The port a technician mapped on the service screen counts as configured (read at start).
      config: { ...options.config.idcard, port: options.config.idcard.port ?? core.hardware.readerPort },
      publish: (e) => core.events.publish(e),
      canSeal: async () => (await core.intakeKey.get()) !== null,
      // A read waits for the resident at most as long as the idle reset; then it is forgotten.
      holdMs: options.config.idleTimeoutSec * 1000 * 2,
      excludePorts: options.config.printer?.kind === 'file' ? [options.config.printer.path] : [],
      ...(options.readerSimulator ? { simulator: options.readerSimulator } : {}),
    });
    const clock = core.clock;
    core.retention = new RetentionSweeper({
      outbox: core.outbox,
      mediaDir: core.mediaDir,
      config: options.config.retention,
      minFreeBytes: options.config.minFreeBytes,
      clock,
    });
    core.heartbeat = new HeartbeatSender({
      link: core.client,
      onResult: (status) => core.noteAnswer(core.credential(), status),
      onNumbers: (numbers) => core.outbox.applyAuthority(numbers, core.now()),
      clock,
      build: () =>
        buildHeartbeat({
          boothCode: core.config.boothCode,
          version: VERSION,
          outbox: core.outbox,
          dataDir: core.mediaDir,
          devices: options.devices ?? (() => collectDeviceStates(core.hardware, () => core.realname?.info() ?? null)),
          retention: options.config.retention,
          minFreeBytes: options.config.minFreeBytes,
          itemBytes: options.config.limits.itemBytes,
          now: core.now,
        }),
    });
    // The core owns the schedules of the heartbeat tick and the sweep, so that close() can wait for
    // a run in progress before the database closes.
    core.tick = new Periodic(
      clock,
      () => options.config.heartbeatSec * 1000,
      () => core.heartbeatTick(),
    );
    core.sweep = new Periodic(
      clock,
      () => RETENTION_SWEEP_MS,
      () => core.retention.sweep().catch((e: unknown) => log.error({ err: (e as Error).message }, 'retention sweep failed')),
    );
    // This boot's kiosk token joins the remembered ones, so a page left open through a restart renews itself.
    const tokens = new KioskTokenHistory(path.join(path.resolve(options.dataDir), 'keys', 'kiosk-tokens.json'));
    try {
      tokens.remember(core.token);
    } catch (e) {
      log.warn(
        { err: (e as Error).message },
        'kiosk token history not written: a page left open through a restart is reloaded by the supervisor instead',
      );
    }
    core.app = await buildBoothServer(core.serverPorts(tokens));
    return core;
  }

  /** The narrow ports the local server works through (server.ts BoothServerPorts). */
  private serverPorts(tokens: KioskTokenHistory): BoothServerPorts {
    return {
      guard: {
        token: this.token,
        diagnosticsToken: this.diagnosticsToken,
        allowedHosts: () => this.allowedHosts(),
        renewable: (presented) => tokens.knows(presented),
      },
      kiosk: {
        token: this.token,
        bootId: this.bootId,
        now: this.now,
        kioskConfig: async () => {
          await this.disk.measure();
          return this.kioskConfig();
        },
        // Free space is measured on every status request, never the last cached figure.
        status: async () => {
          await this.disk.measure();
          return this.status();
        },
        doctor: () => this.doctor(),
        presence: this.presence,
        events: this.events,
        promptsOverrideDir: this.promptsOverrideDir,
      },
      sessions: {
        sessions: this.sessions,
        now: this.now,
        submit: (id, details) => this.submit(id, details),
        printReceipt: (id, language) => this.printReceipt(id, language),
        discard: (id) => this.discard(id),
      },
      realname: this.realname,
      service: {
        dataDir: this.dataDir,
        desk: this.desk,
        boothCode: () => this.config.boothCode,
        version: VERSION,
        intakeUrl: () => this.intakeUrl,
        intakeHealth: (timeoutMs) => this.client.health(timeoutMs),
        enrolled: () => this.outOfService() !== 'not_enrolled',
        outbox: () => this.status().outbox,
        settingsRevision: () => this.settings.value.revision,
        idleTimeoutSec: () => this.kioskConfig().idleTimeoutSec,
        printTest: () => this.printTestReceipt(),
        printer: () => this.config.printer,
        savePrinter: (p) => this.savePrinter(p),
        doctor: () => this.doctor(),
        liveReader: () => this.realname?.info() ?? null,
        // The simulator's pseudo-terminal in development; else the configured or mapped port.
        liveReaderPort: () => this.realname?.simulator?.portPath ?? this.config.idcard.port ?? this.startHardwarePort,
        testRead: (timeoutMs) => this.realname.testRead(timeoutMs),
        onHardwareChanged: (h) => {
          this.hardware = h;
        },
        // The service screen provisions in this process: take the new identity now, not at the next watch.
        onProvisioned: () => this.checkCredential(),
      },
    };
  }

  get config(): BoothConfig {
    return this.currentConfig;
  }

  /** booth doctor's checks on what this core really uses (main/doctor/probes.ts coreProbes). */
  doctor(): ReturnType<typeof runDoctor> {
    return runDoctor(
      ALL_CHECKS,
      coreProbes(
        {
          dataDir: this.dataDir,
          link: this.client,
          intakeUrl: () => this.intakeUrl,
          hardware: () => this.hardware,
          readerPort: () => this.config.idcard.port ?? this.startHardwarePort,
          reader: () => this.realname?.info() ?? null,
          outbox: () => this.outbox.summary(),
          now: this.now,
        },
        { sysRoot: process.env.BOOTH_SYS_ROOT, procRoot: process.env.BOOTH_PROC_ROOT },
      ),
    );
  }

  /** `booth provision` (CLI or service screen) writes the CA and booth.json before the credential:
   *  when the credential changes, the running core takes the new booth code, intake address and CA
   *  at once (issue 20: no restart; it kept heartbeating under its old code before). */
  private takeProvisionedIdentity(): void {
    if (this.options.intakeToken || this.options.config.intakeToken) return; // not a provisioned credential
    let fresh: BoothConfig;
    try {
      fresh = loadConfig(this.dataDir);
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'booth.json cannot be read after provisioning');
      return;
    }
    if (!fresh.intakeUrl) return;
    const before = this.currentConfig;
    const moved = fresh.intakeUrl !== this.intakeUrl;
    this.currentConfig = { ...before, boothCode: fresh.boothCode, intakeUrl: fresh.intakeUrl, intakeCaFile: fresh.intakeCaFile };
    this.learnedIntakeUrl = fresh.intakeUrl;
    let ca: Buffer | undefined;
    try {
      ca = fresh.intakeCaFile ? readFileSync(fresh.intakeCaFile) : undefined;
    } catch (e) {
      log.error({ err: (e as Error).message }, 'TECHNICIAN ALERT: the intake CA file cannot be read');
    }
    this.client.setCa(ca);
    if (moved) this.intakeKey.forget();
    if (moved || before.boothCode !== fresh.boothCode)
      log.info({ boothCode: fresh.boothCode, intake: new URL(fresh.intakeUrl).origin }, 'new identity from booth provision: in use now');
  }

  async listen(port = this.config.port): Promise<string> {
    await this.app.listen({ host: '127.0.0.1', port });
    const addr = this.app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    // Where booth doctor and booth status find this core (main/doctor/runtime.ts). Never a reason not to run.
    try {
      writeCoreRuntime(this.dataDir, { pid: process.pid, url: this.url, diagnosticsToken: this.diagnosticsToken });
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'core.json could not be written: booth doctor will read the files instead');
    }
    this.sweep.start(0);
    this.watchCredential();
    if (!this.intakeUrl) {
      // Nothing is sent until `booth provision` writes an address and a credential: checkCredential
      // then starts delivery, without a restart.
      log.warn(
        'TECHNICIAN ALERT: this booth is not enrolled; the kiosk shows out of service. Run booth provision --code CODE --intake URL',
      );
      return this.url;
    }
    this.startDelivery();
    return this.url;
  }

  private delivering = false;
  private startDelivery(): void {
    if (this.delivering) return;
    this.delivering = true;
    this.worker.start();
    // Settings at start and then with every heartbeat (issue 8).
    this.tick.start(0);
  }

  /** The intake's address: the one the core was started with, else the one `booth provision`
   *  has since written to booth.json (read again while there is none). */
  get intakeUrl(): string | null {
    if (this.learnedIntakeUrl) return this.learnedIntakeUrl;
    if (this.options.intakeUrl) return this.options.intakeUrl;
    try {
      this.learnedIntakeUrl = loadConfig(this.dataDir).intakeUrl;
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'booth.json cannot be read');
    }
    return this.learnedIntakeUrl;
  }
  private learnedIntakeUrl: string | null = null;

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL the kiosk window opens: the token travels in the fragment, which is never sent to a server. */
  get kioskUrl(): string {
    return `${this.url}/#token=${this.token}`;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  kioskConfig(): KioskConfig {
    const c = this.config;
    const s = this.settings.value;
    const l = this.limits();
    const idleTimeoutSec = s.revision > 0 ? s.idleTimeoutSec : c.idleTimeoutSec;
    return {
      boothCode: c.boothCode,
      hardware: this.hardware,
      backOffice: {
        revision: s.revision,
        quickPickPlaces: s.quickPickPlaces,
        receiptText: s.receiptText,
        prompts: s.prompts,
        quietHours: s.quietHours,
        updatesEnabled: s.updatesEnabled,
        nightlyRestart: s.nightlyRestart,
        categories: s.categories,
      },
      language: c.language,
      idleTimeoutSec,
      idleWarningSec: Math.min(s.revision > 0 ? s.idleWarningSec : c.idleWarningSec, idleTimeoutSec - 1),
      limits: { videoSec: l.videoSec, audioSec: l.audioSec, photos: l.photos, itemBytes: l.itemBytes },
      resident: {
        promptVolume: c.resident.promptVolume,
        welcomeOnMotion: c.resident.welcomeOnMotion,
        callbackDays: c.resident.callbackDays,
        printer: c.printer !== null,
        // Offered only while a reader answers (issue 20): no reader, an unplugged one or a SAM
        // fault → anonymous only, as doctor, the service screen and the heartbeat say. A reader that
        // fails mid-read is the real-name screen's own error (renderer/realname/).
        realnameAvailable: this.realname.info().state === 'ready',
      },
      // The last measured state; GET /api/config measures afresh before answering.
      storageLow: this.disk.current.low,
      outOfService: this.outOfService(),
    };
  }

  /** Where a village's own prompt recordings are looked up first. */
  get promptsOverrideDir(): string {
    return this.config.resident.promptsDir ?? path.join(this.dataDir, 'prompts');
  }

  async printReceipt(submissionId: string, language: Language): Promise<void> {
    const printer = this.config.printer;
    if (!printer) throw new BoothError('printer_unavailable', 'no printer is configured on this booth');
    const row = this.outbox.get(submissionId);
    if (!row) throw new BoothError('not_found', 'no such submission');
    const counts = { video: 0, audio: 0, photo: 0 };
    for (const it of this.outbox.items(row.id)) counts[it.kind] += 1;
    const zh = language === 'zh-CN';
    const days = this.config.resident.callbackDays;
    const extra = this.settings.value.receiptText.trim();
    const base = this.settings.value.statusBaseUrl;
    const bytes = encodeReceipt({
      caseNumber: row.caseNumber,
      residentNumber: row.residentNumber,
      time: new Intl.DateTimeFormat('sv-SE', { timeZone: this.config.timeZone, dateStyle: 'short', timeStyle: 'short' }).format(
        Date.parse(row.savedAt),
      ),
      lang: zh ? 'zh' : 'en',
      counts,
      // The same QR as on screen: the status page (issue 18), derived from the booth key.
      qrText: base ? statusUrl(base, statusToken(this.sealingKey, row.id)) : row.caseNumber,
      nextSteps:
        (zh ? `工作人员会在${days}个工作日内处理并联系您` : `Staff will act within ${days} working days`) + (extra ? `\n${extra}` : ''),
      boothName: this.config.boothCode,
      widthDots: printer.widthDots,
    });
    try {
      await createPrinterTransport(printer).send(bytes);
    } catch (e) {
      log.error({ err: e }, 'TECHNICIAN ALERT: receipt printer failed');
      throw new BoothError('printer_unavailable', 'the printer did not take the receipt');
    }
  }

  /** The service screen's printer setting: booth.json "printer", used from the next receipt (no restart). */
  async savePrinter(printer: PrinterSetting | null): Promise<void> {
    const file = techFiles(this.dataDir).config;
    const existing = ((await readJson(file).catch(() => undefined)) ?? {}) as Record<string, unknown>;
    await writeJson(file, { ...existing, printer });
    this.currentConfig = { ...this.currentConfig, printer };
  }

  /** The service screen's printer test: a receipt marked as a test, never a real case number. */
  async printTestReceipt(): Promise<void> {
    const printer = this.config.printer;
    if (!printer) throw new BoothError('printer_unavailable', 'no printer is configured on this booth');
    const bytes = encodeReceipt({
      caseNumber: 'TEST-0000',
      time: new Intl.DateTimeFormat('sv-SE', { timeZone: this.config.timeZone, dateStyle: 'short', timeStyle: 'short' }).format(this.now()),
      lang: 'zh',
      counts: { video: 0, audio: 0, photo: 0 },
      qrText: 'TEST',
      nextSteps: '打印测试 / printer test',
      boothName: this.config.boothCode,
      widthDots: printer.widthDots,
    });
    await createPrinterTransport(printer).send(bytes);
  }

  status(): BoothStatus {
    const s = this.outbox.summary();
    return {
      boothCode: this.config.boothCode,
      version: VERSION,
      outbox: {
        waiting: s.waiting,
        failed: s.failed,
        delivered: s.delivered,
        oldestWaitingSec: s.oldestWaitingSavedAt ? Math.max(0, Math.round((this.now() - Date.parse(s.oldestWaitingSavedAt)) / 1000)) : null,
        lastError: s.lastError,
      },
      disk: this.disk.current,
    };
  }

  async submit(
    sessionId: string,
    details: { phone: string | null; category: string | null; location: string | null; realnameRef?: string | null },
  ) {
    const session = this.sessions.get(sessionId);
    const { realnameRef, ...rest } = details;
    let identity = null;
    if (realnameRef) {
      const record = this.realname.identityFor(realnameRef);
      const key = await this.intakeKey.get();
      if (!record || !key) throw new BoothError('realname_expired', 'the real-name read is no longer held; read the card again');
      // Checked against the contract before it is sealed: the intake parses the same schema after opening it.
      const checked = SealedIdentityRecord.safeParse(record);
      if (!checked.success) {
        log.warn({ fields: checked.error.issues.map((i) => i.path.join('.')) }, 'real-name record does not fit the contract; not sealed');
        throw new BoothError('realname_expired', 'the card could not be read completely; read the card again');
      }
      identity = sealIdentity(Buffer.from(JSON.stringify(checked.data), 'utf8'), key, session.id);
    }
    const receipt = await submitSession(
      {
        outbox: this.outbox,
        mediaDir: this.mediaDir,
        boothCode: this.config.boothCode,
        sealingKey: this.sealingKey,
        now: this.now,
        statusBaseUrl: this.settings.value.statusBaseUrl,
      },
      session,
      { ...rest, identity },
    );
    // Saved (sealed) with the submission: nothing of it stays in memory for the next resident.
    if (realnameRef) this.realname.forgetAll();
    await this.sessions.close(sessionId, true);
    log.info({ caseNumber: receipt.caseNumber, items: receipt.itemCount }, 'submission saved');
    this.worker.wake();
    this.events.publish({ type: 'status', status: this.status() });
    return receipt;
  }

  /** Idle reset or 返回: the session's files go, and so does any identity read for it. */
  async discard(sessionId: string): Promise<boolean> {
    this.realname.forgetAll();
    return this.sessions.close(sessionId, true);
  }

  /** Stops everything and waits for work in progress: no settings pull, heartbeat or sweep
   *  touches the database after it is closed. */
  async close(): Promise<void> {
    this.closing.abort();
    if (this.credentialTimer) this.clock.clearTimeout(this.credentialTimer);
    this.credentialTimer = null;
    const ticks = this.tick.stop();
    const sweeps = this.sweep.stop();
    await this.realname.close();
    await this.worker.stop();
    // Ends a heartbeat request in flight (it answers 0 and is not retried).
    this.client.close();
    await Promise.all([ticks, sweeps, ...this.extraTicks]);
    this.events.closeAll();
    await this.app.close();
    this.db.close();
    removeCoreRuntime(this.dataDir);
    this.releaseLock();
  }
}
