// A native-USB SAM_V reader at the `usb` package's Device / Interface / InEndpoint / OutEndpoint
// seam, CONSTRUCTED from IDCARD-PROTOCOL.md §4.3 (no such device was captured: there is none on these
// machines, and no virtual USB either, TOOLCHAIN.md 4b). Its "firmware" is the driver's own
// SimulatedReader, so the answers are the simulator's frames; what this adds is the USB part:
//  - the descriptors of either layout (split 02/06 → 81/85, or one bulk OUT + one bulk IN),
//  - bulk IN reads that complete with at most one packet (64 bytes) each, as libusb's do when the
//    transfer size is the packet size, in order per pipe, with no order between the two IN pipes
//    (`bodyFirst` lets a body packet complete before its header),
//  - the `usb` package's poll semantics (startPoll / stopPoll / 'data' 'error' 'end'),
//  - unplugging: pending reads fail with LIBUSB_TRANSFER_NO_DEVICE (also in the middle of an
//    answer), writes and open() fail, and the device leaves the bus; a replug is a new device at a
//    new address.
import { EventEmitter } from 'node:events';
import { HEADER_BYTES } from '../../../../drivers/idcard/frame.ts';
import type { SimulatedReader } from '../../../../drivers/idcard/simulator/device.ts';
import type {
  UsbDeviceHandle,
  UsbEndpointHandle,
  UsbInPipe,
  UsbInterfaceHandle,
  UsbOutPipe,
} from '../../../../drivers/idcard/transports/usb.ts';
import type { EndpointDescriptorInfo, InterfaceDescriptorInfo } from '../../../../drivers/idcard/transports/usbLayout.ts';

/** The `usb` package throws LibUSBException: an Error whose message is libusb's error name. */
const libusbError = (name: string, errno: number) => Object.assign(new Error(name), { errno });
const NO_DEVICE_TRANSFER = () => libusbError('LIBUSB_TRANSFER_NO_DEVICE', 5);
const NO_DEVICE = () => libusbError('LIBUSB_ERROR_NO_DEVICE', -4);

const bulk = (address: number, wMaxPacketSize = 64): EndpointDescriptorInfo => ({
  bEndpointAddress: address,
  bmAttributes: 0x02,
  wMaxPacketSize,
});

/** iDR200's documented pipes (§4.3), vendor class. */
export const SPLIT_INTERFACE: InterfaceDescriptorInfo = {
  bInterfaceNumber: 0,
  bAlternateSetting: 0,
  bInterfaceClass: 0xff,
  endpoints: [bulk(0x81), bulk(0x02), bulk(0x85), bulk(0x06)],
};

/** The single-pipe variant (U9/U10 in §4.3); the addresses are our choice, the sources do not give them. */
export const SINGLE_INTERFACE: InterfaceDescriptorInfo = {
  bInterfaceNumber: 0,
  bAlternateSetting: 0,
  bInterfaceClass: 0xff,
  endpoints: [bulk(0x01), bulk(0x82)],
};

class FakeInEndpoint extends EventEmitter implements UsbInPipe {
  readonly direction = 'in' as const;
  pollActive = false;
  /** Stopped, but the cancelled reads are not all back yet ('end' still to come). */
  ending = false;
  /** Sizes of the reads that completed with data, in order. */
  readonly reads: number[] = [];
  private transferSize = 64;
  private queue: number[] = [];
  private pumping = false;
  /** Called after each read completes, with the bytes it carried (the fake's hook for a mid-read cut). */
  afterRead: (n: number) => void = () => undefined;

  constructor(
    readonly address: number,
    private readonly packetSize: number,
    private readonly device: FakeUsbDevice,
  ) {
    super();
  }

  startPoll(_nTransfers = 3, transferSize = this.packetSize): unknown {
    if (!this.device.isOpen) throw NO_DEVICE();
    if (this.pollActive) throw new Error('Polling already active');
    this.pollActive = true;
    this.transferSize = transferSize;
    this.pump();
    return [];
  }

  stopPoll(callback?: () => void): void {
    if (!this.pollActive) throw new Error('Polling is not active.');
    this.pollActive = false;
    if (callback) this.once('end', callback);
    this.end();
  }

