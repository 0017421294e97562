// Native-USB transport (IDCARD-PROTOCOL.md §4.3): the SAM frames of a vendor-class reader such as
// the 精伦 iDR200 (0400:C35A) over bulk pipes, through libusb (the `usb` package, loaded lazily so a
// booth without such a reader never loads it). The code talks to a narrow structural slice of that
// package's own Device / Interface / InEndpoint / OutEndpoint objects (the types below; the real
// ones are checked against them where the package is loaded), so tests run this very code over a
// fake device: there is no virtual USB device on our build machines (TOOLCHAIN.md 4b).
import type { Clock } from '../../../lib/clock.ts';
import { systemClock } from '../../../lib/clock.ts';
import { createLogger } from '../../../lib/log.ts';
import { DeviceAbsentError, Listeners, oneAtATime, type Transport, type TransportFactory } from '../transport.ts';
import { chooseEndpointLayout, type InterfaceDescriptorInfo } from './usbLayout.ts';
import { splitForPipes, SplitPipeJoiner } from './usbPipes.ts';
import { formatUsbPort, matchesUsbSelector, type UsbSelector } from './usbPort.ts';

const log = createLogger('idcard.usb');

export interface UsbEndpointHandle {
  readonly direction: 'in' | 'out';
  readonly address: number;
}

/** The `usb` package's InEndpoint, as far as we use it. */
export interface UsbInPipe extends UsbEndpointHandle {
  readonly pollActive: boolean;
  /** Keeps `nTransfers` reads of `transferSize` bytes pending; 'data' per completed read. */
  startPoll(nTransfers?: number, transferSize?: number): unknown;
  /** Cancels the pending reads; 'end' once all of them are back. */
  stopPoll(callback?: () => void): void;
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  removeListener(event: 'data', listener: (data: Buffer) => void): unknown;
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'end', listener: () => void): unknown;
}

/** The `usb` package's OutEndpoint, as far as we use it. */
export interface UsbOutPipe extends UsbEndpointHandle {
  /** Transfer timeout in ms (0 = none). */
  timeout: number;
  transfer(buffer: Buffer, callback: (error: Error | undefined, actual: number) => void): unknown;
}

export interface UsbInterfaceHandle {
  readonly descriptor: InterfaceDescriptorInfo;
  claim(): void;
  release(closeEndpoints: boolean, callback: (error?: Error) => void): void;
  isKernelDriverActive(): boolean;
  detachKernelDriver(): void;
  attachKernelDriver(): void;
  /** An InEndpoint for an IN address, an OutEndpoint for an OUT one. */
  endpoint(address: number): UsbEndpointHandle | undefined;
}

export interface UsbDeviceHandle {
  readonly busNumber: number;
  readonly deviceAddress: number;
  readonly deviceDescriptor: { readonly idVendor: number; readonly idProduct: number };
  /** The default configuration's interfaces once open() ran; undefined while closed. */
  readonly interfaces: readonly UsbInterfaceHandle[] | undefined;
  open(): void;
  close(): void;
}

export interface UsbDeviceInfo {
  vendorId: number;
  productId: number;
  busNumber: number;
  deviceAddress: number;
}

export const usbDeviceInfo = (d: UsbDeviceHandle): UsbDeviceInfo => ({
  vendorId: d.deviceDescriptor.idVendor,
  productId: d.deviceDescriptor.idProduct,
  busNumber: d.busNumber,
  deviceAddress: d.deviceAddress,
});

export interface UsbTransportOptions {
  clock?: Clock;
  /** IN reads kept pending per pipe (default 3), so a burst of packets never waits for a resubmit. */
  pendingReads?: number;
  /** Per OUT transfer (default 1000 ms): a device that stops taking data fails the write. */
  writeTimeoutMs?: number;
  /** How long close() waits for cancelled reads to come back before releasing anyway (default 1000 ms). */
  stopTimeoutMs?: number;
}

const hex = (a: number) => `0x${a.toString(16).padStart(2, '0')}`;

/** libusb's error names → what a technician can do about them. */
export function explainUsbError(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/ACCESS/.test(m)) return `${m}: permission denied (the booth user needs group plugdev and packaging/udev/70-shuoba-booth.rules)`;
  if (/BUSY/.test(m)) return `${m}: the reader is in use by another program`;
  if (/NO_DEVICE/.test(m)) return `${m}: the reader was unplugged`;
  return m;
}

const kernelDriverActive = (i: UsbInterfaceHandle) => {
  try {
    return i.isKernelDriverActive();
  } catch {
    return false; // libusb cannot tell on this platform (not Linux): nothing to detach.
  }
};

