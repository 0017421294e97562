// Device status for the heartbeat: the technician's hardware mapping (issue 8) checked against
// what the OS lists right now. Pure `deviceStates` + a collector reading sysfs/proc/dev.
import { existsSync } from 'node:fs';
import type { DeviceState, DeviceStates } from '../contract/booth.ts';
import { listCameras, listMicrophones } from './doctor/systemProbes.ts';
import type { HardwareMapping } from './technician/mapping.ts';

/** Chromium names a V4L2 camera "<sysfs name> (<vid>:<pid>)"; the mapping stores Chromium's label. */
const strip = (s: string) => s.replace(/\s*\([0-9a-f]{4}:[0-9a-f]{4}\)\s*$/i, '').trim();

function mapped(label: string | undefined, present: string[]): DeviceState {
  if (label === undefined) return present.length > 0 ? 'unknown' : 'missing';
  return present.some((p) => strip(p) === strip(label)) ? 'ok' : 'missing';
}

/** ok = the mapped device is there; missing = mapped but gone (or nothing at all); unknown = not mapped yet. */
export function deviceStates(
  mapping: HardwareMapping,
  cameras: string[],
  microphones: string[],
  readerPresent: boolean | null,
): DeviceStates {
  return {
    faceCamera: mapped(mapping.faceCamera?.label, cameras),
    documentCamera: mapped(mapping.documentCamera?.label, cameras),
    microphone: mapped(mapping.microphone?.label, microphones),
    idReader: readerPresent === null ? 'unknown' : readerPresent ? 'ok' : 'missing',
  };
}

/** The booth's live reader session as the core sees it (main/realname.ts info()). */
export interface LiveReader {
  state: string;
  simulated: boolean;
}

/**
 * The ID reader's state from the live session, which holds the port (serial, HID or native USB)
 * and knows better than any path check: ready → ok, SAM fault → error, port gone → missing. The
 * simulator standing in for a reader is no reader at all (missing when one is mapped). Null while
 * connecting or without a session: the caller falls back to what the OS lists.
 */
export function readerFromSession(live: LiveReader | null, mappedPort: string | null): DeviceState | null {
  if (!live || live.state === 'absent' || live.state === 'stopped') return null;
  if (live.simulated) return mappedPort === null ? 'unknown' : 'missing';
  if (live.state === 'ready') return 'ok';
  if (live.state === 'sam-fault') return 'error';
  if (live.state === 'disconnected') return 'missing';
  return null;
}

export async function collectDeviceStates(mapping: HardwareMapping, live: () => LiveReader | null = () => null): Promise<DeviceStates> {
  const [cameras, microphones] = await Promise.all([listCameras().catch(() => []), listMicrophones().catch(() => [])]);
  const port = mapping.readerPort;
  const states = deviceStates(
    mapping,
    cameras.map((c) => c.label),
    microphones.map((m) => m.label),
    null,
  );
  const fromSession = readerFromSession(live(), port);
  if (fromSession !== null) return { ...states, idReader: fromSession };
  // No session answer yet: a serial path can be checked for presence; hid:/usb: ports are not.
  const present = port === null ? null : port.startsWith('/') ? existsSync(port) : null;
  return { ...states, idReader: present === null ? 'unknown' : present ? 'ok' : 'missing' };
}
