// Test media made with ffmpeg, cached under .cache/fake-media (not committed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';

export const FAKE_MEDIA_DIR = path.resolve('.cache/fake-media');

function make(name: string, args: string[]): string {
  mkdirSync(FAKE_MEDIA_DIR, { recursive: true });
  const out = path.join(FAKE_MEDIA_DIR, name);
  if (!existsSync(out)) {
    // Test files run in parallel workers: each makes its own temporary file, and the rename is atomic.
    const tmp = `${out}.${process.pid}.partial${path.extname(out)}`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, tmp]);
    renameSync(tmp, out);
  }
  return out;
}

/** Camera feed for Chromium's --use-file-for-fake-video-capture (Chromium loops it). */
export const fakeCameraY4m = (): string =>
  make('camera-640x360.y4m', ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=15', '-t', '4', '-pix_fmt', 'yuv420p']);

/** An empty hut for the fake camera: a still grey picture (the attract cue must stay quiet). */
export const stillCameraY4m = (): string =>
  make('camera-still-320x240.y4m', ['-f', 'lavfi', '-i', 'color=c=0x606060:size=320x240:rate=10', '-t', '2', '-pix_fmt', 'yuv420p']);

/** Someone stepping in: a bright block a third of the picture wide crossing a grey room, over and over. */
export const walkInCameraY4m = (): string =>
  make('camera-walk-in-320x240.y4m', [
    '-f',
    'lavfi',
    '-i',
    "color=c=0x606060:s=320x240:r=10[bg];color=c=white:s=100x180:r=10[p];[bg][p]overlay=x='mod(t*200\\,320)':y=30",
    '-t',
    '3',
    '-pix_fmt',
    'yuv420p',
  ]);

/** A continuous tone for --use-file-for-fake-audio-capture. */
export const fakeMicWav = (): string =>
  make('mic-440.wav', ['-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '4', '-ac', '1', '-c:a', 'pcm_s16le']);

/** A small VP8/Opus webm like MediaRecorder's (but with a duration). */
export const sampleWebm = (seconds = 2): string =>
  make(`sample-${seconds}s.webm`, [
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x240:rate=15`,
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '200k',
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
  ]);

/** A voice recording like the kiosk's audio capture: Opus in WebM, no video. */
export const sampleVoiceWebm = (seconds = 3): string =>
  make(`voice-${seconds}s.webm`, [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
  ]);

export const sampleJpeg = (): string => make('sample.jpg', ['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1']);

/**
 * What Chromium's MediaRecorder writes when the camera stalls or the PC is loaded: a webm whose
 * video track holds two frames (0 and 0.1 s) under three seconds of sound.
 */
export function fewFramesWebm(): string {
  const video = make('two-frames.video.webm', [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=10',
    '-frames:v',
    '2',
    '-c:v',
    'libvpx',
    '-deadline',
    'realtime',
  ]);
  const audio = make('three-seconds.audio.webm', [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    '3',
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
  ]);
  return make('few-frames-3s.webm', ['-i', video, '-i', audio, '-map', '0:v', '-map', '1:a', '-c', 'copy']);
}

export const samplePng = (): string => make('sample.png', ['-f', 'lavfi', '-i', 'testsrc2=size=320x240', '-frames:v', '1']);
