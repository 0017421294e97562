// What several bench modules need and the tests do not decide for them: recordings made with ffmpeg
// (cached under .cache/bench-media, not committed) and a booth core in its own process (the one
// launcher), called as the kiosk calls it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';

const MEDIA_DIR = path.resolve('.cache/bench-media');

export function cachedMedia(name: string, args: string[]): string {
  mkdirSync(MEDIA_DIR, { recursive: true });
  const out = path.join(MEDIA_DIR, name);
  if (!existsSync(out)) {
    const tmp = `${out}.${process.pid}.partial${path.extname(out)}`;
    execFileSync('ffmpeg', ['-v', 'error', '-y', ...args, tmp]);
    renameSync(tmp, out);
  }
  return out;
}

/**
 * A recording like Chromium's MediaRecorder makes at the booth: WebM, VP8 1280×720 30 fps ~2 Mbit/s,
 * Opus 48 kHz, `seconds` long. (MediaRecorder leaves the duration out; ffmpeg writes it. The core
 * remuxes either way.)
 */
export function recording720p(seconds: number): string {
  return cachedMedia(`rec-720p-${seconds}s.webm`, [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30',
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
    '2M',
    '-c:a',
    'libopus',
    '-b:a',
    '64k',
  ]);
}

/** The same picture as H.264/AAC in MP4 (what a Chromium with proprietary codecs can record). */
export function recording720pMp4(seconds: number): string {
  return cachedMedia(`rec-720p-${seconds}s.mp4`, [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=1280x720:rate=30',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=48000',
    '-t',
    String(seconds),
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-b:v',
    '2M',
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
  ]);
}

export function smallWebm(seconds = 2): string {
  return cachedMedia(`small-${seconds}s.webm`, [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=15',
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
}

export function photoJpeg(): string {
  return cachedMedia('photo-640x480.jpg', ['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1']);
}

export async function json<T = Record<string, unknown>>(r: Response): Promise<T> {
  if (!r.ok) throw new Error(`${r.url}: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { value: T }).value;
}

/** Lines of a child's stdout, one promise per awaited line. */
export function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  return () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r)));
}

export interface CoreProcess {
  child: ChildProcess;
  /** Sends one command line to the child (coreChild.ts: gc, snapshot FILE) and returns its answer line. */
  ask(command: string): Promise<string>;
  /** The kiosk page the core serves (what the booth's Chromium opens). */
  kioskUrl: string;
  call(pathname: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The booth core alone in its own process (bench/coreChild.ts), as on a booth where the kiosk is
 * another process: the bench's own client work (copying a request body, parsing answers) does not
 * run on the core's event loop. The intake address refuses connections (an offline village).
 */
export async function startCoreProcess(dataDir: string, env: Record<string, string> = {}): Promise<CoreProcess> {
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', 'bench/coreChild.ts', dataDir, 'http://127.0.0.1:1', 'bench-token'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, LOG_LEVEL: 'error', ...env },
    },
  );
  const nextLine = lineReader(child);
  const close = async () => {
    child.stdin!.end();
    child.kill('SIGTERM');
    if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
  };
  const ready = /^READY (\S+) (\S+) (\S+)$/.exec(await nextLine());
  if (!ready) {
    await close();
    throw new Error('the core child did not start');
  }
  const [, url, token, kioskUrl] = ready as unknown as [string, string, string, string];
  return {
    child,
    async ask(command) {
      child.stdin!.write(`${command}\n`);
      return nextLine();
    },
    kioskUrl,
    call(pathname, init = {}) {
      const headers = new Headers(init.headers);
      headers.set('x-booth-token', token);
      return fetch(url + pathname, { ...init, headers });
    },
    close,
  };
}
