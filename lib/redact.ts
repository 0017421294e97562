// Personal data must never reach a log in clear (PRODUCT.md, PIPL). Two layers:
// keys that name personal fields are replaced whole, and free text is scrubbed of anything
// shaped like an ID number or a phone number, in case one slipped into an error message.

export const PERSONAL_KEYS = [
  'name', 'chineseName', 'englishName', 'idNumber', 'passNumber', 'phone', 'address', 'photo', 'wlt', 'identity', 'birthDate',
] as const;

const ID_NUMBER = /\b\d{17}[\dXx]\b/g;
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

/** Replaces ID-number-, mobile- and landline-shaped runs of digits in free text. */
export function scrubText(text: string): string {
  return text.replace(ID_NUMBER, '[id]').replace(MOBILE, '[phone]').replace(LANDLINE, '[phone]');
}

const personal = new Set<string>(PERSONAL_KEYS);

/** Deep copy of a value with personal fields replaced and strings scrubbed. Cycles are cut. */
export function redact(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return scrubText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[cycle]';
  seen.add(value);
  // An Error keeps its type, code and stack (a technician needs them); only the values in its
  // message and stack are scrubbed. `type`, not `name`: `name` is a personal key and pino's
  // redaction would wipe it (that is how every Error used to log as "[redacted]" without a stack).
  if (value instanceof Error) {
    const err = value as Error & { code?: unknown; cause?: unknown };
    return {
      type: err.name,
      message: scrubText(err.message),
      ...(typeof err.code === 'string' || typeof err.code === 'number' ? { code: err.code } : {}),
      stack: scrubText(err.stack ?? ''),
      ...(err.cause !== undefined ? { cause: redact(err.cause, seen) } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, seen));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = personal.has(k) ? '[redacted]' : redact(v, seen);
  return out;
}
