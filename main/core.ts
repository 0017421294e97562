// The booth core: plain Node, no Electron. BoothCore is what start.ts, the Electron shell, the
// tests and the bench hold: the parts composeCore (compose.ts) built, each with one job in its own
// module (sessions.ts, submission.ts, receipt/, realname.ts, enrolment.ts, schedules.ts,
// kioskView.ts, server.ts + api/), and the two verbs that belong to the whole: listen and close.
import type Database from 'better-sqlite3';
import { createLogger } from '../lib/log.ts';
import type { Outbox } from '../uploader/outbox.ts';
import type { IntakeLink } from '../uploader/intakeLink.ts';
import type { HeartbeatSender } from '../uploader/heartbeat.ts';
import type { RetentionSweeper } from '../uploader/retentionSweeper.ts';
import type { UploadWorker } from '../uploader/worker.ts';
import type { ThrottleConfig } from '../uploader/throttle.ts';
import type { BoothStatus, DoctorReport, KioskConfig, Language, PrinterSetting, Receipt } from '../contract/kiosk.ts';
import type { BoothConfig } from './config.ts';
import type { SessionStore } from './sessions.ts';
import type { LocalServer } from './server.ts';
import type { EventHub } from './events.ts';
import type { DiskGuard } from './disk.ts';
import type { BoothSettingsStore } from './technician/settings.ts';
import type { HardwareMapping } from './technician/mapping.ts';
import type { ServiceDesk } from './technician/serviceDesk.ts';
import { removeCoreRuntime, writeCoreRuntime } from './doctor/runtime.ts';
import type { RealNameService } from './realname.ts';
import type { IntakeKey } from './intakeKey.ts';
import type { KioskPresence } from './kiosk/presence.ts';
import type { Enrolment, OutOfService } from './enrolment.ts';
import type { Schedules } from './schedules.ts';
import type { Live } from './live.ts';
import type { ReceiptPrinter } from './receipt/printer.ts';
import type { Submissions } from './submission.ts';
import type { SubmitDetails } from './api/sessionRoutes.ts';
import { composeCore, type CoreOptions, type CoreParts } from './compose.ts';

export { CREDENTIAL_WATCH_MS, intakeTokenSource, type OutOfService } from './enrolment.ts';
export { RETENTION_SWEEP_MS } from './schedules.ts';
export type { CoreOptions } from './compose.ts';

const log = createLogger('core');

export class BoothCore {
  /** The kiosk's per-boot API token. */
  readonly token: string;
  /** Opens only the read-only diagnostic endpoints, for booth doctor and booth status (core.json). */
  readonly diagnosticsToken: string;
  readonly bootId: string;
  readonly dataDir: string;
  readonly mediaDir: string;
  readonly now: () => number;
  readonly db: Database.Database;
  readonly outbox: Outbox;
  readonly sessions: SessionStore;
  readonly events: EventHub;
  readonly disk: DiskGuard;
  /** The kiosk page's last sign of life (POST /api/kiosk/alive), read by the window supervisor. */
  readonly presence: KioskPresence;
  readonly settings: BoothSettingsStore;
  readonly desk: ServiceDesk;
  /** The technician's hardware mapping now (the service screen replaces it). */
  readonly hardware: Live<HardwareMapping>;
  /** The reader port mapped when the core started (the reader session's port until a restart). */
  readonly startHardwarePort: string | null;
  /** The uploader's throttle, changed in place when the back office's upload windows change. */
  readonly throttle: ThrottleConfig;
  readonly enrolment: Enrolment;
  readonly client: IntakeLink;
  readonly worker: UploadWorker;
  readonly heartbeat: HeartbeatSender;
  readonly retention: RetentionSweeper;
  readonly realname: RealNameService;
  readonly receipts: ReceiptPrinter;
  readonly submissions: Submissions;
  readonly server: LocalServer;
  private readonly intakeKey: IntakeKey;
  private readonly schedules: Schedules;
  private readonly liveConfig: Live<BoothConfig>;
  private readonly view: CoreParts['view'];
  /** Aborts settings pulls in flight when the core closes. */
  private readonly closing: AbortController;
  private readonly releaseLock: () => void;

