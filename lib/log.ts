// One logger factory for every Node module: per-module child loggers, redacted (STYLE.md habit 11).
import { closeSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { PERSONAL_KEYS, redact, scrubText } from './redact.ts';

export type Logger = pino.Logger;

const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');

// Logs go to stderr by default: stdout belongs to data. The sink is switchable (sendLogsTo) because
// a command whose stderr is a contract (`booth idcard read --json`: one line on failure) must be
// able to silence or redirect every module's logger, and pino children are created at import time.
const stderrSink = pino.destination({ fd: 2, sync: true });
let sink: { write(line: string): unknown } = stderrSink;
let fileSink: (pino.DestinationStream & { end?: () => void }) | null = null;
let copy: RotatingFile | null = null;

const root = pino(
  {
    level,
    base: undefined,
    // Errors are already turned into { type, message, code, stack } by redact() in the hook below;
    // pino's own err serializer would see a plain object and call its type "Object".
    serializers: { err: (e: unknown) => e },
    redact: { paths: PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
    hooks: {
      // Scrub the message text and any object arguments: error messages can carry user input.
      logMethod(args, method) {
        const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : redact(a)));
        return method.apply(this, cleaned as Parameters<typeof method>);
      },
    },
  },
  {
    write: (line: string) => {
      copy?.write(line);
      return sink.write(line);
    },
  },
);

export function createLogger(module: string): Logger {
  return root.child({ module });
}

export type LogTarget = 'stderr' | 'off' | { file: string };

/**
 * Sends every logger's output to stderr (the default), nowhere, or appends it to a file.
 * Returns a function that puts the previous target back.
 */
export function sendLogsTo(target: LogTarget): () => void {
  const previous = { sink, fileSink };
  if (target === 'stderr') sink = stderrSink;
  else if (target === 'off') sink = { write: () => true };
  else {
    const f = pino.destination({ dest: target.file, sync: true, append: true, mkdir: true });
    fileSink = f;
    sink = f;
  }
  return () => {
    if (fileSink && fileSink !== previous.fileSink) fileSink.end?.();
    sink = previous.sink;
    fileSink = previous.fileSink;
  };
}

/** An append-only file that is moved to `<file>.1` (replacing the previous one) when it passes maxBytes. */
class RotatingFile {
  private fd: number;
  private size: number;
  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
  ) {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    this.fd = openSync(file, 'a', 0o600);
    this.size = statSync(file).size;
  }
  write(line: string): void {
    try {
      if (this.size + line.length > this.maxBytes && this.size > 0) {
        closeSync(this.fd);
        renameSync(this.file, `${this.file}.1`);
        this.fd = openSync(this.file, 'a', 0o600);
        this.size = 0;
      }
      this.size += writeSync(this.fd, line);
    } catch {
      // a full or read-only disk must not stop the booth: the journal (stderr) still has the line
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Keeps a copy of every log line (already redacted) in `<dir>/booth.log`, at most about 2 × maxBytes
 * on disk, besides the normal target: the booth's logs outlive a journal that is volatile or absent
 * (npm start, a shell), and `booth logs export` finds them there. Returns a function that stops it.
 */
export function keepLogCopyIn(dir: string, maxBytes = 5 * 1024 * 1024): () => void {
  copy?.close();
  const mine = new RotatingFile(path.join(dir, LOG_FILE_NAME), maxBytes);
  copy = mine;
  return () => {
    if (copy === mine) copy = null;
    mine.close();
  };
}

/** The file keepLogCopyIn writes in its folder (and `<name>.1`, the previous one). */
export const LOG_FILE_NAME = 'booth.log';
