// The back office's `prompts` settings (contract/booth.ts BoothSettings.prompts) applied to the
// resident-facing words. A key names a text of the dictionary, dotted or camelCase, with an
// optional language at the end: `start.title` or `startTitle` replaces 本机… in Chinese,
// `start.title.en` the English one. Unknown keys and keys of nested texts (kinds, errors) are
// ignored, so a typo in the staff app never breaks a screen. Spoken prompts stay audio files
// (docs/RESIDENT-FLOW.md): a text override changes what is shown, not what is said.
import type { Language } from '../../contract/kiosk.ts';
import type { Dictionary } from './zh-CN.ts';

const LANG_SUFFIX: Record<string, Language> = { zh: 'zh-CN', en: 'en' };

/** `start.title` → `startTitle`; `out.of.service.line` → `outOfServiceLine`. */
function dictionaryKey(parts: string[]): string {
  return parts.map((p, i) => (i === 0 ? p : p.charAt(0).toUpperCase() + p.slice(1))).join('');
}

export function applyPromptOverrides(dict: Dictionary, lang: Language, prompts: Readonly<Record<string, string>>): Dictionary {
  const out: Record<string, unknown> = { ...dict };
  for (const [key, text] of Object.entries(prompts)) {
    const parts = key.split('.').filter(Boolean);
    const last = parts[parts.length - 1] ?? '';
    const forLang = last in LANG_SUFFIX && parts.length > 1 ? LANG_SUFFIX[last] : 'zh-CN';
    if (forLang !== lang) continue;
    const name = dictionaryKey(last in LANG_SUFFIX && parts.length > 1 ? parts.slice(0, -1) : parts);
    const trimmed = text.trim();
    if (trimmed && typeof (dict as unknown as Record<string, unknown>)[name] === 'string') out[name] = trimmed;
  }
  return out as unknown as Dictionary;
}
