// Media admission: what decides whether a recording is kept. A recording is admitted when the
// streams its kind needs are present and really decode, and (for video and audio) its duration is
// known. Photos are recognised by their content (JPEG, PNG, WebP magic and a decoded frame), never by
// the media type the client declared. Derived files (poster, playback copy) are not part of this.
import { runTool } from './run.ts';
import { probe, type MediaProbe } from './probe.ts';

export type AdmitKind = 'video' | 'audio' | 'photo';
export type ImageFormat = 'jpeg' | 'png' | 'webp';

export class AdmissionError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AdmissionError';
  }
}

/** The image format by its first bytes, or null when the bytes are not a JPEG, PNG or WebP. */
export function sniffImage(head: Uint8Array): ImageFormat | null {
  const b = head;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length >= 8 && png.every((v, i) => b[i] === v)) return 'png';
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  return null;
}

const IMAGE_CODECS: Record<ImageFormat, string[]> = { jpeg: ['mjpeg', 'jpegls'], png: ['png'], webp: ['webp'] };

/** Decodes the first `seconds` of one stream (or one frame of a still); throws with ffmpeg's reason when it does not decode. */
async function decodes(file: string, stream: 'v' | 'a', limit: string[]): Promise<void> {
  await runTool('ffmpeg', ['-v', 'error', '-xerror', '-i', file, '-map', `0:${stream}:0`, ...limit, '-f', 'null', '-'], {
    timeoutMs: 60_000,
  });
}

/**
 * Admits `file` as a `kind` item or throws AdmissionError with a reason for technicians.
 * `head` is the file's first bytes (for the content check of photos).
 */
export async function admitMedia(file: string, kind: AdmitKind, head: Uint8Array): Promise<MediaProbe> {
  if (kind === 'photo') {
    const format = sniffImage(head);
    if (!format) throw new AdmissionError('not an image: the content is not JPEG, PNG or WebP');
    const p = await probe(file).catch((e: Error) => {
      throw new AdmissionError(`the image cannot be read: ${e.message}`);
    });
    if (!p.video || !IMAGE_CODECS[format].includes(p.video.codec)) throw new AdmissionError(`the image does not decode as ${format}`);
    if (!(p.video.width > 0 && p.video.height > 0)) throw new AdmissionError('the image has no size');
    await decodes(file, 'v', ['-frames:v', '1']).catch((e: Error) => {
      throw new AdmissionError(`the image does not decode: ${e.message}`);
    });
    return p;
  }
  const p = await probe(file).catch((e: Error) => {
    throw new AdmissionError(`the recording cannot be read: ${e.message}`);
  });
  if (kind === 'video' && !p.video) throw new AdmissionError('no video stream');
  if (kind === 'audio' && !p.audio) throw new AdmissionError('no audio stream');
  if (!(p.durationSec && p.durationSec > 0)) throw new AdmissionError('the duration is not known');
  // One decoded frame of video / one second of sound is enough to know the stream is real; a
  // camera that stalled after its first frame still made a valid recording.
  await decodes(file, kind === 'video' ? 'v' : 'a', kind === 'video' ? ['-frames:v', '1'] : ['-t', '1']).catch((e: Error) => {
    throw new AdmissionError(`the ${kind} stream does not decode: ${e.message}`);
  });
  return p;
}
