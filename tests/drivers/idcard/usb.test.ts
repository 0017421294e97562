// The native-USB transport (drivers/idcard/transports/usb.ts) and a whole ReaderSession over it,
// through a fake device at the `usb` package's seam (support/fakeUsbReader.ts: constructed from
// IDCARD-PROTOCOL.md §4.3, answering with the driver's own SimulatedReader; no USB device, real or
// virtual, exists on these machines). The real `usb` module is exercised in usbModule.int.test.ts.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../../lib/clock.ts';
import { detectReader } from '../../../drivers/idcard/detect.ts';
import { commandFrame, fromHex, toHex } from '../../../drivers/idcard/frame.ts';
import { ReaderSession, type CardEvent, type ReaderError } from '../../../drivers/idcard/session.ts';
import { CARD_FIXTURES, findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { SimulatedReader } from '../../../drivers/idcard/simulator/device.ts';
import { DeviceAbsentError } from '../../../drivers/idcard/transport.ts';
import { explainUsbError, listUsbDevices, usbTransportFactory } from '../../../drivers/idcard/transports/usb.ts';
import { FakeUsbBus, FakeUsbDevice, type FakeUsbOptions } from './support/fakeUsbReader.ts';

const IDR200 = { vendorId: 0x0400, productId: 0xc35a };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('USB transport on the documented split pipes', () => {
  it('writes preamble + LEN on 0x02 and the rest on 0x06, and gives back the answer joined from 0x81 and 0x85', async () => {
    const bus = new FakeUsbBus();
    const dev = bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split' }));
    const t = await usbTransportFactory(IDR200, { list: bus.list })();
    expect(t.description).toBe('usb:0400:c35a:1-4');
    const got: Uint8Array[] = [];
    t.onData((b) => got.push(b));
    await t.write(commandFrame('samStatus'));
    await vi.advanceTimersByTimeAsync(0);
    const out = (a: number) => dev.iface.outs.find((e) => e.address === a)!.writes.map(toHex);
    expect(out(0x02)).toEqual([toHex(fromHex('AA AA AA 96 69 00 03'))]);
    expect(out(0x06)).toEqual([toHex(fromHex('11 FF ED'))]);
    expect(got.map(toHex)).toEqual([toHex(fromHex('AA AA AA 96 69 00 04 00 00 90 94'))]);
    expect(dev.iface.in(0x81).reads).toEqual([7]);
    expect(dev.iface.in(0x85).reads).toEqual([4]);
    await t.close();
    expect(dev.iface.log).toEqual(['claim', 'release']);
    expect(dev.closes).toBe(1);
  });

  it('detaches a bound kernel driver before claiming and gives it back on close', async () => {
    const bus = new FakeUsbBus();
    const dev = bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split', kernelDriver: true }));
    const t = await usbTransportFactory(IDR200, { list: bus.list })();
    await t.close();
    expect(dev.iface.log).toEqual(['detach-kernel-driver', 'claim', 'release', 'attach-kernel-driver']);
  });

  it('an absent reader rejects with DeviceAbsentError; a pinned address says it changes on replug', async () => {
    const bus = new FakeUsbBus();
    await expect(usbTransportFactory(IDR200, { list: bus.list })()).rejects.toThrow(DeviceAbsentError);
    bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split', busNumber: 1, deviceAddress: 4 }));
    await expect(usbTransportFactory({ ...IDR200, busNumber: 1, deviceAddress: 9 }, { list: bus.list })()).rejects.toThrow(
      'no USB device usb:0400:c35a:1-9 (a device gets a new address when it is plugged in again: use usb:0400:c35a)',
    );
    const pinned = await usbTransportFactory({ ...IDR200, busNumber: 1, deviceAddress: 4 }, { list: bus.list })();
    await pinned.close();
  });

  it('a device the booth user may not open says what to fix', async () => {
    const dev = new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split' });
    dev.open = () => {
      throw Object.assign(new Error('LIBUSB_ERROR_ACCESS'), { errno: -3 });
    };
    await expect(usbTransportFactory(IDR200, { list: () => [dev] })()).rejects.toThrow(
      'cannot open usb:0400:c35a:1-4: LIBUSB_ERROR_ACCESS: permission denied (the booth user needs group plugdev and packaging/udev/70-shuoba-booth.rules)',
    );
  });

  it('a device without a SAM pipe layout is refused with the reason, and left closed', async () => {
    const dev = new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split' });
    (dev.iface as { descriptor: unknown }).descriptor = {
      bInterfaceNumber: 0,
      bAlternateSetting: 0,
      bInterfaceClass: 0x03,
      endpoints: [
        { bEndpointAddress: 0x81, bmAttributes: 0x03, wMaxPacketSize: 64 },
        { bEndpointAddress: 0x01, bmAttributes: 0x03, wMaxPacketSize: 64 },
      ],
    };
    await expect(usbTransportFactory(IDR200, { list: () => [dev] })()).rejects.toThrow(
      'usb:0400:c35a:1-4 has no SAM pipes we know: no interface has both a bulk IN and a bulk OUT endpoint',
    );
    expect(dev.closes).toBe(1);
    expect(dev.iface.claimed).toBe(false);
  });

  it('lists devices through the lister, and [] when libusb cannot start', async () => {
    const bus = new FakeUsbBus();
    bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'single', busNumber: 2, deviceAddress: 7 }));
    expect(await listUsbDevices(bus.list)).toEqual([{ ...IDR200, busNumber: 2, deviceAddress: 7 }]);
    expect(
      await listUsbDevices(() => {
        throw new Error('LIBUSB_ERROR_OTHER');
      }),
    ).toEqual([]);
  });
});

