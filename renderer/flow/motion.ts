// The attract cue (issue 18): with booth.json `resident.welcomeOnMotion` on, the start screen
// watches the face camera at a tiny size and says the welcome when someone steps into the hut, so a
// resident who does not know to touch the screen first still hears what to do. Off by default: a
// camera that faces a door or a street would speak to passers-by, and the camera's light stays on
// while the start screen watches. Frames never leave this page: each is shrunk to 64×48 grey
// values, compared with the one before and dropped; nothing is recorded, stored or sent.
import { openRole, stopStream } from './media.ts';
import type { DeviceMapping } from './devices.ts';

export const MOTION = {
  width: 64,
  height: 48,
  /** How often a frame is looked at. */
  everyMs: 250,
  /** Mean grey-level change (0–255) between two frames that counts as movement (camera noise is 1–3). */
  threshold: 10,
  /** Consecutive moving frames before the welcome: one flicker (a light switched on) is not a person. */
  frames: 2,
} as const;

/** RGBA pixels (a canvas's ImageData) → one grey value per pixel (ITU-R BT.601 weights). */
export function toGrey(rgba: Uint8ClampedArray | Uint8Array): Uint8Array {
  const out = new Uint8Array(rgba.length / 4);
  for (let i = 0, p = 0; p < out.length; i += 4, p++) out[p] = (rgba[i]! * 299 + rgba[i + 1]! * 587 + rgba[i + 2]! * 114) / 1000;
  return out;
}

/** Mean absolute difference of two grey frames of the same size (0 = identical, 255 = black ↔ white). */
export function frameDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** Feeds frames one by one; says true once, when `frames` consecutive differences pass `threshold`. */
export class MotionDetector {
  private last: Uint8Array | null = null;
  private moving = 0;
  private fired = false;

  constructor(private readonly opts: { threshold: number; frames: number } = MOTION) {}

  push(grey: Uint8Array): boolean {
    const prev = this.last;
    this.last = grey;
    if (!prev || this.fired) return false;
    this.moving = frameDifference(prev, grey) > this.opts.threshold ? this.moving + 1 : 0;
    if (this.moving < this.opts.frames) return false;
    this.fired = true;
    return true;
  }
}

/**
 * Watches the mapped face camera until movement is seen (then calls `onMotion` once and closes the
 * camera) or until the returned function is called. A camera that cannot be opened means no cue:
 * the touch still works.
 */
export function watchForMotion(mapping: DeviceMapping, onMotion: () => void): () => void {
  let stopped = false;
  let stream: MediaStream | null = null;
  let timer: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    stopped = true;
    if (timer) clearInterval(timer);
    stopStream(stream);
    stream = null;
  };
  void openRole('faceCamera', mapping, false).then((r) => {
    if (!r.ok) return;
    if (stopped) return stopStream(r.stream);
    stream = r.stream;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = r.stream;
    void video.play().catch(() => undefined);
    const canvas = document.createElement('canvas');
    canvas.width = MOTION.width;
    canvas.height = MOTION.height;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    const detector = new MotionDetector();
    timer = setInterval(() => {
      if (!ctx || video.readyState < 2) return;
      ctx.drawImage(video, 0, 0, MOTION.width, MOTION.height);
      if (detector.push(toGrey(ctx.getImageData(0, 0, MOTION.width, MOTION.height).data))) {
        stop();
        onMotion();
      }
    }, MOTION.everyMs);
  });
  return stop;
}
