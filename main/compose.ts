// The booth core's composition: opens the data directory and builds each part with what it needs,
// in dependency order, wiring them to one another by closures; BoothCore (core.ts) receives the
// finished parts at once. The only place that knows how the parts fit together.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
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
import { checkIntakeTransport, ConfigError, type BoothConfig } from './config.ts';
import type { DeviceStates } from '../contract/booth.ts';
import type { BoothStatus, DoctorReport, KioskConfig } from '../contract/kiosk.ts';
import { SessionStore } from './sessions.ts';
import { sealMediaAtRest, sweepOrphanMedia } from './submit.ts';
import { buildBoothServer, LocalServer, type BoothServerPorts } from './server.ts';
import { KioskTokenHistory } from './kiosk/tokenHistory.ts';
import { EventHub } from './events.ts';
import { VERSION } from './version.ts';
import { DiskGuard } from './disk.ts';
import { BoothSettingsStore } from './technician/settings.ts';
import { loadMapping, type HardwareMapping } from './technician/mapping.ts';
import { ServiceDesk } from './technician/serviceDesk.ts';
import { throttleForUploadWindows, utcOffsetMinutes } from './technician/uploadWindows.ts';
import type { ThrottleConfig } from '../uploader/throttle.ts';
import { ALL_CHECKS } from './doctor/checks.ts';
import { coreProbes } from './doctor/probes.ts';
import { runDoctor } from './doctor/run.ts';
import { RealNameService, type ReaderSimulatorFactory } from './realname.ts';
import { IntakeKey } from './intakeKey.ts';
import { KioskPresence } from './kiosk/presence.ts';
import { Enrolment } from './enrolment.ts';
import { Schedules } from './schedules.ts';
import { Live } from './live.ts';
import { ReceiptPrinter } from './receipt/printer.ts';
import { Submissions } from './submission.ts';
import { effectiveLimits, kioskConfigOf, statusOf } from './kioskView.ts';

const log = createLogger('core');

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

/** Everything composeCore builds, handed to BoothCore's constructor at once. */
export interface CoreParts {
  dataDir: string;
  mediaDir: string;
  now: () => number;
  releaseLock: () => void;
  closing: AbortController;
  config: Live<BoothConfig>;
  hardware: Live<HardwareMapping>;
  startHardwarePort: string | null;
  db: Database.Database;
  outbox: Outbox;
  disk: DiskGuard;
  sessions: SessionStore;
  settings: BoothSettingsStore;
  desk: ServiceDesk;
  events: EventHub;
  presence: KioskPresence;
  enrolment: Enrolment;
  throttle: ThrottleConfig;
  client: IntakeLink;
  worker: UploadWorker;
  intakeKey: IntakeKey;
  realname: RealNameService;
  retention: RetentionSweeper;
  heartbeat: HeartbeatSender;
  schedules: Schedules;
  receipts: ReceiptPrinter;
  submissions: Submissions;
  server: LocalServer;
  token: string;
  diagnosticsToken: string;
  bootId: string;
  /** What the kiosk, booth doctor and booth status are told now (kioskView.ts, doctor/). */
  view: { kioskConfig: () => KioskConfig; status: () => BoothStatus; doctor: () => Promise<DoctorReport> };
}

