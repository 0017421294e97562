// The real machine behind booth doctor's probes (main/doctor/checks.ts): sysfs cameras, ALSA
// microphones, the reader's port (serial, HID or native USB), disk, the intake (reachability,
// clock, credential), the outbox and versions. Everything a test needs to fake is an option.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { DeviceAbsentError, parseReaderPort, readerPortInfo, readerPortName, samStatusAnswer, transportFactoryFor } from '../../drivers/idcard/index.ts';
import type { ReaderLocation, Transport } from '../../drivers/idcard/index.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import type { BoothConfig } from '../config.ts';
import type { CredentialState, DoctorProbes } from '../doctor/checks.ts';
import { diskSpace, listCameras, listMicrophones } from '../doctor/systemProbes.ts';
import { VERSION } from '../version.ts';
import { linkFromFiles } from './files.ts';
import { loadMapping } from './mapping.ts';

/**
 * Is a reader on `port`, and does it answer? Uses the driver's own transports and SAM-status
 * exchange (one implementation of the protocol): any valid answer means the reader responds;
 * a SAM fault is reported as such. `name` says in plain words what the port is (e.g. the 精伦
 * native-USB reader behind "usb:0400:c35a").
 */
export async function probeReader(port: string, timeoutMs = 1500): Promise<{ present: boolean; responds: boolean; error?: string; name: string }> {
  const name = readerPortName(readerPortInfo(port));
  let loc: ReaderLocation;
  try {
    loc = parseReaderPort(port);
  } catch (e) {
    return { present: false, responds: false, error: (e as Error).message, name };
  }
  let t: Transport;
  try {
    // A serial path is checked first; HID and native-USB readers are looked up when opened.
    if (loc.kind === 'serial' && !existsSync(port)) return { present: false, responds: false, name };
    t = await transportFactoryFor(loc)();
  } catch (e) {
    if (e instanceof DeviceAbsentError) return { present: false, responds: false, name };
    const message = (e as Error).message;
    return { present: true, responds: false, error: message.includes('Permission') ? 'permission denied (is the booth user in group dialout?)' : message, name };
  }
  try {
    const sw3 = await samStatusAnswer(t, timeoutMs);
    if (sw3 === null) return { present: true, responds: false, error: 'no answer', name };
    if (sw3 !== 0x90) return { present: true, responds: true, error: `SAM status 0x${sw3.toString(16)}`, name };
    return { present: true, responds: true, name };
  } finally {
    await t.close();
  }
}

export interface ProbeOptions {
  dataDir: string;
  config: BoothConfig;
  sysRoot?: string;
  procRoot?: string;
  now?: () => number;
  electronVersion?: string | null;
}

export function machineProbes(o: ProbeOptions): DoctorProbes {
  const now = o.now ?? Date.now;
  const link = linkFromFiles(o.dataDir, o.config);
  const ping = link.health().then((h) => ({ reachable: h.reachable, intakeMs: h.intakeMs, ...(h.reachable ? {} : { error: h.problem }) }));
  const mapping = loadMapping(o.dataDir);
  return {
    cameras: () => listCameras(o.sysRoot),
    microphones: () => listMicrophones(o.procRoot),
    mapping: async () => {
      const m = await mapping;
      return { faceCamera: m.faceCamera?.label ?? null, documentCamera: m.documentCamera?.label ?? null, microphone: m.microphone?.label ?? null, readerPort: m.readerPort };
    },
    reader: (port) => (port ? probeReader(port) : Promise.resolve({ present: false, responds: false })),
    disk: () => diskSpace(o.dataDir),
    clock: async () => ({ boothMs: now(), intakeMs: (await ping).intakeMs }),
    intake: async () => {
      const p = await ping;
      return { url: o.config.intakeUrl, reachable: p.reachable, ...(p.error ? { error: p.error } : {}) };
    },
    credential: async (): Promise<CredentialState> => {
      if (!link.authorization) return 'missing';
      if (!o.config.intakeUrl || !(await ping).reachable) return 'unknown';
      const answer = await link.settings();
      if (answer.kind === 'ok') return 'ok';
      if (answer.kind === 'refused') return answer.revoked ? 'revoked' : 'rejected';
      return 'unknown';
    },
    queue: async () => {
      const db = openBoothDb(path.join(o.dataDir, 'booth.db'));
      try {
        const s = new Outbox(db, o.config.timeZone).summary();
        return { depth: s.waiting, oldestUnsentAgeMs: s.oldestWaitingSavedAt ? Math.max(0, now() - Date.parse(s.oldestWaitingSavedAt)) : null, stuck: 0 };
      } finally {
        db.close();
      }
    },
    versions: async () => ({ app: VERSION, node: process.version, electron: o.electronVersion ?? null, intakeApi: (await ping).reachable ? 'v1' : null }),
  };
}
