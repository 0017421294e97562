// `booth doctor`: one small function per thing that can be wrong at a booth. Each takes injected
// probes (probes.ts reads the real machine; tests pass fakes to simulate every fault) and answers
// ok, or a fault in plain words with what the technician should do about it.

export type CheckOutcome = { status: 'ok'; detail: string } | { status: 'warn' | 'fault'; problem: string; fix: string };

export interface DeviceInfo {
  /** Stable-ish identity used for matching: the device label as the OS names it. */
  label: string;
}

export interface HardwareMapping {
  faceCamera: string | null;
  documentCamera: string | null;
  microphone: string | null;
  readerPort: string | null;
}

/** Is a reader there and does it answer. `name` is the port in plain words ("精伦 iDR200 family
 *  (SAM_V) on usb:0400:c35a"); from a running core, the reader session's counts since it started. */
export interface ReaderProbe {
  present: boolean;
  responds: boolean;
  error?: string;
  name?: string;
  resends?: number;
  retries?: number;
}

export type CredentialState = 'ok' | 'missing' | 'rejected' | 'revoked' | 'unknown';

export interface DoctorProbes {
  cameras(): Promise<DeviceInfo[]>;
  microphones(): Promise<DeviceInfo[]>;
  mapping(): Promise<HardwareMapping>;
  /** The reader on the configured port (from the running core's session, else by opening the port); null port = none configured. */
  reader(port: string | null): Promise<ReaderProbe>;
  disk(): Promise<{ freeBytes: number; totalBytes: number }>;
  /** Booth clock, and the intake's clock from its Date header when reachable. */
  clock(): Promise<{ boothMs: number; intakeMs: number | null }>;
  intake(): Promise<{ url: string | null; reachable: boolean; error?: string }>;
  credential(): Promise<CredentialState>;
  queue(): Promise<{ depth: number; oldestUnsentAgeMs: number | null; stuck: number }>;
  versions(): Promise<{ app: string; node: string; electron: string | null; intakeApi: string | null }>;
}

export interface DoctorCheck {
  id: string;
  title: string;
  run(p: DoctorProbes): Promise<CheckOutcome>;
}

const GiB = 1024 ** 3;
/** The booth API this software speaks (the intake serves /api/v1). */
export const BOOTH_API_VERSION = 'v1';
export const DOCTOR_LIMITS = {
  diskFaultBytes: 1 * GiB,
  diskWarnBytes: 5 * GiB,
  clockSkewMs: 2 * 60_000,
  oldestUnsentWarnMs: 6 * 3600_000,
};

/** See systemProbes.sameDeviceLabel: "HD Webcam (046d:0825)" and "HD Webcam" are one device. */
function sameDevice(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/\s*\([0-9a-f]{4}:[0-9a-f]{4}\)\s*$/i, '').trim();
  return strip(a) === strip(b);
}
const has = (list: DeviceInfo[], label: string) => list.some((d) => sameDevice(d.label, label));

const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail });
const fault = (problem: string, fix: string): CheckOutcome => ({ status: 'fault', problem, fix });
const warn = (problem: string, fix: string): CheckOutcome => ({ status: 'warn', problem, fix });