/** Opens the device, claims the reader's interface and starts reading. Throws with a clear reason. */
export function openUsbTransport(device: UsbDeviceHandle, options: UsbTransportOptions = {}): Transport {
  const clock = options.clock ?? systemClock;
  const name = formatUsbPort({ ...usbDeviceInfo(device) });
  try {
    device.open();
  } catch (e) {
    throw new Error(`cannot open ${name}: ${explainUsbError(e)}`, { cause: e });
  }
  let iface: UsbInterfaceHandle | undefined;
  let detached = false;
  let claimed = false;
  const undo = () => {
    if (claimed) iface?.release(false, () => undefined);
    if (detached) {
      try {
        iface?.attachKernelDriver();
      } catch {
        /* the device may be gone */
      }
    }
    try {
      device.close();
    } catch {
      /* idem */
    }
  };
  try {
    const interfaces = device.interfaces ?? [];
    const layout = chooseEndpointLayout(interfaces.map((i) => i.descriptor));
    if (layout.kind === 'unusable') throw new Error(`${name} has no SAM pipes we know: ${layout.reason}`);
    iface = interfaces.find((i) => i.descriptor.bInterfaceNumber === layout.interfaceNumber)!;
    // A vendor-class reader normally has no kernel driver; an OEM that also exposes, say, a HID or
    // CDC function on the same interface would, and libusb cannot claim it while one is bound.
    if (kernelDriverActive(iface)) {
      iface.detachKernelDriver();
      detached = true;
    }
    try {
      iface.claim();
    } catch (e) {
      throw new Error(`cannot claim interface ${layout.interfaceNumber} of ${name}: ${explainUsbError(e)}`, { cause: e });
    }
    claimed = true;
    const pipe = <P extends UsbEndpointHandle>(address: number, direction: 'in' | 'out'): P => {
      const ep = iface!.endpoint(address);
      if (!ep || ep.direction !== direction)
        throw new Error(`${name}: endpoint ${hex(address)} is not a ${direction.toUpperCase()} endpoint`);
      return ep as P; // the `usb` package makes an InEndpoint of every IN address, an OutEndpoint of every OUT one
    };
    const ins =
      layout.kind === 'split'
        ? [pipe<UsbInPipe>(layout.headerIn, 'in'), pipe<UsbInPipe>(layout.bodyIn, 'in')]
        : [pipe<UsbInPipe>(layout.in, 'in')];
    const outs =
      layout.kind === 'split'
        ? [pipe<UsbOutPipe>(layout.headerOut, 'out'), pipe<UsbOutPipe>(layout.bodyOut, 'out')]
        : [pipe<UsbOutPipe>(layout.out, 'out')];
    log.info({ port: name, layout: layout.kind, interface: layout.interfaceNumber, detachedKernelDriver: detached }, 'USB reader opened');
    return runTransport({
      name,
      device,
      iface,
      detached,
      ins,
      outs,
      split: layout.kind === 'split',
      inChunk: layout.inChunk,
      clock,
      options,
    });
  } catch (e) {
    undo();
    throw e;
  }
}

interface Opened {
  name: string;
  device: UsbDeviceHandle;
  iface: UsbInterfaceHandle;
  detached: boolean;
  /** [header, body] for split pipes, [the one] otherwise; the same for outs. */
  ins: UsbInPipe[];
  outs: UsbOutPipe[];
  split: boolean;
  inChunk: number;
  clock: Clock;
  options: UsbTransportOptions;
}

