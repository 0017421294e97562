// One logger factory for every Node module: per-module child loggers, redacted (STYLE.md habit 11).
import pino from 'pino';
import { PERSONAL_KEYS, redact, scrubText } from './redact.ts';

export type Logger = pino.Logger;

const level = process.env.LOG_LEVEL ?? (process.env.VITEST ? 'silent' : 'info');

const root = pino({
  level,
  base: undefined,
  redact: { paths: PERSONAL_KEYS.flatMap((k) => [k, `*.${k}`]), censor: '[redacted]' },
  hooks: {
    // Scrub the message text and any object arguments: error messages can carry user input.
    logMethod(args, method) {
      const cleaned = args.map((a) => (typeof a === 'string' ? scrubText(a) : redact(a)));
      return method.apply(this, cleaned as Parameters<typeof method>);
    },
  },
  // Logs go to stderr: stdout belongs to data (e.g. `booth idcard read --json` prints exactly one object).
}, pino.destination({ fd: 2, sync: true }));

export function createLogger(module: string): Logger {
  return root.child({ module });
}
