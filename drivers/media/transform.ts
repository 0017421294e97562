// The few ffmpeg jobs the product needs. Each writes to a temporary name and renames, so a
// half-written output never looks finished.
import { rename, rm, stat } from 'node:fs/promises';
import { runTool } from './run.ts';

async function toFinal(out: string, job: (tmp: string) => Promise<void>): Promise<void> {
  const dot = out.lastIndexOf('.');
  const tmp = `${out.slice(0, dot)}.partial${out.slice(dot)}`;
  try {
    await job(tmp);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * A stream copy (no decoding): the one ffmpeg job for both a MediaRecorder WebM on the booth (it
 * carries no duration or cues; the copy writes both, 0.1 s per minute) and the intake's playback
 * copy of a recording browsers play as it is (WebM VP8/VP9/AV1 with Opus/Vorbis, MP4 H.264 with
 * AAC: a second for a minute of 720p). An MP4's index is moved to the front, so playback starts
 * before the whole file has arrived.
 */
export function streamCopy(input: string, output: string, background: Background = {}): Promise<void> {
  const faststart = /\.(mp4|m4a)$/.test(output) ? ['-movflags', '+faststart'] : [];
  return toFinal(output, (tmp) =>
    runTool('ffmpeg', ['-v', 'error', '-y', ...threadArgs(background), '-i', input, '-map', '0', '-c', 'copy', ...faststart, tmp], {
      timeoutMs: 120_000,
      ...niceOf(background),
    }).then(() => undefined),
  );
}

/**
 * A JPEG still from about one second in, optionally scaled to `width`. A clip whose video ends
 * before that point (a camera that stalled after one or two frames) gets its first frame instead:
 * ffmpeg seeking past the last frame exits 0 and writes nothing, so the output is checked.
 */
export function posterFrame(input: string, output: string, atSec = 1, width?: number, background: Background = {}): Promise<void> {
  const scale = width ? ['-vf', `scale=${width}:-2`] : [];
  const still = (tmp: string, seek: string[]) =>
    runTool(
      'ffmpeg',
      ['-v', 'error', '-y', ...threadArgs(background), ...seek, '-i', input, '-frames:v', '1', ...scale, '-q:v', '5', tmp],
      niceOf(background),
    );
  return toFinal(output, async (tmp) => {
    const seeked =
      atSec > 0
        ? await still(tmp, ['-ss', String(atSec)]).then(
            () => nonEmpty(tmp),
            () => false,
          )
        : false;
    if (!seeked) await still(tmp, []);
    if (!(await nonEmpty(tmp))) throw new Error('ffmpeg wrote no poster frame (the video has no decodable frame)');
  });
}

async function nonEmpty(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.size > 0,
    () => false,
  );
}

/**
 * The staff playback renditions, one ffmpeg job with the output's streams and codecs per kind:
 * - video: H.264 + AAC in MP4, every current browser plays and seeks it. veryfast/crf 23 runs at
 *   3.5–4.8x realtime at 720p on two cores (TOOLCHAIN.md 2b); larger sources are scaled down to
 *   1280 wide. Timeout: 15 min of media at 1x realtime, far above the measured speed.
 * - audio: AAC in MP4 (.m4a) plays everywhere, Safari included (82x realtime).
 * Both with the index up front (faststart).
 */
const RENDITIONS = {
  video: {
    output: [
      ...['-map', '0:v:0', '-map', '0:a:0?', '-vf', "scale='min(1280,iw)':-2"],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k'],
    ],
    timeoutMs: 15 * 60_000,
  },
  audio: { output: ['-map', '0:a:0', '-c:a', 'aac', '-b:a', '96k'], timeoutMs: 5 * 60_000 },
} as const;

export type PlaybackKind = keyof typeof RENDITIONS;

/** The ffmpeg arguments of a playback rendition (pure, so the two kinds are seen side by side). */
function transcodeArgs(kind: PlaybackKind, input: string, output: string, background: Background = {}): string[] {
  return [
    ...['-v', 'error', '-y', ...threadArgs(background), '-i', input, ...threadArgs(background, false)],
    ...RENDITIONS[kind].output,
    ...['-movflags', '+faststart', output],
  ];
}

export function transcodeForPlayback(kind: PlaybackKind, input: string, output: string, background: Background = {}): Promise<void> {
  return toFinal(output, (tmp) =>
    runTool('ffmpeg', transcodeArgs(kind, input, tmp, background), { timeoutMs: RENDITIONS[kind].timeoutMs, ...niceOf(background) }).then(
      () => undefined,
    ),
  );
}

/** How a transcode yields to the work around it: fewer threads than cores, a lower CPU priority. */
export interface Background {
  threads?: number;
  nice?: number;
}

/** `-threads` before the input limits the decoder, after it the encoder (x264 would take every core). */
function threadArgs(b: Background, input = true): string[] {
  if (!b.threads) return [];
  return input ? ['-filter_threads', '1', '-threads', String(b.threads)] : ['-threads', String(b.threads)];
}

function niceOf(b: Background): { nice?: number } {
  return b.nice ? { nice: b.nice } : {};
}
