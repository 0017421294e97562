// USB-HID transport: 64-byte reports over node-hid, chunked and ACKed as in hidReports.ts.
// The device is behind a tiny interface so tests replay recorded reports (there is no virtual HID
// device on our build machines, TOOLCHAIN.md 4b).
import type { Clock } from '../../../lib/clock.ts';
import { systemClock } from '../../../lib/clock.ts';
import { Listeners, oneAtATime, type Transport, type TransportFactory } from '../transport.ts';
import { ackReport, rawFraming, readReport, toReports, type HidVendorFraming } from './hidReports.ts';

/** What the transport needs from a HID device (node-hid's HIDAsync fits). */
export interface HidDevice {
  /** One output report, 64 bytes, without the report id. */
  writeReport(report: Uint8Array): Promise<void>;
  onReport(listener: (report: Uint8Array) => void): void;
  onError(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface HidTransportOptions {
  description: string;
  framing?: HidVendorFraming;
  clock?: Clock;
  /** How long to wait for the device's ACK before sending the next chunk anyway (ms). */
  ackTimeoutMs?: number;
}

export function createHidTransport(device: HidDevice, options: HidTransportOptions): Transport {
  const framing = options.framing ?? rawFraming;
  const clock = options.clock ?? systemClock;
  const ackTimeout = options.ackTimeoutMs ?? 200;
  const data = new Listeners<[Uint8Array]>();
  const closes = new Listeners<[Error | undefined]>();
  let closed = false;
  let ackWaiter: (() => void) | null = null;

  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    ackWaiter?.();
    closes.emit(error);
  };

  device.onReport((report) => {
    const r = readReport(report);
    if (r.kind === 'ack') {
      const w = ackWaiter;
      ackWaiter = null;
      w?.();
    } else if (r.kind === 'payload') {
      const { sam, ack } = framing.unwrap(r.bytes);
      if (ack) void device.writeReport(ackReport()).catch(() => undefined);
      if (sam.length > 0) data.emit(sam);
    }
  });
  device.onError((e) => finish(e));

  const waitAck = () =>
    new Promise<void>((resolve) => {
      const t = clock.setTimeout(() => {
        ackWaiter = null;
        resolve();
      }, ackTimeout);
      ackWaiter = () => {
        clock.clearTimeout(t);
        resolve();
      };
    });

  const send = async (bytes: Uint8Array) => {
    const reports = toReports(framing.wrap(bytes));
    for (let i = 0; i < reports.length; i++) {
      if (closed) throw new Error('device is closed');
      // Arm the ACK wait before writing, so an ACK that comes back at once is not missed.
      const acked = i < reports.length - 1 ? waitAck() : null;
      await device.writeReport(reports[i]!);
      if (acked) await acked;
    }
  };

  return {
    description: options.description,
    write: oneAtATime(send),
    onData: (fn) => data.add(fn),
    onClose: (fn) => closes.add(fn),
    close: async () => {
      framing.reset?.();
      if (!closed) await device.close().catch(() => undefined);
      finish();
    },
  };
}

/** Adapts node-hid (loaded lazily: it needs libusb at first use, TOOLCHAIN.md 4a). */
export async function openNodeHidDevice(path: string): Promise<HidDevice> {
  const HID = await import('node-hid');
  const dev = await HID.HIDAsync.open(path);
  return {
    // hidapi wants the report id first; these readers use a single unnumbered report (id 0).
    writeReport: async (report) => {
      const out = Buffer.alloc(report.length + 1);
      out.set(report, 1);
      await dev.write(out);
    },
    onReport: (fn) => dev.on('data', (b: Buffer) => fn(new Uint8Array(b.buffer, b.byteOffset, b.length))),
    onError: (fn) => dev.on('error', (e: Error) => fn(e)),
    close: () => dev.close(),
  };
}

export interface HidDeviceInfo {
  path: string;
  vendorId: number;
  productId: number;
}

export async function listHidDevices(): Promise<HidDeviceInfo[]> {
  try {
    const HID = await import('node-hid');
    const all = await HID.devicesAsync();
    return all.filter((d) => d.path).map((d) => ({ path: d.path!, vendorId: d.vendorId, productId: d.productId }));
  } catch {
    return []; // libusb missing or no HID subsystem: no HID readers, not a crash.
  }
}

export function hidTransportFactory(path: string, description: string, framing?: HidVendorFraming): TransportFactory {
  return async () => createHidTransport(await openNodeHidDevice(path), framing ? { description, framing } : { description });
}
