// The real `usb` package (libusb) on this machine: it loads on Node 20, lists devices, and its
// objects have every method the transport calls through its seam (tsc checks the Device/Interface
// shapes where the package is loaded; the endpoints are reached by address at run time, so they are
// checked here). These machines have no USB bus (TOOLCHAIN.md 4b): the list is expected to hold no
// reader. With IDCARD_USB=usb:0400:c35a (a real reader plugged in) a SAM status is exchanged too.
import { describe, expect, it } from 'vitest';
import { probeSamStatus } from '../../../drivers/idcard/detect.ts';
import { DeviceAbsentError } from '../../../drivers/idcard/transport.ts';
import { libusbDevices, listUsbDevices, usbTransportFactory } from '../../../drivers/idcard/transports/usb.ts';
import { knownUsbReader } from '../../../drivers/idcard/transports/usbLayout.ts';
import { parseUsbPort } from '../../../drivers/idcard/transports/usbPort.ts';

describe('the usb package (libusb)', () => {
  it('loads and getDeviceList() answers with a list', async () => {
    const usb = await import('usb');
    const list = usb.getDeviceList();
    expect(Array.isArray(list)).toBe(true);
    for (const d of list) expect(typeof d.deviceDescriptor.idVendor).toBe('number');
    expect((await libusbDevices()).length).toBe(list.length);
    expect(await listUsbDevices()).toHaveLength(list.length);
  });

  it('its endpoint and interface classes have what the transport calls', async () => {
    const usb = await import('usb');
    const methods = (proto: object, names: string[]) => names.filter((n) => typeof (proto as Record<string, unknown>)[n] !== 'function');
    expect(methods(usb.InEndpoint.prototype, ['startPoll', 'stopPoll', 'on', 'removeListener'])).toEqual([]);
    expect(methods(usb.OutEndpoint.prototype, ['transfer'])).toEqual([]);
    expect(
      methods(usb.Interface.prototype, [
        'claim',
        'release',
        'isKernelDriverActive',
        'detachKernelDriver',
        'attachKernelDriver',
        'endpoint',
      ]),
    ).toEqual([]);
  });

  const readerHere = async () => (await listUsbDevices()).some((d) => knownUsbReader(d.vendorId, d.productId));

  it('with no reader plugged in, opening 0400:C35A through libusb says it is absent', async (ctx) => {
    if (await readerHere()) {
      console.log('[skip] absent-reader test: a native-USB ID reader is plugged into this machine');
      ctx.skip();
    }
    await expect(usbTransportFactory({ vendorId: 0x0400, productId: 0xc35a })()).rejects.toThrow(DeviceAbsentError);
  });

  if (!process.env.IDCARD_USB)
    console.log(
      '[skip] real native-USB reader test: IDCARD_USB does not name a reader (e.g. usb:0400:c35a) on this machine (the transport runs over the fake device in usb.test.ts)',
    );
  it.runIf(process.env.IDCARD_USB)('a real reader named by IDCARD_USB answers SAM status', async () => {
    const t = await usbTransportFactory(parseUsbPort(process.env.IDCARD_USB!))();
    try {
      expect(await probeSamStatus(t, 2000)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
