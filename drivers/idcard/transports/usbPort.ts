// Port names of native-USB readers, pure: "usb:VVVV:PPPP", like the HID readers' "hid:VVVV:PPPP",
// optionally pinned to one device as "usb:VVVV:PPPP:BUS-ADDRESS" (decimal, as lsusb prints
// "Bus 001 Device 004" → usb:0400:c35a:1-4). The kernel gives a device a new address each time it
// is plugged in, so a pinned name only tells two identical readers apart for as long as they stay
// plugged; a booth's saved port is the plain VID:PID form.

export interface UsbSelector {
  vendorId: number;
  productId: number;
  /** Both or neither. */
  busNumber?: number;
  deviceAddress?: number;
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

export function formatUsbPort(s: UsbSelector): string {
  const base = `usb:${hex4(s.vendorId)}:${hex4(s.productId)}`;
  return s.busNumber !== undefined && s.deviceAddress !== undefined ? `${base}:${s.busNumber}-${s.deviceAddress}` : base;
}

export const USB_PORT_SYNTAX =
  'usb:VVVV:PPPP or usb:VVVV:PPPP:BUS-ADDRESS (hex vendor and product ids, decimal bus and address, e.g. usb:0400:c35a:1-4)';

/** "usb:…" → selector; throws a RangeError naming the expected form when the rest is malformed. */
export function parseUsbPort(port: string): UsbSelector {
  const m = /^usb:([0-9a-f]{4}):([0-9a-f]{4})(?::(\d{1,3})-(\d{1,3}))?$/i.exec(port.trim());
  if (!m) throw new RangeError(`"${port}" is not a USB reader port: expected ${USB_PORT_SYNTAX}`);
  const sel: UsbSelector = { vendorId: parseInt(m[1]!, 16), productId: parseInt(m[2]!, 16) };
  if (m[3] === undefined) return sel;
  const busNumber = Number(m[3]);
  const deviceAddress = Number(m[4]);
  // libusb numbers buses from 1; USB addresses are 1…127 (0 is the default address during enumeration).
  if (busNumber < 1 || busNumber > 255 || deviceAddress < 1 || deviceAddress > 127) {
    throw new RangeError(`"${port}": bus must be 1–255 and address 1–127`);
  }
  return { ...sel, busNumber, deviceAddress };
}

export function matchesUsbSelector(
  s: UsbSelector,
  d: { vendorId: number; productId: number; busNumber: number; deviceAddress: number },
): boolean {
  if (d.vendorId !== s.vendorId || d.productId !== s.productId) return false;
  return s.busNumber === undefined || (d.busNumber === s.busNumber && d.deviceAddress === s.deviceAddress);
}