function runTransport(o: Opened): Transport {
  const data = new Listeners<[Uint8Array]>();
  const closes = new Listeners<[Error | undefined]>();
  const joiner = o.split ? new SplitPipeJoiner() : null;
  const unsubscribe: Array<() => void> = [];
  let closed = false;
  let closing: Promise<void> | null = null;

  const finish = (error?: Error) => {
    if (closed) return;
    closed = true;
    closes.emit(error);
  };

  const ended = o.ins.map((p, index) => {
    const onBytes = (b: Buffer) => {
      if (closed || b.length === 0) return; // a zero-length packet ends a transfer, it carries nothing
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.length);
      if (!joiner) data.emit(bytes);
      else for (const f of index === 0 ? joiner.pushHeader(bytes) : joiner.pushBody(bytes)) data.emit(f);
    };
    // A read that fails is the device going away (LIBUSB_TRANSFER_NO_DEVICE) or a pipe that
    // stalled: either way the session must reopen, as when a serial port disappears.
    const onError = (e: Error) => {
      if (!closed) log.warn({ port: o.name, err: explainUsbError(e) }, 'USB reader read failed; closing');
      finish(e);
    };
    p.on('data', onBytes);
    p.on('error', onError);
    const end = new Promise<void>((resolve) => {
      const onEnd = () => resolve();
      p.on('end', onEnd);
      unsubscribe.push(() => p.removeListener('end', onEnd));
    });
    unsubscribe.push(() => {
      p.removeListener('data', onBytes);
      p.removeListener('error', onError);
    });
    return end;
  });
  for (const out of o.outs) out.timeout = o.options.writeTimeoutMs ?? 1000;
  try {
    for (const p of o.ins) p.startPoll(o.options.pendingReads ?? 3, o.inChunk);
  } catch (e) {
    // Gone between the claim and the first read: stop what started; the caller releases and closes.
    for (const p of o.ins) {
      if (p.pollActive) {
        try {
          p.stopPoll();
        } catch {
          /* gone */
        }
      }
    }
    for (const u of unsubscribe) u();
    throw new Error(`cannot read from ${o.name}: ${explainUsbError(e)}`, { cause: e });
  }

  const transfer = (pipe: UsbOutPipe, bytes: Uint8Array) =>
    new Promise<void>((resolve, reject) => {
      pipe.transfer(Buffer.from(bytes), (error, actual) => {
        if (error) reject(new Error(`${o.name}: write to ${hex(pipe.address)} failed: ${explainUsbError(error)}`));
        else if (actual !== bytes.length) reject(new Error(`${o.name}: ${hex(pipe.address)} took ${actual} of ${bytes.length} bytes`));
        else resolve();
      });
    });

  const send = async (bytes: Uint8Array) => {
    if (closed || closing) throw new Error(`${o.name} is closed`);
    if (!joiner) return transfer(o.outs[0]!, bytes);
    joiner.reset();
    const [header, body] = splitForPipes(bytes);
    await transfer(o.outs[0]!, header);
    await transfer(o.outs[1]!, body);
  };

  const teardown = async () => {
    for (const p of o.ins) {
      if (!p.pollActive) continue; // already stopped by a failed read
      try {
        p.stopPoll();
      } catch {
        /* gone */
      }
    }
    // Cancelled reads come back at once from libusb; the bound only guards a wedged controller,
    // since releasing an interface with reads still pending is an error.
    await boundedWait(Promise.all(ended), o.options.stopTimeoutMs ?? 1000, o.clock);
    for (const u of unsubscribe) u();
    await new Promise<void>((resolve) => {
      try {
        o.iface.release(false, () => resolve());
      } catch {
        resolve();
      }
    });
    if (o.detached) {
      try {
        o.iface.attachKernelDriver();
      } catch {
        /* the device is gone */
      }
    }
    try {
      o.device.close();
    } catch {
      /* idem */
    }
    log.info({ port: o.name }, 'USB reader closed');
  };

  return {
    description: o.name,
    write: oneAtATime(send),
    onData: (fn) => data.add(fn),
    onClose: (fn) => closes.add(fn),
    close: async () => {
      closing ??= teardown();
      await closing;
      finish();
    },
  };
}

function boundedWait(p: Promise<unknown>, ms: number, clock: Clock): Promise<void> {
  return new Promise((resolve) => {
    const t = clock.setTimeout(resolve, ms);
    void p.then(() => {
      clock.clearTimeout(t);
      resolve();
    });
  });
}

/** Lists the USB devices through libusb; [] when libusb cannot start (no USB on this machine). */
export type UsbDeviceLister = () => readonly UsbDeviceHandle[] | Promise<readonly UsbDeviceHandle[]>;

export const libusbDevices: UsbDeviceLister = async () => {
  const usb = await import('usb');
  // The real package's objects must fit the slice this module uses: a type error here is the
  // compile-time check of the seam the tests' fake implements.
  const devices: readonly UsbDeviceHandle[] = usb.getDeviceList();
  return devices;
};

export async function listUsbDevices(list: UsbDeviceLister = libusbDevices): Promise<UsbDeviceInfo[]> {
  try {
    return (await list()).map(usbDeviceInfo);
  } catch (e) {
    log.debug({ err: e }, 'cannot list USB devices');
    return [];
  }
}

/**
 * Opens the reader `sel` names, looked up afresh on every (re)connect: after an unplug the device
 * comes back as a new libusb device (and at a new address). Rejects with DeviceAbsentError while
 * it is not there.
 */
export function usbTransportFactory(sel: UsbSelector, options: UsbTransportOptions & { list?: UsbDeviceLister } = {}): TransportFactory {
  return async () => {
    const found = (await (options.list ?? libusbDevices)()).filter((d) => matchesUsbSelector(sel, usbDeviceInfo(d)));
    const device = found[0];
    if (!device) {
      const pinned = sel.busNumber !== undefined;
      throw new DeviceAbsentError(
        `no USB device ${formatUsbPort(sel)}${pinned ? ` (a device gets a new address when it is plugged in again: use ${formatUsbPort({ vendorId: sel.vendorId, productId: sel.productId })})` : ''}`,
      );
    }
    if (found.length > 1)
      log.warn(
        { port: formatUsbPort(sel), count: found.length },
        'several identical USB readers: using the first; pin one with usb:VVVV:PPPP:BUS-ADDRESS',
      );
    return openUsbTransport(device, options);
  };
}