describe('libusb errors in words a technician can act on', () => {
  it.each([
    [
      'LIBUSB_ERROR_ACCESS',
      'LIBUSB_ERROR_ACCESS: permission denied (the booth user needs group plugdev and packaging/udev/70-shuoba-booth.rules)',
    ],
    ['LIBUSB_ERROR_BUSY', 'LIBUSB_ERROR_BUSY: the reader is in use by another program'],
    ['LIBUSB_TRANSFER_NO_DEVICE', 'LIBUSB_TRANSFER_NO_DEVICE: the reader was unplugged'],
    ['LIBUSB_ERROR_NO_DEVICE', 'LIBUSB_ERROR_NO_DEVICE: the reader was unplugged'],
    ['LIBUSB_ERROR_PIPE', 'LIBUSB_ERROR_PIPE'],
  ])('%s', (name, words) => {
    expect(explainUsbError(new Error(name))).toBe(words);
  });
});

interface Rig {
  reader: SimulatedReader;
  bus: FakeUsbBus;
  session: ReaderSession;
  cards: CardEvent[];
  errors: ReaderError[];
  removed: number;
  current: () => FakeUsbDevice;
  /** A replug is a new libusb device at a new address, behind the same SAM and card. */
  replug: () => void;
}

function rig(o: Omit<FakeUsbOptions, 'busNumber' | 'deviceAddress'>): Rig {
  const reader = new SimulatedReader({ clock: systemClock, afterRead: 'no-card' });
  const bus = new FakeUsbBus();
  let address = 4;
  bus.plug(new FakeUsbDevice(reader, { ...o, deviceAddress: address }));
  const session = new ReaderSession({
    clock: systemClock,
    reconnectDelaysMs: [100],
    openTransport: usbTransportFactory(IDR200, { list: bus.list, clock: systemClock }),
  });
  const r: Rig = {
    reader,
    bus,
    session,
    cards: [],
    errors: [],
    removed: 0,
    current: () => bus.devices.at(-1)!,
    replug: () => {
      bus.plug(new FakeUsbDevice(reader, { ...o, deviceAddress: ++address }));
    },
  };
  session.on('card', (c) => r.cards.push(c));
  session.on('error', (e) => r.errors.push(e));
  session.on('removed', () => r.removed++);
  return r;
}

