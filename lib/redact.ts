// Personal data and secrets must never reach a log or a support bundle in clear (PRODUCT.md, PIPL).
// The ONE redaction module: the logger (lib/log.ts) runs every line through it as it is written, and
// `booth logs export` (main/logsExport/bundle.ts) runs the collected logs through it again, because a
// bundle leaves the booth and may hold lines written by an older version or by another program.
// Two layers:
//  - by structure: keys that name personal fields or secrets are replaced whole, in objects and in
//    JSON text (a log line, or JSON quoted inside a message);
//  - by pattern: free text is scrubbed of anything shaped like an ID number, a phone number (in any
//    spacing), a booth credential (any case), a bearer token, an API key, a webhook secret, an e-mail.

/** Keys whose value is personal data (contract/identity.ts, the card layouts, the contact block). */
export const PERSONAL_KEYS = [
  'name',
  'chineseName',
  'englishName',
  'realName',
  'fullName',
  'idNumber',
  'idCard',
  'passNumber',
  'previousNumber',
  'phone',
  'mobile',
  'tel',
  'email',
  'address',
  'registeredAddress',
  'appendedAddress',
  'photo',
  'photoWlt',
  'wlt',
  'identity',
  'birthDate',
  'nation',
  'gender',
] as const;

/** Keys whose value is a secret (credentials, PINs, passwords, cookies, keys). */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'setCookie',
  'token',
  'intakeToken',
  'statusToken',
  'credential',
  'secret',
  'secretHash',
  'pin',
  'technicianPin',
  'pinHash',
  'password',
  'passwordHash',
  'csrf',
  'apiKey',
  'privateKey',
  'enrolmentCode',
] as const;

// A key is personal if it is one of PERSONAL_KEYS (any case); secret if it is one of SECRET_KEYS or
// ends like one (bootToken, x-api-key, webhookSecret, set-cookie…).
const personalSet = new Set<string>(PERSONAL_KEYS.map((k) => k.toLowerCase()));
const SECRET_KEY =
  /(?:authorization|cookie|token|credential|secret|secrethash|pin|pinhash|password|passwordhash|passwd|csrf|apikey|privatekey|enrolmentcode)$/i;

export function isRedactedKey(key: string): boolean {
  const k = key.replace(/[-_]/g, '');
  return personalSet.has(k.toLowerCase()) || SECRET_KEY.test(k);
}

// ---- patterns -------------------------------------------------------------------------------------
// Separators people write inside numbers: spaces (also no-break and ideographic), tabs, dashes.
const SEP = '[ \\t\\u00a0\\u3000\\-\\u2010-\\u2015]?';
/** 18-character citizen numbers (also residence permits, the 2023 foreign card), as 6-8-4 groups or in one run. */
const ID_NUMBER = new RegExp(`(?<![0-9A-Za-z])\\d{6}${SEP}\\d{8}${SEP}\\d{3}[0-9Xx](?![0-9A-Za-z])`, 'g');
/** The 2017 foreign permanent resident card: 3 letters and 12 digits. */
const FOREIGN_ID = /(?<![A-Za-z0-9])[A-Z]{3}\d{12}(?![0-9])/g;
/** Mobiles, optionally with +86 / 0086, with any single separators between the digits: 138 1234 5678, 138-1234-5678. */
const MOBILE = new RegExp(`(?<![0-9A-Za-z])(?:(?:\\+|00)?86${SEP})?1${SEP}[3-9](?:${SEP}\\d){9}(?![0-9A-Za-z])`, 'g');
/** Landlines with an area code: 010-62345678, (010) 6234 5678, （010）62345678, 0755 8888 1234. */
const LANDLINE = new RegExp(`(?<![0-9A-Za-z])(?:[(\\uff08]0\\d{2,3}[)\\uff09]|0\\d{2,3})${SEP}\\d{3,4}${SEP}\\d{4}(?![0-9A-Za-z])`, 'g');
/** Booth credentials sb1.<booth code>.<secret>, in any case. */
const BOOTH_CREDENTIAL = /\bsb1\.[A-Za-z0-9-]+\.[A-Za-z0-9_-]+/gi;
/** Partner API keys (sbk_…) and webhook secrets (whsec_…). */
const API_SECRET = /\b(?:sbk|whsec)_[A-Za-z0-9_-]{8,}/gi;
/** JSON web tokens. */
const JWT = /\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
/** `Bearer <anything>`, `Basic <anything>` (an Authorization value outside a key). */
const AUTH_SCHEME = /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

// Key and value in text: "name":"张三", \"phone\":\"138…\" (JSON quoted in a message), name=张三, pin: 4711.
const KEY_ALTERNATIVES = [...PERSONAL_KEYS, ...SECRET_KEYS, 'set-cookie', 'x-api-key', 'api_key', 'access_token', 'refresh_token', 'passwd']
  .sort((a, b) => b.length - a.length)
  .join('|');
const KEY_VALUE = new RegExp(
  // 1: opening quote of the key (", \" or none); 2: the key; 3: the separator
  `(\\\\?["']?)\\b(${KEY_ALTERNATIVES})\\1(\\s*[:=]\\s*)` +
    // the value: an escaped-quoted string, a quoted string, Bearer/Basic + token, or a bare word
    `(\\\\"(?:(?!\\\\").)*\\\\"|"(?:[^"\\\\]|\\\\.)*"|'[^']*'|(?:bearer|basic)\\s+\\S+|[^\\s,;&}\\])"']+)`,
  'gi',
);

function censorKeyValue(_m: string, q: string, key: string, sep: string, value: string): string {
  const quote = value.startsWith('\\"') ? '\\"' : value.startsWith('"') ? '"' : value.startsWith("'") ? "'" : '';
  return `${q}${key}${q}${sep}${quote}[redacted]${quote}`;
}

/** Scrubs free text: key=value pairs first, then secrets, then the digit shapes (so a token's digits stay whole). */
export function scrubText(text: string): string {
  return text
    .replace(KEY_VALUE, censorKeyValue)
    .replace(BOOTH_CREDENTIAL, '[credential]')
    .replace(API_SECRET, '[secret]')
    .replace(JWT, '[token]')
    .replace(AUTH_SCHEME, '$1 [redacted]')
    .replace(EMAIL, '[email]')
    .replace(ID_NUMBER, '[id]')
    .replace(FOREIGN_ID, '[id]')
    .replace(MOBILE, '[phone]')
    .replace(LANDLINE, '[phone]');
}

/** Deep copy of a value with personal and secret fields replaced and strings scrubbed. Cycles are cut. */
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
  for (const [k, v] of Object.entries(value)) out[k] = isRedactedKey(k) && v !== null && v !== undefined ? '[redacted]' : redact(v, seen);
  return out;
}

/**
 * One line of log text as found on disk or in the journal: a JSON object (a pino line, possibly after
 * a journal or syslog prefix) is redacted by structure, then everything is scrubbed by pattern.
 */
export function redactLine(line: string): string {
  const start = line.indexOf('{');
  if (start >= 0 && line.trimEnd().endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(line.slice(start));
      return scrubText(line.slice(0, start)) + JSON.stringify(redact(parsed));
    } catch {
      // not JSON after all: the patterns (key=value included) still apply
    }
  }
  return scrubText(line);
}

/** Log text of any size, line by line. */
export function redactLogText(text: string): string {
  return text.split('\n').map(redactLine).join('\n');
}
