// Finding the reader (IDCARD-PROTOCOL.md §4.1, §4.3, §4.4): a configured port always wins; otherwise
// each candidate serial port is probed with SAM status (2 s), then each native-USB device of a known
// VID:PID likewise, then HID devices are matched by VID:PID.
import { readdir } from 'node:fs/promises';
import { SerialPort } from 'serialport';
import { createLogger } from '../../lib/log.ts';
import { commandFrame, asResponse, FrameParser } from './frame.ts';
import { DeviceAbsentError, type Transport, type TransportFactory } from './transport.ts';
import { serialTransportFactory } from './transports/serial.ts';
import { hidTransportFactory, listHidDevices, type HidDeviceInfo } from './transports/hid.ts';
import { hidFraming, KNOWN_HID_READERS } from './transports/hidReports.ts';
import { listUsbDevices, usbTransportFactory, type UsbDeviceInfo } from './transports/usb.ts';
import { knownUsbReader } from './transports/usbLayout.ts';
import { formatUsbPort, parseUsbPort, type UsbSelector } from './transports/usbPort.ts';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';

const log = createLogger('idcard.detect');

export type ReaderLocation =
  | { kind: 'serial'; path: string; source: 'configured' | 'probed' }
  | { kind: 'hid'; path: string; vendorId: number; productId: number; framing: string; source: 'configured' | 'probed' }
  | ({ kind: 'usb'; source: 'configured' | 'probed' } & UsbSelector);

export interface SerialCandidate {
  path: string;
  vendorId?: string | undefined;
  pnpId?: string | undefined;
}

