// Which camera is the face camera, which the document camera, which input the microphone:
// picked from the technician's mapping in the booth config (a device id, or a piece of its label,
// as shown by the service screen), falling back to another present device with a warning rather
// than failing. Pure: takes the browser's device list, returns ids.

export interface DeviceInfo {
  deviceId: string;
  kind: 'videoinput' | 'audioinput' | 'audiooutput';
  label: string;
}

/** One mapped device: match by exact deviceId first, else by a case-insensitive piece of the label. */
export interface DeviceMatch {
  deviceId?: string | null;
  label?: string | null;
}

export interface DeviceMapping {
  faceCamera?: DeviceMatch | null;
  documentCamera?: DeviceMatch | null;
  microphone?: DeviceMatch | null;
}

export type Role = 'faceCamera' | 'documentCamera' | 'microphone';

export interface Pick {
  deviceId: string | null;
  /** The mapping named a device that is not there (or none was mapped) and another was taken. */
  fallback: boolean;
}

function find(devices: DeviceInfo[], m: DeviceMatch | null | undefined): DeviceInfo | undefined {
  if (!m) return undefined;
  if (m.deviceId) {
    const byId = devices.find((d) => d.deviceId === m.deviceId);
    if (byId) return byId;
  }
  const label = m.label?.trim().toLowerCase();
  if (label) return devices.find((d) => d.label.toLowerCase().includes(label));
  return undefined;
}

function mapped(m: DeviceMatch | null | undefined): boolean {
  return Boolean(m && (m.deviceId || m.label?.trim()));
}

export function pickDevices(all: DeviceInfo[], mapping: DeviceMapping): Record<Role, Pick> {
  const cams = all.filter((d) => d.kind === 'videoinput');
  const mics = all.filter((d) => d.kind === 'audioinput');
  const faceHit = find(cams, mapping.faceCamera);
  const docHit = find(cams, mapping.documentCamera);
  // A camera not claimed by the other role is the better fallback: two cameras stay two.
  const face = faceHit ?? cams.find((c) => c !== docHit) ?? cams[0];
  const doc = docHit ?? cams.find((c) => c !== face) ?? cams[0];
  const micHit = find(mics, mapping.microphone);
  const mic = micHit ?? mics.find((m) => m.deviceId === 'default') ?? mics[0];
  return {
    // Only a mapped device that is not there is a fallback worth saying; an unmapped booth simply
    // uses what it has (the service screen shows the technician the rest).
    faceCamera: { deviceId: face?.deviceId ?? null, fallback: !faceHit && mapped(mapping.faceCamera) },
    documentCamera: { deviceId: doc?.deviceId ?? null, fallback: !docHit && mapped(mapping.documentCamera) },
    microphone: { deviceId: mic?.deviceId ?? null, fallback: !micHit && mapped(mapping.microphone) },
  };
}

/** Which devices opened at the last look (start-screen probe, or a capture screen since). */
export interface DeviceHealth {
  camera: boolean;
  microphone: boolean;
}

/** The capture modes the working devices allow: video needs both, voice the microphone, photos a camera. */
export function workingKinds(h: DeviceHealth | null): ('photo' | 'video' | 'audio')[] {
  if (!h) return ['photo', 'video', 'audio']; // not looked yet: offer all (a failure is still caught on opening)
  const kinds: ('photo' | 'video' | 'audio')[] = [];
  if (h.camera) kinds.push('photo');
  if (h.camera && h.microphone) kinds.push('video');
  if (h.microphone) kinds.push('audio');
  return kinds;
}