  /** Device side: bytes to send; each completed read carries at most one packet. */
  send(bytes: Uint8Array): void {
    this.queue.push(...bytes);
    this.pump();
  }

  /** A read failed (device gone): 'error', the poll stops, 'end' once the other reads are back. */
  fail(error: Error): void {
    this.queue = [];
    if (!this.pollActive) return;
    this.emit('error', error);
    this.pollActive = false;
    this.end();
  }

  /** Cancelled or failed reads come back asynchronously, then 'end'. */
  private end(): void {
    this.ending = true;
    queueMicrotask(() => {
      this.ending = false;
      this.emit('end');
    });
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    const step = () => {
      if (!this.pollActive || this.queue.length === 0 || this.device.gone) {
        this.pumping = false;
        return;
      }
      const n = Math.min(this.queue.length, this.transferSize, this.packetSize);
      const chunk = Buffer.from(this.queue.splice(0, n));
      this.reads.push(n);
      this.emit('data', chunk);
      this.afterRead(n);
      queueMicrotask(step);
    };
    queueMicrotask(step);
  }
}

class FakeOutEndpoint implements UsbOutPipe {
  readonly direction = 'out' as const;
  timeout = 0;
  readonly writes: Uint8Array[] = [];
  constructor(
    readonly address: number,
    private readonly device: FakeUsbDevice,
    private readonly sink: (bytes: Uint8Array) => void,
  ) {}

  transfer(buffer: Buffer, callback: (error: Error | undefined, actual: number) => void): unknown {
    if (this.device.gone || !this.device.isOpen) {
      queueMicrotask(() => callback(libusbError('LIBUSB_TRANSFER_NO_DEVICE', 5), 0));
      return this;
    }
    const bytes = new Uint8Array(buffer);
    this.writes.push(bytes);
    queueMicrotask(() => {
      this.sink(bytes);
      callback(undefined, bytes.length);
    });
    return this;
  }
}

class FakeInterface implements UsbInterfaceHandle {
  claimed = false;
  kernelDriver: boolean;
  readonly log: string[] = [];
  readonly ins: FakeInEndpoint[];
  readonly outs: FakeOutEndpoint[];

  constructor(
    readonly descriptor: InterfaceDescriptorInfo,
    private readonly device: FakeUsbDevice,
    kernelDriver: boolean,
    sink: (address: number, bytes: Uint8Array) => void,
  ) {
    this.kernelDriver = kernelDriver;
    this.ins = descriptor.endpoints
      .filter((e) => e.bEndpointAddress & 0x80)
      .map((e) => new FakeInEndpoint(e.bEndpointAddress, e.wMaxPacketSize, device));
    this.outs = descriptor.endpoints
      .filter((e) => !(e.bEndpointAddress & 0x80))
      .map((e) => new FakeOutEndpoint(e.bEndpointAddress, device, (b) => sink(e.bEndpointAddress, b)));
  }

  claim(): void {
    if (this.device.gone) throw NO_DEVICE();
    if (this.kernelDriver) throw libusbError('LIBUSB_ERROR_BUSY', -6);
    this.claimed = true;
    this.log.push('claim');
  }

  release(_closeEndpoints: boolean, callback: (error?: Error) => void): void {
    // libusb: releasing with reads still pending is an error; record it so tests can fail on it.
    if (this.ins.some((e) => e.pollActive || e.ending)) this.log.push('release-with-pending-reads');
    this.claimed = false;
    this.log.push('release');
    queueMicrotask(() => callback(this.device.gone ? NO_DEVICE() : undefined));
  }

  isKernelDriverActive(): boolean {
    return this.kernelDriver;
  }

  detachKernelDriver(): void {
    this.kernelDriver = false;
    this.log.push('detach-kernel-driver');
  }

  attachKernelDriver(): void {
    if (this.device.gone) throw NO_DEVICE();
    this.kernelDriver = true;
    this.log.push('attach-kernel-driver');
  }

  endpoint(address: number): UsbEndpointHandle | undefined {
    return [...this.ins, ...this.outs].find((e) => e.address === address);
  }

  in(address: number): FakeInEndpoint {
    return this.ins.find((e) => e.address === address)!;
  }
}

