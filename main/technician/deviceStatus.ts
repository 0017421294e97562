// Device status for the heartbeat (issue 6 sends it; the fleet view flags "device fault"): the
// mapped cameras and microphone present in sysfs/ALSA, the reader's port present. Read without
// opening anything (the reader driver owns the port), refreshed in the background because the
// heartbeat asks synchronously.
import { existsSync } from 'node:fs';
import type { DeviceState, DeviceStates } from '../../intake/contract.ts';
import type { DeviceInfo } from '../doctor/checks.ts';
import { listCameras, listMicrophones } from '../doctor/systemProbes.ts';
import type { HardwareMapping } from './mapping.ts';


const strip = (s: string) => s.replace(/\s*\([0-9a-f]{4}:[0-9a-f]{4}\)\s*$/i, '').trim();
const present = (list: DeviceInfo[], label: string) => list.some((d) => strip(d.label) === strip(label));

/** Pure: what the heartbeat reports, from what is mapped and what the machine shows. */
export function deviceStates(m: HardwareMapping, cams: DeviceInfo[], mics: DeviceInfo[], portExists: (p: string) => boolean): DeviceStates {
  const cam = (d: HardwareMapping['faceCamera']): DeviceState => (d ? (present(cams, d.label) ? 'ok' : 'missing') : cams.length > 0 ? 'unknown' : 'missing');
  return {
    faceCamera: cam(m.faceCamera),
    documentCamera: cam(m.documentCamera),
    microphone: m.microphone ? (present(mics, m.microphone.label) ? 'ok' : 'missing') : mics.length > 0 ? 'ok' : 'missing',
    idReader: m.readerPort ? (portExists(m.readerPort) ? 'ok' : 'missing') : 'unknown',
  };
}

export class DeviceStatusMonitor {
  private value: DeviceStates = { faceCamera: 'unknown', documentCamera: 'unknown', microphone: 'unknown', idReader: 'unknown' };
  constructor(
    private readonly mapping: () => HardwareMapping,
    private readonly roots: { sys?: string; proc?: string } = {},
  ) {}

  current(): DeviceStates {
    return this.value;
  }

  async refresh(): Promise<DeviceStates> {
    const [cams, mics] = await Promise.all([listCameras(this.roots.sys), listMicrophones(this.roots.proc)]);
    this.value = deviceStates(this.mapping(), cams, mics, existsSync);
    return this.value;
  }
}
