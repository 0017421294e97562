// Device status for the heartbeat: the technician's hardware mapping (issue 8) checked against
// what the OS lists right now. Pure `deviceStates` + a collector reading sysfs/proc/dev.
import { existsSync } from 'node:fs';
import type { DeviceState, DeviceStates } from '../intake/contract.ts';
import { listCameras, listMicrophones } from './doctor/systemProbes.ts';
import type { HardwareMapping } from './technician/mapping.ts';

/** Chromium names a V4L2 camera "<sysfs name> (<vid>:<pid>)"; the mapping stores Chromium's label. */
const strip = (s: string) => s.replace(/\s*\([0-9a-f]{4}:[0-9a-f]{4}\)\s*$/i, '').trim();

function mapped(label: string | undefined, present: string[]): DeviceState {
  if (label === undefined) return present.length > 0 ? 'unknown' : 'missing';
  return present.some((p) => strip(p) === strip(label)) ? 'ok' : 'missing';
}

/** ok = the mapped device is there; missing = mapped but gone (or nothing at all); unknown = not mapped yet. */
export function deviceStates(mapping: HardwareMapping, cameras: string[], microphones: string[], readerPresent: boolean | null): DeviceStates {
  return {
    faceCamera: mapped(mapping.faceCamera?.label, cameras),
    documentCamera: mapped(mapping.documentCamera?.label, cameras),
    microphone: mapped(mapping.microphone?.label, microphones),
    idReader: readerPresent === null ? 'unknown' : readerPresent ? 'ok' : 'missing',
  };
}

export async function collectDeviceStates(mapping: HardwareMapping): Promise<DeviceStates> {
  const [cameras, microphones] = await Promise.all([listCameras().catch(() => []), listMicrophones().catch(() => [])]);
  const port = mapping.readerPort;
  // A serial path can be checked for presence; a HID reader (hid:VVVV:PPPP) is not probed here.
  const reader = port === null ? null : port.startsWith('/') ? existsSync(port) : null;
  return deviceStates(mapping, cameras.map((c) => c.label), microphones.map((m) => m.label), reader);
}