export async function composeCore(options: CoreOptions): Promise<CoreParts> {
  const base = options.clock ?? systemClock;
  const now = options.now ?? (() => base.now());
  const clock: Clock = { ...base, now };
  const dataDir = path.resolve(options.dataDir);
  const mediaDir = path.join(dataDir, 'media');
  mkdirSync(mediaDir, { recursive: true });
  // One core per data directory (lib/dataDirLock.ts): the boot sweep must not see another
  // core's save in progress.
  const releaseLock = lockDataDir(dataDir);
  const closing = new AbortController();
  const config = new Live(options.config);
  const db = openBoothDb(path.join(dataDir, 'booth.db'));
  const outbox = new Outbox(db, options.config.timeZone);
  const disk = new DiskGuard(dataDir, () => options.config.minFreeBytes);
  const settings = new BoothSettingsStore(dataDir);
  const limits = () => effectiveLimits(options.config, settings.value);
  // The booth key: phone, identity and recordings at rest are sealed with it (lib/sealed.ts).
  const sealingKey = await loadOrCreateKey(path.join(dataDir, 'keys', 'booth.key'));
  const sessions = new SessionStore(
    path.join(dataDir, 'sessions'),
    limits,
    () => sealingKey,
    (bytes) => disk.admit(bytes),
  );
  const idleTimeoutSec = () => kioskConfigNow().idleTimeoutSec;
  const desk = new ServiceDesk(dataDir, () => idleTimeoutSec() * 1000, now);
  const events = new EventHub();
  const presence = new KioskPresence();
  const statusNow = (): BoothStatus =>
    statusOf({ boothCode: config.value.boothCode, version: VERSION, outbox: outbox.summary(), disk: disk.current, nowMs: now() });
  const publishStatus = () => events.publish({ type: 'status', status: statusNow() });

  await settings.load();
  const hardware = new Live(await loadMapping(dataDir));
  const startHardwarePort = hardware.value.readerPort;
  const left = await sessions.clearLeftovers();
  const orphans = await sweepOrphanMedia(mediaDir, outbox.referencedSubmissionIds());
  if (left || orphans) log.info({ left, orphans }, 'discarded unfinished sessions from before the restart');
  const atRest = await sealMediaAtRest(mediaDir, sealingKey);
  if (atRest.sealed || atRest.tmpRemoved) log.info(atRest, 'media at rest: clear files sealed, unfinished temporary files removed');
  const transportProblem = options.intakeUrl ? checkIntakeTransport(options.intakeUrl) : null;
  if (transportProblem) throw new ConfigError(transportProblem);

  const enrolment: Enrolment = new Enrolment({
    dataDir,
    started: { intakeUrl: options.intakeUrl, intakeToken: options.intakeToken, config: options.config },
    config,
    clock,
    closing: closing.signal,
    onIdentity: (ca, moved) => {
      client.setCa(ca);
      if (moved) intakeKey.forget();
    },
    onChange: publishStatus,
    onCredential: () => {
      schedules.startDelivery();
      outbox.retryAllNow(now());
      worker.wake();
      schedules.tickNow();
    },
  });
  const up = options.config.upload;
  // One throttle object, read by the transport on every chunk: the back office's upload windows
  // (settings) are applied to it in place, without a restart.
  const localThrottle = {
    bytesPerSecond: up.throttle.bytesPerSecond,
    windows: up.throttle.windows,
    utcOffsetMinutes: utcOffsetMinutes(options.config.timeZone),
  };
  const throttle = { ...throttleForUploadWindows(localThrottle, settings.value.uploadWindows) };
  settings.onChange((s) => Object.assign(throttle, throttleForUploadWindows(localThrottle, s.uploadWindows)));
  const client = new IntakeLink({
    // Read on every request: a booth provisioned while running learns its address then.
    // Never enrolled: nothing is ever sent (the worker and heartbeat do not start, see listen()).
    get intakeUrl() {
      return (enrolment.intakeUrl ?? '').replace(/\/$/, '');
    },
    token: enrolment.credential,
    idleTimeoutMs: up.idleTimeoutMs,
    inRequestDelaysMs: up.inRequestDelaysMs,
    throttle,
    ...(options.config.intakeCaFile ? { ca: readFileSync(options.config.intakeCaFile) } : {}),
  });
  const worker = new UploadWorker({
    outbox,
    client,
    mediaDir,
    sealingKey,
    retry: { initialDelayMs: up.retryBaseMs, factor: up.retryFactor, capMs: up.retryCapMs, jitter: 0.2, maxRetryAfterMs: 24 * 3_600_000 },
    concurrency: up.concurrency,
    pollMs: up.pollMs,
    onChange: publishStatus,
    // The intake confirmed every item's size and sha256: the booth's sealed copies may go now.
    onDelivered: (id) =>
      void retention.afterDelivery(id).catch((e: unknown) => log.error({ err: (e as Error).message }, 'media purge failed')),
  });
  const intakeKey = new IntakeKey(dataDir, () => client.identityKey());
  const realname = await RealNameService.create({
    // The port a technician mapped on the service screen counts as configured (read at start).
    config: { ...options.config.idcard, port: options.config.idcard.port ?? hardware.value.readerPort },
    publish: (e) => events.publish(e),
    canSeal: async () => (await intakeKey.get()) !== null,
    // A read waits for the resident at most as long as the idle reset; then it is forgotten.
    holdMs: options.config.idleTimeoutSec * 1000 * 2,
    excludePorts: options.config.printer?.kind === 'file' ? [options.config.printer.path] : [],
    ...(options.readerSimulator ? { simulator: options.readerSimulator } : {}),
  });
  const kioskConfigNow = (): KioskConfig =>
    kioskConfigOf({
      config: config.value,
      settings: settings.value,
      hardware: hardware.value,
      readerReady: realname.info().state === 'ready',
      storageLow: disk.current.low,
      outOfService: enrolment.outOfService(),
    });
  // The days recordings stay after delivery are the back office's (settings), read at each sweep.
  const retentionConfig = {
    diskAlertFraction: options.config.retention.diskAlertFraction,
    get mediaDays() {
      return settings.value.mediaRetentionDays;
    },
  };
  const retention = new RetentionSweeper({
    outbox,
    mediaDir,
    config: retentionConfig,
    minFreeBytes: options.config.minFreeBytes,
    clock,
  });
  const heartbeat = new HeartbeatSender({
    link: client,
    onResult: (status) => enrolment.noteAnswer(enrolment.credential(), status),
    onNumbers: (numbers) => outbox.applyAuthority(numbers, now()),
    clock,
    build: () =>
      buildHeartbeat({
        boothCode: config.value.boothCode,
        version: VERSION,
        outbox,
        dataDir: mediaDir,
        devices: options.devices ?? (() => collectDeviceStates(hardware.value, () => realname.info())),
        retention: retentionConfig,
        minFreeBytes: options.config.minFreeBytes,
        itemBytes: options.config.limits.itemBytes,
        now,
      }),
  });
  // The core owns the schedules of the heartbeat tick and the sweep, so that close() can wait for
  // a run in progress before the database closes.
  const schedules: Schedules = new Schedules({
    clock,
    heartbeatMs: options.config.heartbeatSec * 1000,
    closing,
    enrolment,
    settings,
    link: client,
    heartbeat,
    worker,
    sweep: () => retention.sweep(),
    onSettings: publishStatus,
  });
  const receipts = new ReceiptPrinter({ dataDir, config, outbox, settings: () => settings.value, sealingKey, now });
  const submissions = new Submissions({
    sessions,
    realname,
    intakeKey: () => intakeKey.get(),
    staging: () => ({
      outbox,
      mediaDir,
      boothCode: config.value.boothCode,
      sealingKey,
      now,
      statusBaseUrl: settings.value.statusBaseUrl,
    }),
    onSaved: () => {
      worker.wake();
      publishStatus();
    },
  });
  const doctor = () =>
    runDoctor(
      ALL_CHECKS,
      coreProbes(
        {
          dataDir,
          link: client,
          intakeUrl: () => enrolment.intakeUrl,
          hardware: () => hardware.value,
          readerPort: () => config.value.idcard.port ?? startHardwarePort,
          reader: () => realname.info(),
          outbox: () => outbox.summary(),
          now,
        },
        { sysRoot: process.env.BOOTH_SYS_ROOT, procRoot: process.env.BOOTH_PROC_ROOT },
      ),
    );

  const token = randomBytes(24).toString('base64url');
  const diagnosticsToken = randomBytes(24).toString('base64url');
  const bootId = randomUUID();
  // This boot's kiosk token joins the remembered ones, so a page left open through a restart renews itself.
  const tokens = new KioskTokenHistory(path.join(dataDir, 'keys', 'kiosk-tokens.json'));
  try {
    tokens.remember(token);
  } catch (e) {
    log.warn(
      { err: (e as Error).message },
      'kiosk token history not written: a page left open through a restart is reloaded by the supervisor instead',
    );
  }
  // The narrow ports the local server works through (server.ts BoothServerPorts).
  const ports: BoothServerPorts = {
    guard: {
      token,
      diagnosticsToken,
      allowedHosts: () => server.allowedHosts(),
      renewable: (presented) => tokens.knows(presented),
    },
    kiosk: {
      token,
      bootId,
      now,
      kioskConfig: async () => {
        await disk.measure();
        return kioskConfigNow();
      },
      // Free space is measured on every status request, never the last cached figure.
      status: async () => {
        await disk.measure();
        return statusNow();
      },
      doctor,
      presence,
      events,
      promptsOverrideDir: options.config.resident.promptsDir ?? path.join(dataDir, 'prompts'),
    },
    sessions: {
      sessions,
      now,
      submit: (id, details) => submissions.submit(id, details),
      printReceipt: (id, language) => receipts.print(id, language),
      discard: (id) => submissions.discard(id),
    },
    realname,
    service: {
      dataDir,
      desk,
      boothCode: () => config.value.boothCode,
      version: VERSION,
      intakeUrl: () => enrolment.intakeUrl,
      intakeHealth: (timeoutMs) => client.health(timeoutMs),
      enrolled: () => enrolment.outOfService() !== 'not_enrolled',
      outbox: () => statusNow().outbox,
      settingsRevision: () => settings.value.revision,
      idleTimeoutSec,
      printTest: () => receipts.printTest(),
      printer: () => receipts.setting(),
      savePrinter: (p) => receipts.save(p),
      doctor,
      liveReader: () => realname.info(),
      // The simulator's pseudo-terminal in development; else the configured or mapped port.
      liveReaderPort: () => realname.simulator?.portPath ?? config.value.idcard.port ?? startHardwarePort,
      testRead: (timeoutMs) => realname.testRead(timeoutMs),
      onHardwareChanged: (h) => hardware.set(h),
      // The service screen provisions in this process: take the new identity now, not at the next watch.
      onProvisioned: () => enrolment.check(),
    },
  };
  const server = new LocalServer(await buildBoothServer(ports));
  return {
    ...{ dataDir, mediaDir, now, releaseLock, closing, config, hardware, startHardwarePort, db, outbox, disk },
    ...{ sessions, settings, desk, events, presence, enrolment, throttle, client, worker, intakeKey, realname },
    ...{ retention, heartbeat, schedules, receipts, submissions, server, token, diagnosticsToken, bootId },
    view: { kioskConfig: kioskConfigNow, status: statusNow, doctor },
  };
}
