// One logger factory for every Node module: per-module child loggers, redacted (STYLE.md habit 11).
import pino from 'pino';
import { PERSONAL_KEYS, redact, scrubText } from './redact.ts';

export type Logger = pino.Logger;

const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');

// Logs go to stderr by default: stdout belongs to data. The sink is switchable (sendLogsTo) because
// a command whose stderr is a contract (`booth idcard read --json`: one line on failure) must be
// able to silence or redirect every module's logger, and pino children are created at import time.
const stderrSink = pino.destination({ fd: 2, sync: true });
let sink: { write(line: string): unknown } = stderrSink;
let fileSink: pino.DestinationStream & { end?: () => void } | null = null;

const root = pino({
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
}, { write: (line: string) => sink.write(line) });

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