const gib = (b: number) => `${(b / GiB).toFixed(1)} GB`;
const hours = (ms: number) => (ms < 3600_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3600_000).toFixed(1)} h`);

export const cameraCheck: DoctorCheck = {
  id: 'cameras',
  title: 'Cameras',
  async run(p) {
    const [cams, map] = await Promise.all([p.cameras(), p.mapping()]);
    if (cams.length === 0)
      return fault(
        'No camera is connected.',
        'Check the USB cables of the face camera and the document camera, then run booth doctor again.',
      );
    const missing: string[] = [];
    if (map.faceCamera && !has(cams, map.faceCamera)) missing.push(`face camera "${map.faceCamera}"`);
    if (map.documentCamera && !has(cams, map.documentCamera)) missing.push(`document camera "${map.documentCamera}"`);
    if (missing.length)
      return fault(
        `The ${missing.join(' and the ')} assigned in the service screen is not connected.`,
        'Plug it back in, or assign the cameras again in the service screen.',
      );
    if (!map.faceCamera || !map.documentCamera)
      return warn(
        `${cams.length} camera(s) found but not both assigned.`,
        'Open the service screen and choose which camera films the resident and which films documents.',
      );
    if (cams.length < 2)
      return warn(
        'Only one camera is connected.',
        'Connect the second camera; until then documents are photographed with the face camera.',
      );
    return ok(`${cams.length} cameras; face: ${map.faceCamera}; document: ${map.documentCamera}`);
  },
};

export const microphoneCheck: DoctorCheck = {
  id: 'microphone',
  title: 'Microphone',
  async run(p) {
    const [mics, map] = await Promise.all([p.microphones(), p.mapping()]);
    if (mics.length === 0)
      return fault(
        'No microphone is connected.',
        'Check the microphone cable (or the camera with the built-in microphone), then run booth doctor again.',
      );
    if (map.microphone && !has(mics, map.microphone)) {
      return fault(
        `The microphone "${map.microphone}" assigned in the service screen is not connected.`,
        'Plug it back in, or choose another microphone in the service screen.',
      );
    }
    return ok(`${mics.length} microphone(s)${map.microphone ? `; using ${map.microphone}` : ''}`);
  },
};

export const readerCheck: DoctorCheck = {
  id: 'reader',
  title: 'ID-card reader',
  async run(p) {
    const map = await p.mapping();
    if (!map.readerPort)
      return warn(
        'No ID-card reader port is set, so residents can only submit anonymously.',
        'Open the service screen, choose the reader port and do a test read.',
      );
    const r = await p.reader(map.readerPort);
    // e.g. "精伦 iDR200 family (SAM_V) on usb:0400:c35a": a technician sees which reader is meant.
    const where = r.name ?? map.readerPort;
    if (!r.present)
      return fault(
        `The ID-card reader (${where}) is not there: it is unplugged or on another port.`,
        'Check the reader USB cable; if it moved, choose the port again in the service screen.',
      );
    if (!r.responds)
      return fault(
        `The reader (${where}) does not answer${r.error ? ` (${r.error})` : ''}.`,
        'Unplug the reader, wait 5 seconds, plug it in again; if it still fails, replace it.',
      );
    if (r.error)
      return fault(
        `The reader (${where}) answers, but ${r.error}: no card can be read.`,
        'Unplug the reader, wait 5 seconds, plug it in again; if it still fails, replace it.',
      );
    const counts =
      r.resends !== undefined || r.retries !== undefined
        ? `; since start ${r.resends ?? 0} command(s) resent, ${r.retries ?? 0} read(s) retried`
        : '';
    return ok(`reader answers: ${where}${counts}`);
  },
};

export const diskCheck: DoctorCheck = {
  id: 'disk',
  title: 'Disk space',
  async run(p) {
    const d = await p.disk();
    if (d.freeBytes < DOCTOR_LIMITS.diskFaultBytes)
      return fault(
        `The disk is nearly full (${gib(d.freeBytes)} free of ${gib(d.totalBytes)}). New recordings may be refused.`,
        'Check that uploads reach the back office (booth queue); delivered media is deleted by itself. Call support if the queue is empty.',
      );
    if (d.freeBytes < DOCTOR_LIMITS.diskWarnBytes)
      return warn(`Disk space is getting low (${gib(d.freeBytes)} free).`, 'Check that uploads reach the back office (booth queue).');
    return ok(`${gib(d.freeBytes)} free of ${gib(d.totalBytes)}`);
  },
};

export const clockCheck: DoctorCheck = {
  id: 'clock',
  title: 'Clock',
  async run(p) {
    const c = await p.clock();
    if (c.boothMs < Date.UTC(2025, 0, 1))
      return fault(
        'The booth clock is not set (it shows a date before 2025).',
        'Connect the network so the clock can synchronise (systemd-timesyncd), or set it by hand; receipts and deadlines use it.',
      );
    if (c.intakeMs === null)
      return warn('Cannot compare the clock with the back office (not reachable).', 'Fix the network first; then run booth doctor again.');
    const skew = c.boothMs - c.intakeMs;
    if (Math.abs(skew) > DOCTOR_LIMITS.clockSkewMs)
      return fault(
        `The booth clock is ${hours(Math.abs(skew))} ${skew > 0 ? 'ahead of' : 'behind'} the back office.`,
        'Enable time synchronisation (timedatectl set-ntp true) and check the time zone; receipts and deadlines use this clock.',
      );
    return ok(`within ${Math.round(Math.abs(skew) / 1000)} s of the back office`);
  },
};

export const intakeCheck: DoctorCheck = {
  id: 'intake',
  title: 'Back office connection',
  async run(p) {
    const i = await p.intake();
    if (!i.url)
      return fault(
        'This booth is not enrolled: no back-office address is set.',
        'Enrol it: booth provision --code CODE --intake URL (the code comes from the staff app, Fleet → Add booth).',
      );
    if (!i.reachable)
      return fault(
        `The back office at ${i.url} cannot be reached${i.error ? ` (${i.error})` : ''}. Recordings are kept and sent later.`,
        'Check the network cable or mobile router; if other sites work, call the back office.',
      );
    return ok(`reachable at ${i.url}`);
  },
};

export const credentialCheck: DoctorCheck = {
  id: 'credential',
  title: 'Booth credential',
  async run(p) {
    const c = await p.credential();
    switch (c) {
      case 'ok':
        return ok('accepted by the back office');
      case 'missing':
        return fault(
          'This booth has no credential: it was never enrolled, or the credential file was lost.',
          'Ask an admin for a new enrolment code (staff app, Fleet) and run booth provision.',
        );
      case 'rejected':
        return fault(
          "The back office refuses this booth's credential. Recordings are kept but not sent.",
          'Ask an admin to check the booth in the staff app (Fleet); enrol it again with a new code if needed.',
        );
      case 'revoked':
        return fault(
          'This booth was revoked in the back office. Recordings are kept but not sent.',
          'If that was a mistake, an admin issues a new enrolment code and you run booth provision again.',
        );
      case 'unknown':
        return warn(
          'Could not check the credential because the back office is not reachable.',
          'Fix the connection first; then run booth doctor again.',
        );
      default: {
        const never: never = c;
        return never;
      }
    }
  },
};

export const queueCheck: DoctorCheck = {
  id: 'queue',
  title: 'Upload queue',
  async run(p) {
    const q = await p.queue();
    if (q.stuck > 0)
      return fault(
        `${q.stuck} recording(s) were refused by the back office and need attention.`,
        'Run booth queue to see the error; send booth logs export to support.',
      );
    if (q.oldestUnsentAgeMs !== null && q.oldestUnsentAgeMs > DOCTOR_LIMITS.oldestUnsentWarnMs) {
      return warn(
        `${q.depth} recording(s) waiting; the oldest for ${hours(q.oldestUnsentAgeMs)}.`,
        'Check the connection to the back office; they are sent automatically once it works.',
      );
    }
    return ok(q.depth === 0 ? 'nothing waiting' : `${q.depth} waiting, oldest ${hours(q.oldestUnsentAgeMs ?? 0)}`);
  },
};

export const versionCheck: DoctorCheck = {
  id: 'versions',
  title: 'Software versions',
  async run(p) {
    const v = await p.versions();
    const detail = `app ${v.app}, node ${v.node}${v.electron ? `, electron ${v.electron}` : ', no electron (Chromium kiosk)'}${v.intakeApi ? `, back office API ${v.intakeApi}` : ''}`;
    if (v.intakeApi && v.intakeApi !== BOOTH_API_VERSION) {
      return fault(
        `The back office speaks API ${v.intakeApi}, this booth speaks v1.`,
        'Update the booth software (it updates itself in quiet hours) or call support.',
      );
    }
    return ok(detail);
  },
};

export const ALL_CHECKS: readonly DoctorCheck[] = [
  cameraCheck,
  microphoneCheck,
  readerCheck,
  diskCheck,
  clockCheck,
  intakeCheck,
  credentialCheck,
  queueCheck,
  versionCheck,
];
