// The service screen's handlers, registered through the one route helper (validated by the contract).
import type { FastifyInstance } from 'fastify';
import { listReaderPorts as listDriverPorts, readerPortInfo, type ListPortsOptions } from '../../drivers/idcard/index.ts';
import { registerRoute } from '../api/route.ts';
import { BoothError } from '../api/errors.ts';
import type { HardwareChoice, PrinterSetting, ReaderPort, ReaderTestRead, ServiceCheck, ServiceState } from '../../contract/kiosk.ts';
import type { DoctorReport } from '../doctor/run.ts';
import type { HealthAnswer } from '../../uploader/intakeLink.ts';
import { probeReader } from './probes.ts';
import { provision } from './provision.ts';
import { loadMapping, saveMapping } from './mapping.ts';
import type { ServiceDesk } from './serviceDesk.ts';
import { createLogger } from '../../lib/log.ts';

const log = createLogger('service-api');

export interface ServiceDeps {
  dataDir: string;
  desk: ServiceDesk;
  boothCode: () => string;
  version: string;
  intakeUrl: () => string | null;
  /** The intake's health over the core's own link (its address, CA and timeouts). */
  intakeHealth: (timeoutMs: number) => Promise<HealthAnswer>;
  /** Whether the booth holds a credential, wherever it came from (provisioning's token file,
   *  booth.json, or the embedded intake of `npm start`): the core's own credential source. */
  enrolled: () => boolean;
  outbox: () => ServiceState['outbox'];
  settingsRevision: () => number;
  idleTimeoutSec: () => number;
  /** The booth's live reader session (issue 5), which holds the configured port open. */
  liveReader?: () => { state: string; simulated: boolean; cardOnReader: boolean } | null;
  /** The port the live reader session was started on (the mapping at start). */
  liveReaderPort?: () => string | null;
  /** A test read through the live reader session (masked); absent when the booth has none. */
  testRead?: (timeoutMs: number) => Promise<ReaderTestRead>;
  /** Prints a test receipt on the booth's printer (throws when it fails). */
  printTest: () => Promise<void>;
  /** The receipt printer as configured now (null = none). */
  printer: () => PrinterSetting | null;
  /** Saves the printer setting (booth.json) and uses it from the next receipt. */
  savePrinter: (p: PrinterSetting | null) => Promise<void>;
  /** `booth doctor`'s checks as the running core sees them. */
  doctor: () => Promise<DoctorReport>;
  /** Called after the mapping changed, so the next recording uses it. */
  onHardwareChanged: (h: HardwareChoice) => void;
  /** After a successful enrolment from the screen: the running core takes the new identity at once. */
  onProvisioned?: () => void;
  devDir?: string;
}

/**
 * Candidate reader ports, from the driver's own listing (USB-serial bridges, ACM devices, hidraw
 * nodes, native-USB readers of a known VID:PID, each with its kind and model), plus the one configured.
 */
export async function listReaderPorts(
  devDir = '/dev',
  configured: string | null = null,
  o: Omit<ListPortsOptions, 'devDir'> = {},
  live: { port: string; simulated: boolean } | null = null,
): Promise<ReaderPort[]> {
  const ports: ReaderPort[] = await listDriverPorts({ ...o, devDir });
  // The port the booth's own reader session has open (the simulator's pseudo-terminal in development:
  // not under /dev/serial, so the driver's listing cannot see it) is always a choice.
  if (live && !ports.some((p) => p.port === live.port))
    ports.unshift({ ...readerPortInfo(live.port), ...(live.simulated ? { simulated: true } : {}) });
  else if (live?.simulated) for (const p of ports) if (p.port === live.port) p.simulated = true;
  return configured && !ports.some((p) => p.port === configured) ? [readerPortInfo(configured), ...ports] : ports;
}

