// Pure parts of the native-USB transport: which pipes carry what (from the interface descriptors),
// and the usb: port names. The descriptor rows are CONSTRUCTED from IDCARD-PROTOCOL.md §4.3 (the
// documented iDR200 pipes) and from the USB descriptor rules, not dumped from a device.
import { describe, expect, it } from 'vitest';
import { chooseEndpointLayout, type EndpointLayout, type InterfaceDescriptorInfo } from '../../../drivers/idcard/transports/usbLayout.ts';
import { formatUsbPort, matchesUsbSelector, parseUsbPort, type UsbSelector } from '../../../drivers/idcard/transports/usbPort.ts';
import { readerPortInfo, readerPortName } from '../../../drivers/idcard/detect.ts';

const BULK = 0x02;
const INTERRUPT = 0x03;
const ep = (address: number, type = BULK, size = 64) => ({ bEndpointAddress: address, bmAttributes: type, wMaxPacketSize: size });
const iface = (n: number, cls: number, endpoints: ReturnType<typeof ep>[], alt = 0): InterfaceDescriptorInfo => ({
  bInterfaceNumber: n,
  bAlternateSetting: alt,
  bInterfaceClass: cls,
  endpoints,
});

describe('chooseEndpointLayout', () => {
  const rows: Array<[string, InterfaceDescriptorInfo[], EndpointLayout]> = [
    [
      'iDR200 as documented: 02/06 OUT, 81/85 IN',
      [iface(0, 0xff, [ep(0x02), ep(0x06), ep(0x81), ep(0x85)])],
      { kind: 'split', interfaceNumber: 0, headerOut: 0x02, bodyOut: 0x06, headerIn: 0x81, bodyIn: 0x85, inChunk: 64 },
    ],
    [
      'the same pipes listed in another order',
      [iface(0, 0xff, [ep(0x85), ep(0x06), ep(0x81), ep(0x02)])],
      { kind: 'split', interfaceNumber: 0, headerOut: 0x02, bodyOut: 0x06, headerIn: 0x81, bodyIn: 0x85, inChunk: 64 },
    ],
    [
      'an OEM numbering its pairs 03/04, 83/84: lower number carries preamble + LEN',
      [iface(0, 0xff, [ep(0x04), ep(0x03), ep(0x84), ep(0x83)])],
      { kind: 'split', interfaceNumber: 0, headerOut: 0x03, bodyOut: 0x04, headerIn: 0x83, bodyIn: 0x84, inChunk: 64 },
    ],
    [
      'one bulk OUT + one bulk IN',
      [iface(0, 0xff, [ep(0x01), ep(0x82)])],
      { kind: 'single', interfaceNumber: 0, out: 0x01, in: 0x82, inChunk: 64 },
    ],
    [
      'a high-speed single pipe reads 512-byte packets',
      [iface(0, 0xff, [ep(0x01, BULK, 512), ep(0x81, BULK, 512)])],
      { kind: 'single', interfaceNumber: 0, out: 0x01, in: 0x81, inChunk: 512 },
    ],
    [
      'a descriptor that says packet size 0 is read in 64-byte chunks',
      [iface(0, 0xff, [ep(0x01, BULK, 0), ep(0x81, BULK, 0)])],
      { kind: 'single', interfaceNumber: 0, out: 0x01, in: 0x81, inChunk: 64 },
    ],
    [
      'the vendor-class interface wins over a CDC data interface with bulk pipes',
      [iface(0, 0x0a, [ep(0x01), ep(0x81)]), iface(1, 0xff, [ep(0x02), ep(0x06), ep(0x81 + 1), ep(0x85)])],
      { kind: 'split', interfaceNumber: 1, headerOut: 0x02, bodyOut: 0x06, headerIn: 0x82, bodyIn: 0x85, inChunk: 64 },
    ],
    [
      'interrupt endpoints (a HID function) are not SAM pipes',
      [iface(0, 0x03, [ep(0x81, INTERRUPT), ep(0x01, INTERRUPT)]), iface(1, 0xff, [ep(0x02), ep(0x82)])],
      { kind: 'single', interfaceNumber: 1, out: 0x02, in: 0x82, inChunk: 64 },
    ],
    [
      'alternate settings other than 0 are not used',
      [iface(0, 0xff, [ep(0x01), ep(0x81)], 1)],
      { kind: 'unusable', reason: 'no interface has both a bulk IN and a bulk OUT endpoint' },
    ],
    [
      'only interrupt endpoints',
      [iface(0, 0x03, [ep(0x81, INTERRUPT), ep(0x01, INTERRUPT)])],
      { kind: 'unusable', reason: 'no interface has both a bulk IN and a bulk OUT endpoint' },
    ],
    [
      'bulk IN only',
      [iface(0, 0xff, [ep(0x81), ep(0x85)])],
      { kind: 'unusable', reason: 'no interface has both a bulk IN and a bulk OUT endpoint' },
    ],
    ['no interfaces at all', [], { kind: 'unusable', reason: 'no interface has both a bulk IN and a bulk OUT endpoint' }],
    [
      'two OUT and one IN: not a scheme the sources describe',
      [iface(0, 0xff, [ep(0x02), ep(0x06), ep(0x81)])],
      {
        kind: 'unusable',
        reason: 'interface 0 has bulk OUT 0x02 0x06 and IN 0x81: neither the split (2 + 2) nor the single-pipe (1 + 1) scheme',
      },
    ],
  ];
  it.each(rows)('%s', (_name, interfaces, want) => {
    expect(chooseEndpointLayout(interfaces)).toEqual(want);
  });
});