  private constructor(p: CoreParts) {
    this.token = p.token;
    this.diagnosticsToken = p.diagnosticsToken;
    this.bootId = p.bootId;
    this.dataDir = p.dataDir;
    this.mediaDir = p.mediaDir;
    this.now = p.now;
    this.view = p.view;
    this.releaseLock = p.releaseLock;
    this.closing = p.closing;
    this.liveConfig = p.config;
    this.hardware = p.hardware;
    this.startHardwarePort = p.startHardwarePort;
    this.db = p.db;
    this.outbox = p.outbox;
    this.disk = p.disk;
    this.sessions = p.sessions;
    this.settings = p.settings;
    this.desk = p.desk;
    this.events = p.events;
    this.presence = p.presence;
    this.enrolment = p.enrolment;
    this.throttle = p.throttle;
    this.client = p.client;
    this.worker = p.worker;
    this.intakeKey = p.intakeKey;
    this.realname = p.realname;
    this.retention = p.retention;
    this.heartbeat = p.heartbeat;
    this.schedules = p.schedules;
    this.receipts = p.receipts;
    this.submissions = p.submissions;
    this.server = p.server;
  }

  /** Composes the parts (compose.ts) and holds them; listen() starts serving and delivering. */
  static async create(options: CoreOptions): Promise<BoothCore> {
    return new BoothCore(await composeCore(options));
  }

  /** The configuration now: the one the core started with, with the identity (booth code, intake
   *  address, CA) that `booth provision` has since written and the printer the service screen saved. */
  get config(): BoothConfig {
    return this.liveConfig.value;
  }

  /** The intake's address: the one the core was started with, else the one `booth provision` wrote. */
  get intakeUrl(): string | null {
    return this.enrolment.intakeUrl;
  }

  get url(): string {
    return this.server.url;
  }

  /** The URL the kiosk window opens: the token travels in the fragment, which is never sent to a server. */
  get kioskUrl(): string {
    return `${this.url}/#token=${this.token}`;
  }

  /** Why the kiosk is out of service (enrolment.ts), or null when residents may use it. */
  outOfService(): OutOfService | null {
    return this.enrolment.outOfService();
  }

  /** Pulls the back office's settings now (schedules.ts). */
  pullSettings(): Promise<void> {
    return this.schedules.pullSettings();
  }

  kioskConfig(): KioskConfig {
    return this.view.kioskConfig();
  }

  status(): BoothStatus {
    return this.view.status();
  }

  /** booth doctor's checks on what this core really uses (main/doctor/probes.ts coreProbes). */
  doctor(): Promise<DoctorReport> {
    return this.view.doctor();
  }

  submit(sessionId: string, details: SubmitDetails): Promise<Receipt> {
    return this.submissions.submit(sessionId, details);
  }

  printReceipt(submissionId: string, language: Language): Promise<void> {
    return this.receipts.print(submissionId, language);
  }

  savePrinter(printer: PrinterSetting | null): Promise<void> {
    return this.receipts.save(printer);
  }

  async listen(port = this.config.port): Promise<string> {
    await this.server.listen(port);
    // Where booth doctor and booth status find this core (main/doctor/runtime.ts). Never a reason not to run.
    try {
      writeCoreRuntime(this.dataDir, { pid: process.pid, url: this.url, diagnosticsToken: this.diagnosticsToken });
    } catch (e) {
      log.warn({ err: (e as Error).message }, 'core.json could not be written: booth doctor will read the files instead');
    }
    this.schedules.startSweep();
    this.enrolment.watch();
    if (!this.intakeUrl) {
      // Nothing is sent until `booth provision` writes an address and a credential: the credential
      // watch then starts delivery, without a restart.
      log.warn(
        'TECHNICIAN ALERT: this booth is not enrolled; the kiosk shows out of service. Run booth provision --code CODE --intake URL',
      );
      return this.url;
    }
    this.schedules.startDelivery();
    return this.url;
  }

  /** Stops everything and waits for work in progress: no settings pull, heartbeat or sweep
   *  touches the database after it is closed. */
  async close(): Promise<void> {
    this.closing.abort();
    this.enrolment.stop();
    const runs = this.schedules.stop();
    await this.realname.close();
    await this.worker.stop();
    // Ends a heartbeat request in flight (it answers 0 and is not retried).
    this.client.close();
    await runs;
    this.events.closeAll();
    await this.server.close();
    this.db.close();
    removeCoreRuntime(this.dataDir);
    this.releaseLock();
  }
}