export function registerServiceRoutes(app: FastifyInstance, d: ServiceDeps): void {
  const livePort = () => {
    const port = d.liveReaderPort?.() ?? null;
    const live = d.liveReader?.();
    return port && live ? { port, simulated: live.simulated } : null;
  };
  const guard = (token: string) => {
    if (!d.desk.check(token)) throw new BoothError('forbidden', 'the service screen is locked');
  };

  registerRoute(app, 'serviceUnlock', async ({ pin }) => {
    const r = await d.desk.unlock(pin);
    return r.unlocked ? { ...r, idleTimeoutSec: d.idleTimeoutSec() } : r;
  });

  registerRoute(app, 'serviceState', async ({ serviceToken }) => {
    guard(serviceToken);
    const intakeUrl = d.intakeUrl();
    const [hardware, ping] = await Promise.all([loadMapping(d.dataDir), d.intakeHealth(3000)]);
    return {
      boothCode: d.boothCode(),
      version: d.version,
      enrolled: d.enrolled(),
      intakeUrl,
      intakeReachable: ping.reachable,
      outbox: d.outbox(),
      hardware,
      readerPorts: await listReaderPorts(d.devDir, hardware.readerPort, {}, livePort()),
      settingsRevision: d.settingsRevision(),
      printer: d.printer(),
    };
  });

  registerRoute(app, 'serviceSaveHardware', async ({ serviceToken, hardware }) => {
    guard(serviceToken);
    await saveMapping(d.dataDir, hardware);
    log.info({ face: !!hardware.faceCamera, document: !!hardware.documentCamera, reader: hardware.readerPort }, 'hardware mapping saved');
    d.onHardwareChanged(hardware);
    return hardware;
  });

  registerRoute(app, 'serviceTestReader', async ({ serviceToken, port }) => {
    guard(serviceToken);
    // The booth's reader session keeps its port open (exclusively): ask the session, not the port.
    // The simulator's too: it is that session's port, and a second open would not be the booth's view.
    const live = d.liveReader?.();
    if (live && d.liveReaderPort?.() === port) {
      const ok = live.state === 'ready';
      const message = ok
        ? `The reader on ${port} answers and is in use by the booth${live.cardOnReader ? '; a card is on it' : ''}.`
        : `The reader on ${port} is ${live.state === 'sam-fault' ? 'connected but its security module reports a fault' : live.state}.`;
      return { present: true, responds: ok, message, reason: ok ? ('in_use' as const) : ('session_fault' as const), name: port };
    }
    const r = await probeReader(port);
    const busy = !!r.error && /busy|lock/i.test(r.error);
    // r.name is the port in plain words: "精伦 iDR200 family (SAM_V) on usb:0400:c35a".
    const reason = !r.present ? 'no_port' : r.responds ? 'answers' : busy ? 'busy' : 'no_answer';
    const message = {
      no_port: `${r.name}: the port does not exist${r.error ? ` (${r.error})` : ''}: check the reader cable.`,
      answers: `The ${r.name} answers. Save to use this port for real-name reads.`,
      busy: `The ${r.name} is in use by another program.`,
      no_answer: `The ${r.name} does not answer${r.error ? ` (${r.error})` : ''}.`,
    }[reason];
    return { present: r.present, responds: r.responds, message, reason, name: r.name ?? port };
  });

  // A real card read through the booth's own reader session (serial ports are opened exclusively,
  // so never a second time); the answer is masked, and neither the route nor the session logs it.
  registerRoute(app, 'serviceReadCard', async ({ serviceToken, timeoutSec }) => {
    guard(serviceToken);
    if (!d.testRead) return { outcome: 'absent' as const, card: null, error: null };
    return d.testRead(timeoutSec * 1000);
  });

  registerRoute(app, 'serviceTestPrinter', async ({ serviceToken }) => {
    guard(serviceToken);
    if (!d.printer())
      return {
        printed: false,
        reason: 'none' as const,
        message: 'No receipt printer is set on this booth; receipts are shown on screen as a QR code.',
      };
    try {
      await d.printTest();
      return {
        printed: true,
        reason: 'printed' as const,
        message: 'A test receipt was sent to the printer: check that it came out whole and the QR code is sharp.',
      };
    } catch (e) {
      return {
        printed: false,
        reason: 'failed' as const,
        message: `The printer did not take the test receipt (${(e as Error).message}): check paper, power and cable.`,
      };
    }
  });

  registerRoute(app, 'serviceSavePrinter', async ({ serviceToken, printer }) => {
    guard(serviceToken);
    await d.savePrinter(printer);
    log.info({ kind: printer?.kind ?? 'none' }, 'printer setting saved');
    return { printer: d.printer() };
  });

  // The doctor's checks as the running core sees them; the screen words them in its language.
  registerRoute(app, 'serviceDoctor', async ({ serviceToken }) => {
    guard(serviceToken);
    const r = await d.doctor();
    const checks: ServiceCheck[] = r.checks.map((c) =>
      c.outcome.status === 'ok'
        ? { id: c.id, status: 'ok', text: c.outcome.detail, fix: null }
        : { id: c.id, status: c.outcome.status, text: c.outcome.problem, fix: c.outcome.fix },
    );
    return { ok: r.ok, checks };
  });

  // Re-enrolment by a technician who is already in (after a revoke, or moving a booth to another
  // back office). The first enrolment needs `booth provision`: before it there is no PIN, and an
  // unenrolled booth must not be claimable by whoever taps its corner.
  registerRoute(app, 'serviceEnrol', async ({ serviceToken, code, intakeUrl, caPem, caFingerprint }) => {
    guard(serviceToken);
    const r = await provision({
      dataDir: d.dataDir,
      intakeUrl,
      code,
      pin: null,
      ...(caFingerprint !== undefined ? { caFingerprint } : caPem?.trim() ? { caPem } : {}),
    });
    if (!r.ok) return { enrolled: false, message: r.problem, restartNeeded: false, reason: r.reason, booth: null };
    log.info({ boothCode: r.boothCode }, 'enrolled from the service screen');
    d.onProvisioned?.();
    // The running core takes the new booth code, address and CA when it sees the new credential.
    return {
      enrolled: true,
      message: `Enrolled as ${r.boothCode} (${r.village}, ${r.location}).`,
      restartNeeded: false,
      reason: null,
      booth: { boothCode: r.boothCode, village: r.village, location: r.location },
    };
  });

  registerRoute(app, 'serviceLock', ({ serviceToken }) => ({ locked: d.desk.lock(serviceToken) }));
}
