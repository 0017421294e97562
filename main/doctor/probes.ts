// The probes behind booth doctor's checks (checks.ts), from one of two sources, assembled the same
// way: the running booth core's live state (coreProbes, answered at GET /api/doctor: the intake
// address and credential it really uses, the reader session it holds, its outbox), or, when no core
// runs, the booth's files (fileProbes). Both only read: a diagnostic never creates state (no
// booth.db is made where there is none; the reader port a running core holds is not opened again).
import path from 'node:path';
import { readerPortInfo, readerPortName } from '../../drivers/idcard/index.ts';
import type { ReaderInfo } from '../../contract/kiosk.ts';
import type { IntakeLink } from '../../uploader/intakeLink.ts';
import { openBoothDbForReading } from '../../uploader/db.ts';
import { Outbox, type OutboxSummary } from '../../uploader/outbox.ts';
import type { BoothConfig } from '../config.ts';
import { linkFromFiles } from '../technician/files.ts';
import { loadMapping, type HardwareMapping as MappingFile } from '../technician/mapping.ts';
import { probeReader } from '../technician/probes.ts';
import { VERSION } from '../version.ts';
import type { CredentialState, DoctorProbes, HardwareMapping, ReaderProbe } from './checks.ts';
import { diskSpace, listCameras, listMicrophones } from './systemProbes.ts';

interface ProbeSource {
  dataDir: string;
  link: Pick<IntakeLink, 'health' | 'settings' | 'authorization'>;
  intakeUrl: string | null;
  mapping(): Promise<HardwareMapping>;
  reader(port: string): Promise<ReaderProbe>;
  /** null: this booth has no outbox database yet (it never ran): nothing waits. */
  outbox(): OutboxSummary | null;
  sysRoot?: string | undefined;
  procRoot?: string | undefined;
  now?: () => number;
  electronVersion?: string | null;
}

function probesFrom(s: ProbeSource): DoctorProbes {
  const now = s.now ?? Date.now;
  const ping = s.intakeUrl
    ? s.link.health().then((h) => ({ reachable: h.reachable, intakeMs: h.intakeMs, ...(h.reachable ? {} : { error: h.problem }) }))
    : Promise.resolve({ reachable: false, intakeMs: null, error: 'no address' });
  return {
    cameras: () => listCameras(s.sysRoot),
    microphones: () => listMicrophones(s.procRoot),
    mapping: () => s.mapping(),
    reader: (port) => (port ? s.reader(port) : Promise.resolve({ present: false, responds: false })),
    disk: () => diskSpace(s.dataDir),
    clock: async () => ({ boothMs: now(), intakeMs: (await ping).intakeMs }),
    intake: async () => {
      const p = await ping;
      return { url: s.intakeUrl, reachable: p.reachable, ...(p.error ? { error: p.error } : {}) };
    },
    credential: async (): Promise<CredentialState> => {
      if (!s.link.authorization) return 'missing';
      if (!s.intakeUrl || !(await ping).reachable) return 'unknown';
      const answer = await s.link.settings();
      if (answer.kind === 'ok') return 'ok';
      if (answer.kind === 'refused') return answer.revoked ? 'revoked' : 'rejected';
      return 'unknown';
    },
    queue: async () => {
      const o = s.outbox();
      if (!o) return { depth: 0, oldestUnsentAgeMs: null, stuck: 0 };
      return {
        depth: o.waiting,
        oldestUnsentAgeMs: o.oldestWaitingSavedAt ? Math.max(0, now() - Date.parse(o.oldestWaitingSavedAt)) : null,
        stuck: 0,
      };
    },
    versions: async () => ({
      app: VERSION,
      node: process.version,
      electron: s.electronVersion ?? null,
      intakeApi: (await ping).reachable ? 'v1' : null,
    }),
  };
}

const asDoctorMapping = (m: MappingFile): HardwareMapping => ({
  faceCamera: m.faceCamera?.label ?? null,
  documentCamera: m.documentCamera?.label ?? null,
  microphone: m.microphone?.label ?? null,
  readerPort: m.readerPort,
});

export interface FileProbeOptions {
  dataDir: string;
  config: BoothConfig;
  sysRoot?: string | undefined;
  procRoot?: string | undefined;
  now?: () => number;
  electronVersion?: string | null;
}

/** The outbox summary from booth.db opened read-only; null when there is no booth.db (never created here). */
export function readOutboxSummary(dataDir: string, timeZone: string): OutboxSummary | null {
  const db = openBoothDbForReading(path.join(dataDir, 'booth.db'));
  if (!db) return null;
  try {
    return new Outbox(db, timeZone).summary();
  } finally {
    db.close();
  }
}

/** No core runs: the booth's files (booth.json, keys/intake.token, hardware.json, booth.db) and the machine. */
export function fileProbes(o: FileProbeOptions): DoctorProbes {
  const mapping = loadMapping(o.dataDir);
  return probesFrom({
    dataDir: o.dataDir,
    link: linkFromFiles(o.dataDir, o.config),
    intakeUrl: o.config.intakeUrl,
    mapping: async () => asDoctorMapping(await mapping),
    reader: (port) => probeReader(port),
    outbox: () => readOutboxSummary(o.dataDir, o.config.timeZone),
    sysRoot: o.sysRoot,
    procRoot: o.procRoot,
    ...(o.now ? { now: o.now } : {}),
    electronVersion: o.electronVersion ?? null,
  });
}

/** What a running core lends its doctor (compose.ts): its live parts, read only. */
export interface LiveCore {
  dataDir: string;
  link: Pick<IntakeLink, 'health' | 'settings' | 'authorization'>;
  intakeUrl(): string | null;
  hardware(): MappingFile;
  /** The port the reader session was opened on (booth.json's idcard.port, else the mapping at start). */
  readerPort(): string | null;
  reader(): ReaderInfo | null;
  outbox(): OutboxSummary;
  now(): number;
}

/** The port name the doctor shows for a simulated reader (development: no real reader here). */
export const SIMULATED_READER_PORT = 'simulator';

/** The reader as the running session sees it: the port is the core's, so it is not opened again. */
export function liveReaderProbe(info: ReaderInfo | null, port: string): ReaderProbe {
  const name = port === SIMULATED_READER_PORT ? 'the simulated reader (no real reader found)' : readerPortName(readerPortInfo(port));
  const counts = info ? { resends: info.resends, retries: info.retries } : {};
  switch (info?.state ?? 'absent') {
    case 'ready':
      return { present: true, responds: true, name, ...counts };
    case 'sam-fault':
      return { present: true, responds: true, error: 'its security module (SAM) reports a fault', name, ...counts };
    case 'connecting':
    case 'checking-sam':
      return { present: true, responds: false, error: 'it is still being connected', name, ...counts };
    default:
      return { present: false, responds: false, name, ...counts };
  }
}

export function coreProbes(c: LiveCore, o: { sysRoot?: string; procRoot?: string } = {}): DoctorProbes {
  return probesFrom({
    dataDir: c.dataDir,
    link: c.link,
    intakeUrl: c.intakeUrl(),
    mapping: async () => {
      const info = c.reader();
      const port = c.readerPort() ?? (info?.simulated ? SIMULATED_READER_PORT : null);
      return { ...asDoctorMapping(c.hardware()), readerPort: port };
    },
    reader: async (port) => liveReaderProbe(c.reader(), port),
    outbox: () => c.outbox(),
    sysRoot: o.sysRoot,
    procRoot: o.procRoot,
    now: c.now,
    electronVersion: process.versions.electron ?? null,
  });
}