export interface DetectOptions {
  /** "/dev/ttyUSB0", "hid:VVVV:PPPP" / "hid:/dev/hidrawN", or "usb:VVVV:PPPP[:BUS-ADDRESS]". Wins over probing. */
  configuredPort?: string | null;
  listSerial?: () => Promise<SerialCandidate[]>;
  listHid?: () => Promise<HidDeviceInfo[]>;
  listUsb?: () => Promise<UsbDeviceInfo[]>;
  openSerial?: (path: string) => Promise<Transport>;
  openUsb?: (sel: UsbSelector) => Promise<Transport>;
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

/** A port name → where the reader is; throws a RangeError naming the expected form for a malformed "usb:" name. */
export function parseReaderPort(port: string): ReaderLocation {
  if (port.startsWith('usb:')) return { kind: 'usb', source: 'configured', ...parseUsbPort(port) };
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
  if (options.configuredPort) return parseReaderPort(options.configuredPort);
  const openSerial = options.openSerial ?? ((path: string) => serialTransportFactory({ path })());
  const probe = async (port: string, open: () => Promise<Transport>): Promise<boolean> => {
    let t: Transport | null = null;
    try {
      t = await open();
      return await probeSamStatus(t, options.probeTimeoutMs ?? 2000, options.clock);
    } catch (e) {
      log.debug({ err: e, port }, 'probe failed');
      return false;
    } finally {
      await t?.close().catch(() => undefined);
    }
  };
  for (const c of await (options.listSerial ?? listSerialCandidates)()) {
    // Probing writes bytes: a printer on a USB-serial bridge would print them.
    if (options.exclude?.includes(c.path)) continue;
    if (await probe(c.path, () => openSerial(c.path))) {
      log.info({ port: c.path }, 'reader found on serial port');
      return { kind: 'serial', path: c.path, source: 'probed' };
    }
  }
  // Only known VID:PIDs: SAM bytes written to the bulk pipe of some other vendor-class device
  // could mean anything to it.
  const usb = (await (options.listUsb ?? (() => listUsbDevices()))()).filter((d) => knownUsbReader(d.vendorId, d.productId));
  const openUsb = options.openUsb ?? ((sel: UsbSelector) => usbTransportFactory(sel)());
  for (const d of usb) {
    // Pinned to its bus address only when another reader of the same model is plugged in too; a
    // lone reader is named by VID:PID, so it is found again after an unplug (at a new address).
    const twin = usb.some((o) => o !== d && o.vendorId === d.vendorId && o.productId === d.productId);
    const pinned: UsbSelector = { vendorId: d.vendorId, productId: d.productId, busNumber: d.busNumber, deviceAddress: d.deviceAddress };
    const sel: UsbSelector = twin ? pinned : { vendorId: d.vendorId, productId: d.productId };
    if (await probe(formatUsbPort(pinned), () => openUsb(pinned))) {
      log.info({ port: formatUsbPort(sel) }, 'reader found on native USB');
      return { kind: 'usb', source: 'probed', ...sel };
    }
  }
  for (const d of await (options.listHid ?? listHidDevices)()) {
    const known = KNOWN_HID_READERS.find((k) => k.vendorId === d.vendorId && k.productId === d.productId);
    if (known) return { kind: 'hid', path: d.path, vendorId: d.vendorId, productId: d.productId, framing: known.framing, source: 'probed' };
  }
  return null;
}

/** The transport factory for a detected location (a HID or USB "VID:PID" is resolved to a device on each open). */
export function transportFactoryFor(loc: ReaderLocation): TransportFactory {
  if (loc.kind === 'serial') return serialTransportFactory({ path: loc.path });
  if (loc.kind === 'usb') return usbTransportFactory(loc);
  const framing = hidFraming(loc.framing);
  const desc = `hid:${loc.vendorId.toString(16).padStart(4, '0')}:${loc.productId.toString(16).padStart(4, '0')}`;
  return async () => {
    let path = loc.path;
    if (!path) {
      const d = (await listHidDevices()).find((x) => x.vendorId === loc.vendorId && x.productId === loc.productId);
      if (!d) throw new DeviceAbsentError(`no HID device ${desc}`);
      path = d.path;
    }
    return hidTransportFactory(path, desc, framing)();
  };
}

/** A reader port a technician can choose, with what we know of the device behind it. */
export interface ReaderPortInfo {
  /** What goes into the mapping / config: "/dev/ttyUSB0", "hid:/dev/hidraw0", "usb:0400:c35a". */
  port: string;
  kind: 'serial' | 'hid' | 'usb';
  /** The reader model when its VID:PID is one we know (e.g. "精伦 iDR200 family …"), else null. */
  model: string | null;
}

/** What a port name says by itself (no device is touched). */
export function readerPortInfo(port: string): ReaderPortInfo {
  if (port.startsWith('usb:')) {
    try {
      const sel = parseUsbPort(port);
      return { port, kind: 'usb', model: knownUsbReader(sel.vendorId, sel.productId)?.label ?? null };
    } catch {
      return { port, kind: 'usb', model: null };
    }
  }
  if (port.startsWith('hid:')) {
    const m = /^hid:([0-9a-f]{4}):([0-9a-f]{4})$/i.exec(port);
    const known = m ? KNOWN_HID_READERS.find((k) => k.vendorId === parseInt(m[1]!, 16) && k.productId === parseInt(m[2]!, 16)) : undefined;
    return { port, kind: 'hid', model: known?.label ?? null };
  }
  return { port, kind: 'serial', model: null };
}

/** "精伦 iDR200 family (SAM_V) on usb:0400:c35a", "serial reader on /dev/ttyUSB0": for technicians' messages. */
export function readerPortName(info: ReaderPortInfo): string {
  const what = info.model ?? { serial: 'serial reader', hid: 'USB-HID reader', usb: 'native-USB reader' }[info.kind];
  return `${what} on ${info.port}`;
}

export interface ListPortsOptions {
  devDir?: string;
  listUsb?: () => Promise<UsbDeviceInfo[]>;
  listHid?: () => Promise<HidDeviceInfo[]>;
}

/**
 * The ports a technician can choose from, without opening any: USB-serial bridges and ACM devices,
 * hidraw nodes as "hid:/dev/hidrawN" (named when their VID:PID is a known reader), and native-USB readers of a known
 * VID:PID, named "usb:VVVV:PPPP" (pinned to a bus address only when two of one model are plugged in).
 */
export async function listReaderPorts(o: ListPortsOptions = {}): Promise<ReaderPortInfo[]> {
  const devDir = o.devDir ?? '/dev';
  const names = await readdir(devDir).catch(() => [] as string[]);
  const hid = names.some((n) => n.startsWith('hidraw')) ? await (o.listHid ?? listHidDevices)() : [];
  const nodes: ReaderPortInfo[] = names
    .filter((n) => /^(ttyUSB\d+|ttyACM\d+|hidraw\d+)$/.test(n))
    .sort()
    .map((n) => {
      const path = `${devDir}/${n}`;
      if (!n.startsWith('hidraw')) return { port: path, kind: 'serial' as const, model: null };
      const d = hid.find((h) => h.path === path);
      const known = d && KNOWN_HID_READERS.find((k) => k.vendorId === d.vendorId && k.productId === d.productId);
      // "hid:" so that the session opens it with the HID transport, not as a tty.
      return { port: `hid:${path}`, kind: 'hid' as const, model: known?.label ?? null };
    });
  const usb = (await (o.listUsb ?? (() => listUsbDevices()))()).filter((d) => knownUsbReader(d.vendorId, d.productId));
  const usbPorts = usb.map((d): ReaderPortInfo => {
    const twin = usb.some((x) => x !== d && x.vendorId === d.vendorId && x.productId === d.productId);
    const port = formatUsbPort(twin ? d : { vendorId: d.vendorId, productId: d.productId });
    return { port, kind: 'usb', model: knownUsbReader(d.vendorId, d.productId)!.label };
  });
  return [...nodes, ...usbPorts];
}