describe('usb: port names', () => {
  const good: Array<[string, UsbSelector, string]> = [
    ['usb:0400:c35a', { vendorId: 0x0400, productId: 0xc35a }, 'usb:0400:c35a'],
    ['usb:0400:C35A', { vendorId: 0x0400, productId: 0xc35a }, 'usb:0400:c35a'],
    ['usb:0400:c35a:1-4', { vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 4 }, 'usb:0400:c35a:1-4'],
    [' usb:0400:c35a:003-127 ', { vendorId: 0x0400, productId: 0xc35a, busNumber: 3, deviceAddress: 127 }, 'usb:0400:c35a:3-127'],
  ];
  it.each(good)('%s', (text, sel, canonical) => {
    expect(parseUsbPort(text)).toEqual(sel);
    expect(formatUsbPort(sel)).toBe(canonical);
  });

  const bad: Array<[string, RegExp]> = [
    ['usb:400:c35a', /expected usb:VVVV:PPPP or usb:VVVV:PPPP:BUS-ADDRESS/],
    ['usb:0400', /expected usb:VVVV:PPPP/],
    ['usb:0400:c35a:4', /expected usb:VVVV:PPPP/],
    ['usb:0400:c35a:1-4:2', /expected usb:VVVV:PPPP/],
    ['usb:04g0:c35a', /expected usb:VVVV:PPPP/],
    ['usb:0400:c35a:0-4', /bus must be 1–255 and address 1–127/],
    ['usb:0400:c35a:1-128', /bus must be 1–255 and address 1–127/],
  ];
  it.each(bad)('%s is refused with the expected form', (text, message) => {
    expect(() => parseUsbPort(text)).toThrow(message);
  });

  it('a plain VID:PID matches the reader at any address; a pinned one only at its own', () => {
    const d = { vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 4 };
    expect(matchesUsbSelector({ vendorId: 0x0400, productId: 0xc35a }, d)).toBe(true);
    expect(matchesUsbSelector({ vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 4 }, d)).toBe(true);
    expect(matchesUsbSelector({ vendorId: 0x0400, productId: 0xc35a, busNumber: 1, deviceAddress: 5 }, d)).toBe(false);
    expect(matchesUsbSelector({ vendorId: 0x0483, productId: 0xc35a }, d)).toBe(false);
  });
});

describe('reader port names for technicians', () => {
  const rows: Array<[string, string]> = [
    ['usb:0400:c35a', '精伦 iDR200 family (SAM_V) on usb:0400:c35a'],
    ['usb:0400:c35a:1-4', '精伦 iDR200 family (SAM_V) on usb:0400:c35a:1-4'],
    ['usb:1234:5678', 'native-USB reader on usb:1234:5678'],
    ['hid:0483:572b', '德科 DK26ME / DK200ZK family on hid:0483:572b'],
    ['hid:/dev/hidraw2', 'USB-HID reader on hid:/dev/hidraw2'],
    ['/dev/ttyUSB0', 'serial reader on /dev/ttyUSB0'],
  ];
  it.each(rows)('%s', (port, name) => {
    expect(readerPortName(readerPortInfo(port))).toBe(name);
  });
});
