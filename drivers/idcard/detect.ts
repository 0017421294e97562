// Finding the reader (IDCARD-PROTOCOL.md §4.1, §4.4): a configured port always wins; otherwise each
// candidate serial port is probed with SAM status (2 s), then HID devices are matched by VID:PID.
import { SerialPort } from 'serialport';
import { createLogger } from '../../lib/log.ts';
import { commandFrame, asResponse, FrameParser } from './frame.ts';
import type { Transport, TransportFactory } from './transport.ts';
import { serialTransportFactory } from './transports/serial.ts';
import { hidTransportFactory, listHidDevices, type HidDeviceInfo } from './transports/hid.ts';
import { hidFraming, KNOWN_HID_READERS } from './transports/hidReports.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';

const log = createLogger('idcard.detect');

export type ReaderLocation =
  | { kind: 'serial'; path: string; source: 'configured' | 'probed' }
  | { kind: 'hid'; path: string; vendorId: number; productId: number; framing: string; source: 'configured' | 'probed' };

export interface SerialCandidate {
  path: string;
  vendorId?: string | undefined;
  pnpId?: string | undefined;
}

export interface DetectOptions {
  /** "/dev/ttyUSB0", or "hid:VVVV:PPPP" / "hid:/dev/hidrawN". Wins over probing. */
  configuredPort?: string | null;
  listSerial?: () => Promise<SerialCandidate[]>;
  listHid?: () => Promise<HidDeviceInfo[]>;
  openSerial?: (path: string) => Promise<Transport>;
  probeTimeoutMs?: number;
  clock?: Clock;
  /** Ports that belong to other devices (e.g. a serial receipt printer): never probed. */
  exclude?: readonly string[];
}

/** Serial ports that belong to a USB device (HEV's rule: it has a vendor id), plus built-in ttyS* skipped. */
export async function listSerialCandidates(): Promise<SerialCandidate[]> {
  try {
    const ports = await SerialPort.list();
    return ports.filter((p) => p.vendorId || p.pnpId).map((p) => ({ path: p.path, vendorId: p.vendorId, pnpId: p.pnpId }));
  } catch (e) {
    log.warn({ err: e }, 'cannot list serial ports (udevadm missing?)');
    return [];
  }
}

/** Sends SAM status and resolves with the answer's SW3 code, or null when nothing valid came back in time. */
export async function samStatusAnswer(t: Transport, timeoutMs = 2000, clock: Clock = systemClock): Promise<number | null> {
  const parser = new FrameParser();
  return new Promise<number | null>((resolve) => {
    let done = false;
    const finish = (v: number | null) => {
      if (done) return;
      done = true;
      clock.clearTimeout(timer);
      off();
      resolve(v);
    };
    const timer = clock.setTimeout(() => finish(null), timeoutMs);
    const off = t.onData((chunk) => {
      for (const f of parser.push(chunk)) {
        const r = asResponse(f);
        if (r) finish(r.sw3);
      }
    });
    t.write(commandFrame('samStatus')).catch(() => finish(null));
  });
}

/** Sends SAM status and waits for a valid SW3 90 (SAM ready) answer. */
export async function probeSamStatus(t: Transport, timeoutMs = 2000, clock: Clock = systemClock): Promise<boolean> {
  return (await samStatusAnswer(t, timeoutMs, clock)) === 0x90;
}

function parseConfigured(port: string): ReaderLocation {
  const m = /^hid:([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(port);
  if (m) {
    const vendorId = parseInt(m[1]!, 16);
    const productId = parseInt(m[2]!, 16);
    const known = KNOWN_HID_READERS.find((k) => k.vendorId === vendorId && k.productId === productId);
    return { kind: 'hid', path: '', vendorId, productId, framing: known?.framing ?? 'raw', source: 'configured' };
  }
  if (port.startsWith('hid:')) return { kind: 'hid', path: port.slice(4), vendorId: 0, productId: 0, framing: 'raw', source: 'configured' };
  return { kind: 'serial', path: port, source: 'configured' };
}

export async function detectReader(options: DetectOptions = {}): Promise<ReaderLocation | null> {
  if (options.configuredPort) return parseConfigured(options.configuredPort);
  const openSerial = options.openSerial ?? ((path: string) => serialTransportFactory({ path })());
  for (const c of await (options.listSerial ?? listSerialCandidates)()) {
    // Probing writes bytes: a printer on a USB-serial bridge would print them.
    if (options.exclude?.includes(c.path)) continue;
    let t: Transport | null = null;
    try {
      t = await openSerial(c.path);
      if (await probeSamStatus(t, options.probeTimeoutMs ?? 2000, options.clock)) {
        log.info({ port: c.path }, 'reader found on serial port');
        return { kind: 'serial', path: c.path, source: 'probed' };
      }
    } catch (e) {
      log.debug({ err: e, port: c.path }, 'probe failed');
    } finally {
      await t?.close().catch(() => undefined);
    }
  }
  for (const d of await (options.listHid ?? listHidDevices)()) {
    const known = KNOWN_HID_READERS.find((k) => k.vendorId === d.vendorId && k.productId === d.productId);
    if (known) return { kind: 'hid', path: d.path, vendorId: d.vendorId, productId: d.productId, framing: known.framing, source: 'probed' };
  }
  return null;
}

/** The transport factory for a detected location (a HID "VID:PID" is resolved to a path on each open). */
export function transportFactoryFor(loc: ReaderLocation): TransportFactory {
  if (loc.kind === 'serial') return serialTransportFactory({ path: loc.path });
  const framing = hidFraming(loc.framing);
  const desc = `hid:${loc.vendorId.toString(16).padStart(4, '0')}:${loc.productId.toString(16).padStart(4, '0')}`;
  return async () => {
    let path = loc.path;
    if (!path) {
      const d = (await listHidDevices()).find((x) => x.vendorId === loc.vendorId && x.productId === loc.productId);
      if (!d) throw new Error(`no HID device ${desc}`);
      path = d.path;
    }
    return hidTransportFactory(path, desc, framing)();
  };
}
