// Which bulk pipes of a native-USB SAM_V reader carry what (IDCARD-PROTOCOL.md §4.3), chosen from
// the interface descriptors, pure. The documented scheme splits every frame over two pipe pairs:
// OUT 0x02 takes preamble + LEN, OUT 0x06 the rest; IN 0x81 gives preamble + LEN back, IN 0x85 the
// rest (精伦 iDR200, openiDR200). Other sources write the whole frame to one bulk OUT and read one
// bulk IN in 64-byte chunks. We go by what the device declares rather than by hard-coded addresses,
// so an OEM that numbers its pipes differently still gets the right scheme.

/** USB readers that speak SAM frames over bulk pipes, by VID:PID. */
export const KNOWN_USB_READERS: ReadonlyArray<{ vendorId: number; productId: number; label: string }> = [
  // 0x0483:0x5652 is tried by one unattributed vendor demo as a fallback (§4.3); 0x0483 is
  // STMicroelectronics' id, shared by countless devices, so it is not probed without a device to check.
  { vendorId: 0x0400, productId: 0xc35a, label: '精伦 iDR200 family (SAM_V)' },
];

export function knownUsbReader(vendorId: number, productId: number): { label: string } | undefined {
  return KNOWN_USB_READERS.find((k) => k.vendorId === vendorId && k.productId === productId);
}

/** The descriptor fields the choice needs (libusb's, as the `usb` package exposes them). */
export interface EndpointDescriptorInfo {
  bEndpointAddress: number;
  bmAttributes: number;
  wMaxPacketSize: number;
}

export interface InterfaceDescriptorInfo {
  bInterfaceNumber: number;
  bAlternateSetting: number;
  bInterfaceClass: number;
  endpoints: readonly EndpointDescriptorInfo[];
}

export type EndpointLayout =
  | {
      kind: 'split';
      interfaceNumber: number;
      /** Preamble + LEN of a command (documented 0x02). */
      headerOut: number;
      /** CMD PARA DATA CHK of a command (0x06). */
      bodyOut: number;
      /** Preamble + LEN of an answer (0x81). */
      headerIn: number;
      /** SW1 SW2 SW3 DATA CHK of an answer (0x85). */
      bodyIn: number;
      /** Size of one IN transfer: the IN pipes' packet size, so every packet completes a read. */
      inChunk: number;
    }
  | { kind: 'single'; interfaceNumber: number; out: number; in: number; inChunk: number }
  | { kind: 'unusable'; reason: string };

const VENDOR_CLASS = 0xff;
const BULK = 0x02;
const IN = 0x80;
/** Full-speed bulk packet size, for a descriptor that says 0. */
const DEFAULT_CHUNK = 64;

const hex = (a: number) => `0x${a.toString(16).padStart(2, '0')}`;

/**
 * Picks the interface and pipes: among the interfaces (alternate setting 0) that have both bulk IN
 * and bulk OUT endpoints, a vendor-class one first, then the lowest number. Two OUT + two IN is
 * the split scheme, the lower endpoint number of each pair carrying preamble + LEN (as 0x02/0x81 do);
 * one of each is the single-pipe scheme. Any other count is not a layout the sources describe.
 */
export function chooseEndpointLayout(interfaces: readonly InterfaceDescriptorInfo[]): EndpointLayout {
  const candidates = interfaces
    .filter((i) => i.bAlternateSetting === 0)
    .map((i) => {
      const bulk = i.endpoints.filter((e) => (e.bmAttributes & 0x03) === BULK);
      const byNumber = (a: EndpointDescriptorInfo, b: EndpointDescriptorInfo) => (a.bEndpointAddress & 0x0f) - (b.bEndpointAddress & 0x0f);
      return {
        iface: i,
        ins: bulk.filter((e) => (e.bEndpointAddress & IN) !== 0).sort(byNumber),
        outs: bulk.filter((e) => (e.bEndpointAddress & IN) === 0).sort(byNumber),
      };
    })
    .filter((c) => c.ins.length > 0 && c.outs.length > 0)
    .sort(
      (a, b) =>
        Number(b.iface.bInterfaceClass === VENDOR_CLASS) - Number(a.iface.bInterfaceClass === VENDOR_CLASS) ||
        a.iface.bInterfaceNumber - b.iface.bInterfaceNumber,
    );
  const c = candidates[0];
  if (!c) return { kind: 'unusable', reason: 'no interface has both a bulk IN and a bulk OUT endpoint' };
  const chunk = (e: EndpointDescriptorInfo) => e.wMaxPacketSize || DEFAULT_CHUNK;
  const interfaceNumber = c.iface.bInterfaceNumber;
  if (c.outs.length === 2 && c.ins.length === 2) {
    const [headerOut, bodyOut] = c.outs as [EndpointDescriptorInfo, EndpointDescriptorInfo];
    const [headerIn, bodyIn] = c.ins as [EndpointDescriptorInfo, EndpointDescriptorInfo];
    return {
      kind: 'split',
      interfaceNumber,
      headerOut: headerOut.bEndpointAddress,
      bodyOut: bodyOut.bEndpointAddress,
      headerIn: headerIn.bEndpointAddress,
      bodyIn: bodyIn.bEndpointAddress,
      inChunk: Math.min(chunk(headerIn), chunk(bodyIn)),
    };
  }
  if (c.outs.length === 1 && c.ins.length === 1) {
    return { kind: 'single', interfaceNumber, out: c.outs[0]!.bEndpointAddress, in: c.ins[0]!.bEndpointAddress, inChunk: chunk(c.ins[0]!) };
  }
  const list = (es: EndpointDescriptorInfo[]) => es.map((e) => hex(e.bEndpointAddress)).join(' ');
  return {
    kind: 'unusable',
    reason: `interface ${interfaceNumber} has bulk OUT ${list(c.outs)} and IN ${list(c.ins)}: neither the split (2 + 2) nor the single-pipe (1 + 1) scheme`,
  };
}
