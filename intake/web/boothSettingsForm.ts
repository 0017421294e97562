// The booth settings form (pages/BoothSettings.tsx) as pure functions: settings → what the inputs
// show, and what the admin typed → either the settings to PUT or the errors to show next to each
// field. The rules are the intake's own schema (BoothSettingsEdit in contract/booth.ts), so the
// page can never accept what the server or a booth would refuse; lists are typed one per line, and
// an error in a list names its line.
import { BoothSettings, BoothSettingsEdit } from '../../contract/booth.ts';

export interface SettingsForm {
  idleTimeoutSec: string;
  idleWarningSec: string;
  videoSec: string;
  audioSec: string;
  photos: string;
  /** One place per line. */
  quickPickPlaces: string;
  receiptText: string;
  /** One window per line, "22:00-06:00". */
  uploadWindows: string;
  /** One override per line, "start.title = 有事您说话". */
  prompts: string;
  quietStart: string;
  quietEnd: string;
  updatesEnabled: boolean;
  nightlyRestart: boolean;
  /** Days a booth keeps sealed recordings after the intake confirmed them (0 = delete at once). */
  mediaRetentionDays: string;
}

export const FIELDS = [
  'idleTimeoutSec',
  'idleWarningSec',
  'videoSec',
  'audioSec',
  'photos',
  'quickPickPlaces',
  'receiptText',
  'uploadWindows',
  'prompts',
  'quietHours',
  'mediaRetentionDays',
] as const;
export type Field = (typeof FIELDS)[number];

/** rule: the field's rule is broken (on `line` of a list, 1-based) · count: too many entries · duplicate: a prompt key twice. */
export interface FieldError {
  field: Field;
  line: number | null;
  kind: 'rule' | 'count' | 'duplicate';
}

/** Quiet seconds before the idle warning may start (the warning fits inside the timeout). */
export const WARNING_LEAD_SEC = 10;

export type FormResult = { ok: true; value: BoothSettingsEdit } | { ok: false; errors: FieldError[] };

/** The largest length a schema allows (its max_length check), for the words next to a field. */
function maxLength(schema: { _zod: { def: { checks?: readonly { _zod: { def: { check: string; maximum?: unknown } } }[] } } }): number {
  const c = schema._zod.def.checks?.find((x) => x._zod.def.check === 'max_length');
  return typeof c?._zod.def.maximum === 'number' ? c._zod.def.maximum : Infinity;
}

/** The schema's bounds, for the words next to each field (read from it, never typed twice). */
export const BOUNDS = (() => {
  const sh = BoothSettings.shape;
  const lim = sh.limits.shape;
  const range = (n: { minValue: number | null; maxValue: number | null }) => ({ min: n.minValue ?? 0, max: n.maxValue ?? Infinity });
  return {
    idleTimeoutSec: range(sh.idleTimeoutSec),
    idleWarningSec: range(sh.idleWarningSec.unwrap()),
    videoSec: range(lim.videoSec),
    audioSec: range(lim.audioSec),
    photos: range(lim.photos),
    mediaRetentionDays: range(sh.mediaRetentionDays.unwrap()),
    places: maxLength(sh.quickPickPlaces),
    placeChars: maxLength(sh.quickPickPlaces.element),
    receiptChars: maxLength(sh.receiptText),
    windows: maxLength(sh.uploadWindows),
    promptChars: maxLength(sh.prompts.valueType),
  };
})();

export function toForm(s: BoothSettings): SettingsForm {
  return {
    idleTimeoutSec: String(s.idleTimeoutSec),
    idleWarningSec: String(s.idleWarningSec),
    videoSec: String(s.limits.videoSec),
    audioSec: String(s.limits.audioSec),
    photos: String(s.limits.photos),
    quickPickPlaces: s.quickPickPlaces.join('\n'),
    receiptText: s.receiptText,
    uploadWindows: s.uploadWindows.map((w) => `${w.start}-${w.end}`).join('\n'),
    prompts: Object.entries(s.prompts)
      .map(([k, v]) => `${k} = ${v}`)
      .join('\n'),
    quietStart: s.quietHours.start,
    quietEnd: s.quietHours.end,
    updatesEnabled: s.updatesEnabled,
    nightlyRestart: s.nightlyRestart,
    mediaRetentionDays: String(s.mediaRetentionDays),
  };
}

