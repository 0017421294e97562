// Camera and microphone in the browser: open a device, record, measure the level, grab a frame.
// Every failure becomes a plain value the screens turn into words; nothing here shows a browser error.
import type { DeviceHealth, DeviceInfo, DeviceMapping } from './devices.ts';
import { pickDevices } from './devices.ts';

export type OpenResult = { ok: true; stream: MediaStream } | { ok: false; reason: 'missing' | 'busy' | 'denied' };

export async function listDevices(): Promise<DeviceInfo[]> {
  try {
    const all = await navigator.mediaDevices.enumerateDevices();
    return all.map((d) => ({ deviceId: d.deviceId, kind: d.kind, label: d.label }));
  } catch {
    return [];
  }
}

function reasonOf(err: unknown): 'missing' | 'busy' | 'denied' {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotReadableError' || name === 'AbortError') return 'busy';
  return 'missing';
}

export async function openStream(opts: {
  videoId?: string | null;
  audio: boolean;
  audioId?: string | null;
  video: boolean;
}): Promise<OpenResult> {
  if (!navigator.mediaDevices?.getUserMedia) return { ok: false, reason: 'missing' };
  const video: MediaTrackConstraints | false = opts.video
    ? { ...(opts.videoId ? { deviceId: { exact: opts.videoId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 } }
    : false;
  const audio: MediaTrackConstraints | false = opts.audio
    ? {
        ...(opts.audioId ? { deviceId: { exact: opts.audioId } } : {}),
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
      }
    : false;
  try {
    return { ok: true, stream: await navigator.mediaDevices.getUserMedia({ video, audio }) };
  } catch (err) {
    return { ok: false, reason: reasonOf(err) };
  }
}

export function stopStream(stream: MediaStream | null | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

function pickMime(kind: 'video' | 'audio'): string | undefined {
  // Chromium records VP8/Opus in WebM; audio-only recording needs an audio-only stream (TOOLCHAIN.md).
  const wanted = kind === 'video' ? ['video/webm;codecs=vp8,opus', 'video/webm'] : ['audio/webm;codecs=opus', 'audio/webm'];
  return wanted.find((m) => typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m));
}

export class Recording {
  private chunks: Blob[] = [];
  private recorder: MediaRecorder;
  private stopped: Promise<Blob>;

  constructor(stream: MediaStream, kind: 'video' | 'audio') {
    const source = kind === 'audio' ? new MediaStream(stream.getAudioTracks()) : stream;
    const mimeType = pickMime(kind);
    this.recorder = new MediaRecorder(source, mimeType ? { mimeType } : undefined);
    this.recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    this.stopped = new Promise((resolve) => {
      this.recorder.onstop = () => resolve(new Blob(this.chunks, { type: this.recorder.mimeType }));
    });
    // Chunks every second: a stop near the limit loses at most a second, never the whole file.
    this.recorder.start(1000);
  }

  stop(): Promise<Blob> {
    if (this.recorder.state !== 'inactive') this.recorder.stop();
    return this.stopped;
  }
}

/** Live input level 0..1 (RMS, scaled so normal speech fills most of the bar). */
export class LevelMeter {
  private ctx: AudioContext;
  private analyser: AnalyserNode;
  private buf: Float32Array<ArrayBuffer>;

  constructor(stream: MediaStream) {
    this.ctx = new AudioContext();
    const src = this.ctx.createMediaStreamSource(new MediaStream(stream.getAudioTracks()));
    this.analyser = this.ctx.createAnalyser();
    this.analyser.fftSize = 1024;
    this.buf = new Float32Array(new ArrayBuffer(this.analyser.fftSize * 4));
    src.connect(this.analyser);
  }

  level(): number {
    this.analyser.getFloatTimeDomainData(this.buf);
    let sum = 0;
    for (const v of this.buf) sum += v * v;
    const rms = Math.sqrt(sum / this.buf.length);
    return Math.min(1, rms * 4);
  }

  close(): void {
    void this.ctx.close();
  }
}

/** Freezes the current video frame into a canvas (shown as the freeze-frame) and a JPEG blob. */
export function grabFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<Blob | null> {
  canvas.width = video.videoWidth || 1280;
  canvas.height = video.videoHeight || 720;
  canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob((b) => resolve(b), 'image/jpeg', 0.9));
}

export type Role = 'faceCamera' | 'documentCamera' | 'microphone';

export type RoleStream =
  | { ok: true; stream: MediaStream; fallback: boolean; label: string }
  | { ok: false; reason: 'missing' | 'busy' | 'denied'; device: 'camera' | 'microphone' };

/**
 * Opens camera and/or microphone; on failure finds out which one failed, so a dead microphone is
 * not reported as a dead camera (the resident is then offered photos, which need no microphone).
 */
async function openOrDiagnose(
  opts: Parameters<typeof openStream>[0],
): Promise<{ ok: true; stream: MediaStream } | { ok: false; reason: 'missing' | 'busy' | 'denied'; device: 'camera' | 'microphone' }> {
  const r = await openStream(opts);
  if (r.ok) return r;
  if (!opts.video) return { ...r, device: 'microphone' };
  if (!opts.audio) return { ...r, device: 'camera' };
  const camOnly = await openStream({ ...opts, audio: false });
  if (!camOnly.ok) return { ...camOnly, device: 'camera' };
  stopStream(camOnly.stream);
  return { ...r, device: 'microphone' };
}

/**
 * Opens the device the technician mapped to `role` (plus the mapped microphone when `withAudio`).
 * Labels are only visible after a first permission grant, so when the mapping needs labels we
 * may open once, look, and reopen the right device.
 */
export async function openRole(role: Role, mapping: DeviceMapping, withAudio: boolean): Promise<RoleStream> {
  const video = role !== 'microphone';
  let devices = await listDevices();
  if (devices.length > 0 && devices.every((d) => d.label === '')) {
    const probe = await openOrDiagnose({ video, audio: withAudio || !video });
    if (!probe.ok) return probe;
    stopStream(probe.stream);
    devices = await listDevices();
  }
  const picks = pickDevices(devices, mapping);
  const pick = picks[role];
  if (video && devices.length > 0 && pick.deviceId === null) return { ok: false, reason: 'missing', device: 'camera' };
  const opened = await openOrDiagnose({
    video,
    videoId: video ? pick.deviceId : null,
    audio: withAudio || !video,
    audioId: picks.microphone.deviceId,
  });
  if (!opened.ok) return opened;
  const track = video ? opened.stream.getVideoTracks()[0] : opened.stream.getAudioTracks()[0];
  return { ok: true, stream: opened.stream, fallback: pick.fallback, label: track?.label ?? '' };
}

/**
 * Opens any camera, then any microphone, and closes each at once: which capture modes can work
 * now (the start screen offers only those). One at a time, so a dead microphone is not blamed on
 * the camera.
 */
export async function probeDevices(): Promise<DeviceHealth> {
  const works = async (c: { video: boolean; audio: boolean }) => {
    const r = await openStream(c);
    if (r.ok) stopStream(r.stream);
    return r.ok;
  };
  const camera = await works({ video: true, audio: false });
  const microphone = await works({ video: false, audio: true });
  return { camera, microphone };
}
