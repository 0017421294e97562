// Booth configuration: one zod schema, one JSON file in the data directory (data/booth.json).
// Missing file → defaults for a development booth on simulated hardware. Bad file → a clear error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BOOTH_CODE, Language } from '../lib/vocab.ts';
import { DEFAULT_TIME_ZONE } from '../lib/time.ts';
import { PrinterSetting } from '../contract/kiosk.ts';

export const BoothConfig = z.object({
  boothCode: z.string().regex(BOOTH_CODE).default('SIM01'),
  timeZone: z.string().default(DEFAULT_TIME_ZONE),
  language: Language.default('zh-CN'),
  idleTimeoutSec: z.number().int().min(21).max(600).default(90),
  /** At least 20 s to answer 您还在吗？ (WCAG 2.2.1); the back office's setting wins once it has one. */
  idleWarningSec: z.number().int().min(20).max(60).default(20),
  /** The resident flow's per-village settings (docs/RESIDENT-FLOW.md). */
  resident: z
    .object({
      promptVolume: z.number().min(0).max(1).default(1),
      /** The attract cue (renderer/flow/motion.ts): say the welcome when the face camera sees someone step in. */
      welcomeOnMotion: z.boolean().default(false),
      callbackDays: z.number().int().positive().default(7),
      /** A village's own recordings: <dir>/<language>/<prompt id>.ogg; null = <dataDir>/prompts. */
      promptsDir: z.string().nullable().default(null),
    })
    .prefault({}),
  /** Receipt printer (ESC/POS); null = none. */
  printer: PrinterSetting.nullable().default(null),
  /** Below this much free disk the booth takes no new recordings and raises a technician alert. */
  minFreeBytes: z
    .number()
    .int()
    .nonnegative()
    .default(512 * 1024 * 1024),
  limits: z
    .object({
      videoSec: z.number().int().positive().default(180),
      audioSec: z.number().int().positive().default(300),
      photos: z.number().int().positive().max(20).default(9),
      itemBytes: z
        .number()
        .int()
        .positive()
        .default(200 * 1024 * 1024),
      itemsPerSubmission: z.number().int().positive().max(20).default(12),
    })
    .prefault({}),
  /** Where the outbox delivers. null = the intake embedded in this process (npm start). */
  intakeUrl: z.url().nullable().default(null),
  /** The booth credential issued at enrolment (sb1.<boothCode>.<secret>); else keys/intake.token. */
  intakeToken: z.string().max(200).nullable().default(null),
  /** PEM CA bundle for a self-hosted intake over TLS (path). null = the system's roots. */
  intakeCaFile: z.string().nullable().default(null),
  upload: z
    .object({
      /** First job-level retry delay after the in-request retries (docs/DELIVERY.md). */
      retryBaseMs: z.number().int().positive().default(60_000),
      retryFactor: z.number().min(1).default(5),
      retryCapMs: z.number().int().positive().default(3_600_000),
      inRequestDelaysMs: z.array(z.number().int().nonnegative()).max(10).default([0, 1_000, 3_000, 5_000]),
      /** A request with no socket activity for this long is aborted and retried. */
      idleTimeoutMs: z.number().int().positive().default(60_000),
      concurrency: z.number().int().min(1).max(2).default(1),
      pollMs: z.number().int().positive().default(30_000),
      throttle: z
        .object({
          bytesPerSecond: z.number().int().positive().nullable().default(null),
          windows: z
            .array(
              z.object({
                from: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
                to: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
                bytesPerSecond: z.number().int().nonnegative().nullable(),
              }),
            )
            .max(24)
            .default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  /** The ID-card reader (docs/IDCARD.md). */
  idcard: z
    .object({
      /** Serial path (/dev/ttyUSB0) or hid:VVVV:PPPP; wins over auto-detection. */
      port: z.string().nullable().default(null),
      /** auto: the simulator stands in when no reader is found · always · never (production booths). */
      simulate: z.enum(['auto', 'always', 'never']).default('auto'),
      /** The find poll: the wait between a card laid down and its read is 0–this (250: p90 card → data ≤ 400 ms at 115200 baud; a find is ~2 ms on the line). */
      pollIntervalMs: z.number().int().min(200).max(1000).default(250),
      readAppendedAddress: z.boolean().default(true),
      /** Simulator only: the test card lying on the reader at start (e.g. "resident"). */
      testCard: z.string().nullable().default(null),
      /** A licensed WLT photo decoder module (docs/IDCARD.md); null = placeholder photo. */
      wltDecoderModule: z.string().nullable().default(null),
    })
    .prefault({}),
  retention: z
    .object({
      /** Technician alert when the data disk is fuller than this fraction. */
      diskAlertFraction: z.number().min(0.1).max(1).default(0.9),
    })
    .prefault({}),
  heartbeatSec: z.number().int().min(10).max(3600).default(180),
  /** Port of the booth core on 127.0.0.1; 0 = any free port. */
  port: z.number().int().min(0).max(65535).default(4100),
});
export type BoothConfig = z.infer<typeof BoothConfig>;

export class ConfigError extends Error {}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Personal data travels to the intake: plain http is allowed only to this machine. */
export function checkIntakeTransport(intakeUrl: string): string | null {
  const u = new URL(intakeUrl);
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname)) return null;
  return `intakeUrl ${u.origin} is not on this machine: it must be https:// (set intakeCaFile for a self-hosted CA)`;
}

export function loadConfig(dataDir: string, overrides: Partial<z.input<typeof BoothConfig>> = {}): BoothConfig {
  const file = path.join(dataDir, 'booth.json');
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw new ConfigError(`cannot read ${file}: ${(e as Error).message}`);
  }
  const parsed = BoothConfig.safeParse({ ...(raw as object), ...overrides });
  if (!parsed.success) throw new ConfigError(`${file} is not valid:\n${z.prettifyError(parsed.error)}`);
  const transport = parsed.data.intakeUrl ? checkIntakeTransport(parsed.data.intakeUrl) : null;
  if (transport) throw new ConfigError(`${file}: ${transport}`);
  return parsed.data;
}