describe.each([
  ['split pipes', { layout: 'split' as const }],
  ['split pipes, body packets completing before the header', { layout: 'split' as const, bodyFirst: true }],
  ['one bulk OUT + one bulk IN', { layout: 'single' as const }],
])('a reader session over native USB (%s)', (_name, layout) => {
  it('SAM status, then every card type read, held once and removed', async () => {
    const r = rig(layout);
    r.session.start();
    r.session.setReading(true);
    await vi.advanceTimersByTimeAsync(10);
    expect(r.session.status).toMatchObject({ state: 'ready', sam: 'ok', port: 'usb:0400:c35a:1-4' });
    const types = CARD_FIXTURES.filter((f) => f.id !== 'bad-check-digit');
    for (const [i, f] of types.entries()) {
      r.reader.present(f);
      await vi.advanceTimersByTimeAsync(600);
      expect(r.cards).toHaveLength(i + 1);
      expect(r.cards[i]!.card).toEqual(f.card);
      // Lying there: not reported again.
      await vi.advanceTimersByTimeAsync(1500);
      expect(r.cards).toHaveLength(i + 1);
      r.reader.remove();
      await vi.advanceTimersByTimeAsync(600);
      expect(r.removed).toBe(i + 1);
    }
    expect(r.errors).toEqual([]);
    // The 1,295-byte read answer came in reads of one 64-byte packet at most.
    const reads = r.current().iface.ins.flatMap((e) => e.reads);
    expect(Math.max(...reads)).toBe(64);
    expect(r.session.parserCounters).toMatchObject({ badChecksum: 0, badLength: 0, garbageBytes: 0 });
    await r.session.stop();
    expect(r.current().iface.log).toEqual(['claim', 'release']);
    expect(r.current().closes).toBe(r.current().opens);
  });

  it('unplugged in the middle of a read: the session sees the link go, reconnects to the replugged reader and reads the card', async () => {
    const r = rig(layout);
    r.session.start();
    r.session.setReading(true);
    await vi.advanceTimersByTimeAsync(10);
    const first = r.current();
    // find answer (15) + select answer (19) + the read's header and two packets of its body.
    first.cutAfterBytes = 15 + 19 + 7 + 128;
    r.reader.present(findFixture('resident')!);
    await vi.advanceTimersByTimeAsync(600);
    expect(first.gone).toBe(true);
    expect(r.cards).toEqual([]);
    expect(r.errors).toEqual([]); // the link went, not the card: nothing for the resident to retry
    expect(r.session.status.state).toBe('disconnected');
    // Closed cleanly even though the device is gone: reads back before the release, handle closed.
    expect(first.iface.log).not.toContain('release-with-pending-reads');
    expect(first.closes).toBe(1);
    // Still unplugged: the reconnect attempts fail quietly.
    await vi.advanceTimersByTimeAsync(300);
    expect(r.session.status.state).toBe('disconnected');
    r.replug();
    await vi.advanceTimersByTimeAsync(800);
    expect(r.session.status).toMatchObject({ state: 'ready', port: 'usb:0400:c35a:1-5' });
    expect(r.cards.map((c) => c.card.idNumber)).toEqual(['110106199003071235']);
    await r.session.stop();
  });
});

describe('detection of native-USB readers', () => {
  const info = (bus: FakeUsbBus) => async () => listUsbDevices(bus.list);
  const open = (bus: FakeUsbBus) => (sel: Parameters<typeof usbTransportFactory>[0]) => usbTransportFactory(sel, { list: bus.list })();

  it('a lone 0400:C35A that answers SAM status is found by VID:PID (so it is found again at a new address)', async () => {
    const bus = new FakeUsbBus();
    const dev = bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split' }));
    const found = detectReader({ listSerial: async () => [], listHid: async () => [], listUsb: info(bus), openUsb: open(bus) });
    await vi.advanceTimersByTimeAsync(10);
    expect(await found).toEqual({ kind: 'usb', source: 'probed', ...IDR200 });
    expect(dev.closes).toBe(dev.opens); // the probe closed what it opened
  });

  it('two of one model: the one that answers is pinned by bus address; a silent one, or another VID:PID, is not a reader', async () => {
    const bus = new FakeUsbBus();
    const silent = new SimulatedReader({ clock: systemClock });
    silent.setFaults({ silent: true });
    bus.plug(new FakeUsbDevice(silent, { layout: 'split', busNumber: 1, deviceAddress: 3 }));
    bus.plug(new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split', busNumber: 1, deviceAddress: 8 }));
    const other = bus.plug(
      new FakeUsbDevice(new SimulatedReader({ clock: systemClock }), { layout: 'split', vendorId: 0x1234, productId: 0x5678 }),
    );
    const found = detectReader({
      listSerial: async () => [],
      listHid: async () => [],
      listUsb: info(bus),
      openUsb: open(bus),
      probeTimeoutMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(2100);
    expect(await found).toEqual({ kind: 'usb', source: 'probed', ...IDR200, busNumber: 1, deviceAddress: 8 });
    expect(other.opens).toBe(0); // never written to
    bus.devices.splice(1, 1);
    const none = detectReader({
      listSerial: async () => [],
      listHid: async () => [],
      listUsb: info(bus),
      openUsb: open(bus),
      probeTimeoutMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(2100);
    expect(await none).toBeNull();
  });

  it('a configured usb: port wins over probing', async () => {
    expect(await detectReader({ configuredPort: 'usb:0400:C35A' })).toEqual({ kind: 'usb', source: 'configured', ...IDR200 });
    expect(await detectReader({ configuredPort: 'usb:0400:c35a:2-11' })).toEqual({
      kind: 'usb',
      source: 'configured',
      ...IDR200,
      busNumber: 2,
      deviceAddress: 11,
    });
    await expect(detectReader({ configuredPort: 'usb:400:c35a' })).rejects.toThrow(/expected usb:VVVV:PPPP/);
  });
});