/** Non-blank lines with their 1-based line numbers. */
function lines(text: string): { text: string; line: number }[] {
  return text
    .split(/\r?\n/)
    .map((t, i) => ({ text: t.trim(), line: i + 1 }))
    .filter((l) => l.text !== '');
}

const WHOLE = /^\d{1,6}$/;
const WINDOW = /^(\d{1,2}:\d{2})\s*[-–—~～至到]\s*(\d{1,2}:\d{2})$/;
const pad = (hhmm: string) => (hhmm.length === 4 ? `0${hhmm}` : hhmm);

export function fromForm(f: SettingsForm): FormResult {
  const errors: FieldError[] = [];
  const number = (field: Field, text: string): number => {
    if (WHOLE.test(text.trim())) return Number(text.trim());
    errors.push({ field, line: null, kind: 'rule' });
    return NaN;
  };

  const places = lines(f.quickPickPlaces);
  const windows = lines(f.uploadWindows).map((l) => {
    const m = WINDOW.exec(l.text);
    if (!m) errors.push({ field: 'uploadWindows', line: l.line, kind: 'rule' });
    return { line: l.line, value: { start: pad(m?.[1] ?? ''), end: pad(m?.[2] ?? '') } };
  });
  const promptLines = new Map<string, number>();
  const prompts: Record<string, string> = {};
  for (const l of lines(f.prompts)) {
    const eq = l.text.indexOf('=');
    const key = eq > 0 ? l.text.slice(0, eq).trim() : '';
    if (!key) {
      errors.push({ field: 'prompts', line: l.line, kind: 'rule' });
      continue;
    }
    if (promptLines.has(key)) {
      errors.push({ field: 'prompts', line: l.line, kind: 'duplicate' });
      continue;
    }
    promptLines.set(key, l.line);
    prompts[key] = l.text.slice(eq + 1).trim();
  }

  const value: BoothSettingsEdit = {
    idleTimeoutSec: number('idleTimeoutSec', f.idleTimeoutSec),
    idleWarningSec: number('idleWarningSec', f.idleWarningSec),
    limits: { videoSec: number('videoSec', f.videoSec), audioSec: number('audioSec', f.audioSec), photos: number('photos', f.photos) },
    quickPickPlaces: places.map((p) => p.text),
    receiptText: f.receiptText.trim(),
    uploadWindows: windows.map((w) => w.value),
    prompts,
    quietHours: { start: f.quietStart, end: f.quietEnd },
    updatesEnabled: f.updatesEnabled,
    nightlyRestart: f.nightlyRestart,
    mediaRetentionDays: number('mediaRetentionDays', f.mediaRetentionDays),
  };

  // The warning comes inside the timeout, after at least WARNING_LEAD_SEC of quiet.
  const timeoutOk = BoothSettings.shape.idleTimeoutSec.safeParse(value.idleTimeoutSec).success;
  if (timeoutOk && value.idleWarningSec + WARNING_LEAD_SEC > value.idleTimeoutSec)
    errors.push({ field: 'idleWarningSec', line: null, kind: 'rule' });
  const parsed = BoothSettingsEdit.safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, second] = issue.path;
      let e: FieldError;
      if (top === 'limits') e = { field: second as Field, line: null, kind: 'rule' };
      else if (top === 'quickPickPlaces')
        e =
          typeof second === 'number'
            ? { field: top, line: places[second]?.line ?? null, kind: 'rule' }
            : { field: top, line: null, kind: 'count' };
      else if (top === 'uploadWindows')
        e =
          typeof second === 'number'
            ? { field: top, line: windows[second]?.line ?? null, kind: 'rule' }
            : { field: top, line: null, kind: 'count' };
      // A bad key is reported at the key (issue path [prompts, key]); a bad text too.
      else if (top === 'prompts')
        e = { field: top, line: typeof second === 'string' ? (promptLines.get(second) ?? null) : null, kind: 'rule' };
      else if (top === 'quietHours') e = { field: top, line: null, kind: 'rule' };
      else e = { field: top as Field, line: null, kind: 'rule' };
      errors.push(e);
    }
  }
  if (errors.length === 0 && parsed.success) return { ok: true, value: parsed.data };
  // One message per field and line: a number that did not parse is also NaN to the schema.
  const seen = new Set<string>();
  return {
    ok: false,
    errors: errors
      .filter((e) => {
        const k = `${e.field}:${e.line}:${e.kind}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .sort((a, b) => FIELDS.indexOf(a.field) - FIELDS.indexOf(b.field) || (a.line ?? 0) - (b.line ?? 0)),
  };
}