export interface FakeUsbOptions {
  layout: 'split' | 'single';
  busNumber?: number;
  deviceAddress?: number;
  vendorId?: number;
  productId?: number;
  /** A kernel driver bound to the interface (libusb must detach it before claiming). */
  kernelDriver?: boolean;
  /** Each answer's body packets complete before its header's (no order between pipes). */
  bodyFirst?: boolean;
}

export class FakeUsbDevice implements UsbDeviceHandle {
  readonly busNumber: number;
  readonly deviceAddress: number;
  readonly deviceDescriptor: { idVendor: number; idProduct: number };
  interfaces: FakeInterface[] | undefined;
  gone = false;
  opens = 0;
  closes = 0;
  /** Unplug once this many more answer bytes have gone out (a disconnect in the middle of a read). */
  cutAfterBytes: number | null = null;
  readonly iface: FakeInterface;
  private readonly layout: 'split' | 'single';
  private readonly bodyFirst: boolean;
  private answer: number[] = [];
  private readonly detachReader: () => void;

  constructor(
    private readonly reader: SimulatedReader,
    o: FakeUsbOptions,
  ) {
    this.layout = o.layout;
    this.bodyFirst = o.bodyFirst ?? false;
    this.busNumber = o.busNumber ?? 1;
    this.deviceAddress = o.deviceAddress ?? 4;
    this.deviceDescriptor = { idVendor: o.vendorId ?? 0x0400, idProduct: o.productId ?? 0xc35a };
    this.iface = new FakeInterface(
      o.layout === 'split' ? SPLIT_INTERFACE : SINGLE_INTERFACE,
      this,
      o.kernelDriver ?? false,
      (_address, bytes) => {
        // Host → SAM: in the split layout the header pipe's bytes come first, then the body's (the
        // host writes them in that order); either way the SAM sees the frame in one stream.
        this.reader.receive(bytes);
      },
    );
    for (const ep of this.iface.ins) {
      ep.afterRead = (n) => {
        if (this.cutAfterBytes === null) return;
        this.cutAfterBytes -= n;
        if (this.cutAfterBytes <= 0) this.unplug();
      };
    }
    this.detachReader = reader.onOutput((bytes) => this.fromSam(bytes));
  }

  get isOpen(): boolean {
    return this.interfaces !== undefined;
  }

  open(): void {
    if (this.gone) throw NO_DEVICE();
    this.opens++;
    this.interfaces = [this.iface];
  }

  close(): void {
    this.closes++;
    this.interfaces = undefined;
  }

  /** The cable is pulled: reads in flight fail, the device is no longer listed. */
  unplug(): void {
    if (this.gone) return;
    this.gone = true;
    this.detachReader();
    this.reader.cancelPending();
    // Bus-powered: the reader loses power, so its RF field and the card's state start over (the
    // card itself still lies on it).
    const card = this.reader.presented;
    if (card) this.reader.present(card);
    for (const ep of this.iface.ins) ep.fail(NO_DEVICE_TRANSFER());
  }

  /** SAM → host: cut the simulator's stream into frames, as the reader's firmware knows them. */
  private fromSam(bytes: Uint8Array): void {
    if (this.gone) return;
    this.answer.push(...bytes);
    for (;;) {
      if (this.answer.length < HEADER_BYTES) return;
      const total = HEADER_BYTES + ((this.answer[5]! << 8) | this.answer[6]!);
      if (this.answer.length < total) return;
      const frame = Uint8Array.from(this.answer.splice(0, total));
      if (this.layout === 'single') {
        this.iface.ins[0]!.send(frame);
        continue;
      }
      const header = this.iface.in(0x81);
      const body = this.iface.in(0x85);
      if (this.bodyFirst) {
        body.send(frame.subarray(HEADER_BYTES));
        queueMicrotask(() => header.send(frame.subarray(0, HEADER_BYTES)));
      } else {
        header.send(frame.subarray(0, HEADER_BYTES));
        body.send(frame.subarray(HEADER_BYTES));
      }
    }
  }
}

/** What libusb's getDeviceList() sees: the devices currently plugged in. */
export class FakeUsbBus {
  devices: FakeUsbDevice[] = [];
  list = (): FakeUsbDevice[] => this.devices.filter((d) => !d.gone);

  plug(device: FakeUsbDevice): FakeUsbDevice {
    this.devices.push(device);
    return device;
  }
}
