// The real machine behind booth doctor's probes (main/doctor/checks.ts): sysfs cameras, ALSA
// microphones, the reader's serial port, disk, the intake (reachability, clock, credential), the
// outbox and versions. Everything a test needs to fake is an option.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { enrolPaths } from '../../intake/contract.ts';
import { openBoothDb } from '../../uploader/db.ts';
import { Outbox } from '../../uploader/outbox.ts';
import type { BoothConfig } from '../config.ts';
import type { CredentialState, DoctorProbes } from '../doctor/checks.ts';
import { diskSpace, listCameras, listMicrophones, pingIntake } from '../doctor/systemProbes.ts';
import { VERSION } from '../version.ts';
import { techFiles, readText } from './files.ts';
import { loadMapping } from './mapping.ts';

/** SAM "status" command and the preamble every reader answer starts with (IDCARD-PROTOCOL.md §2). */
const SAM_STATUS = Buffer.from('aaaaaa9669000311ffed', 'hex');
const PREAMBLE = Buffer.from('aaaaaa9669', 'hex');

export async function probeReader(port: string, timeoutMs = 1500): Promise<{ present: boolean; responds: boolean; error?: string }> {
  if (!existsSync(port)) return { present: false, responds: false };
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    let done = false;
    const sp = new SerialPort({ path: port, baudRate: 115200, autoOpen: false });
    const finish = (r: { present: boolean; responds: boolean; error?: string }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (sp.isOpen) sp.close(() => resolve(r));
      else resolve(r);
    };
    const timer = setTimeout(() => finish({ present: true, responds: false, error: 'no answer' }), timeoutMs);
    sp.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.includes(PREAMBLE)) finish({ present: true, responds: true });
    });
    sp.open((err) => {
      if (err) return finish({ present: true, responds: false, error: err.message.includes('Permission') ? 'permission denied (is the booth user in group dialout?)' : err.message });
      sp.write(SAM_STATUS);
    });
  });
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
  const files = techFiles(o.dataDir);
  const ping = pingIntake(o.config.intakeUrl).catch(() => ({ reachable: false, intakeMs: null, error: 'failed' }));
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
      const token = await readText(files.credential);
      if (!token) return 'missing';
      if (!o.config.intakeUrl || !(await ping).reachable) return 'unknown';
      try {
        const res = await fetch(new URL(enrolPaths.settings(), o.config.intakeUrl), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
        if (res.ok) return 'ok';
        if (res.status === 401 || res.status === 403) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string; details?: { reason?: string } } } | null;
          return body?.error?.details?.reason === 'revoked' || /revoked/i.test(body?.error?.message ?? '') ? 'revoked' : 'rejected';
        }
        return 'unknown';
      } catch {
        return 'unknown';
      }
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
