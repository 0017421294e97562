// Booth configuration: one zod schema, one JSON file in the data directory (data/booth.json).
// Missing file → defaults for a development booth on simulated hardware. Bad file → a clear error.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BOOTH_CODE, Language } from '../lib/vocab.ts';
import { DEFAULT_TIME_ZONE } from '../lib/time.ts';

export const BoothConfig = z.object({
  boothCode: z.string().regex(BOOTH_CODE).default('SIM01'),
  timeZone: z.string().default(DEFAULT_TIME_ZONE),
  language: Language.default('zh-CN'),
  idleTimeoutSec: z.number().int().min(10).max(600).default(90),
  limits: z
    .object({
      videoSec: z.number().int().positive().default(180),
      audioSec: z.number().int().positive().default(300),
      photos: z.number().int().positive().max(20).default(9),
      itemBytes: z.number().int().positive().default(200 * 1024 * 1024),
      itemsPerSubmission: z.number().int().positive().max(20).default(12),
    })
    .prefault({}),
  /** Where the outbox delivers. null = the intake embedded in this process (npm start). */
  intakeUrl: z.url().nullable().default(null),
  upload: z
    .object({
      retryBaseMs: z.number().int().positive().default(60_000),
      pollMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  /** The ID-card reader (docs/IDCARD.md). */
  idcard: z
    .object({
      /** Serial path (/dev/ttyUSB0) or hid:VVVV:PPPP; wins over auto-detection. */
      port: z.string().nullable().default(null),
      /** auto: the simulator stands in when no reader is found · always · never (production booths). */
      simulate: z.enum(['auto', 'always', 'never']).default('auto'),
      pollIntervalMs: z.number().int().min(300).max(1000).default(500),
      readAppendedAddress: z.boolean().default(true),
      /** Simulator only: the test card lying on the reader at start (e.g. "resident"). */
      testCard: z.string().nullable().default(null),
      /** A licensed WLT photo decoder module (docs/IDCARD.md); null = placeholder photo. */
      wltDecoderModule: z.string().nullable().default(null),
    })
    .prefault({}),
  /** Port of the booth core on 127.0.0.1; 0 = any free port. */
  port: z.number().int().min(0).max(65535).default(4100),
});
export type BoothConfig = z.infer<typeof BoothConfig>;

export class ConfigError extends Error {}

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
  return parsed.data;
}
