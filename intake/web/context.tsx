import { createContext, useContext } from 'react';
import { ApiError, type Me, type Meta } from './api.ts';
import { type Key, type Lang, codeText, isKey, translate } from './i18n.ts';

export interface AppState {
  lang: Lang;
  me: Me;
  meta: Meta | null;
  can(permission: string): boolean;
  go(hash: string): void;
}

export const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState & { t: (key: Key, vars?: Record<string, string | number>) => string } {
  const s = useContext(AppContext);
  if (!s) throw new Error('useApp outside the app');
  return { ...s, t: (key, vars) => translate(s.lang, key, vars) };
}

/** A category code in words: the staff name in Chinese, the short English label in English. */
export function categoryLabel(meta: Meta | null, lang: Lang, code: string | null): string {
  if (!code) return '—';
  const c = meta?.categories.find((x) => x.code === code);
  return c ? (lang === 'zh' ? c.name : c.shortEn) : code;
}

export function statusLabel(meta: Meta | null, lang: Lang, status: string): string {
  const s = meta?.statuses.find((x) => x.id === status);
  return s ? s[lang] : status;
}

/**
 * An error in words from the catalogue: the server's reason (err_<reason>), else its code
 * (err_<code>); never the server's English message.
 */
export function errorText(lang: Lang, e: unknown): string {
  if (!(e instanceof ApiError)) return translate(lang, e instanceof TypeError ? 'err_network' : 'err_internal');
  const byReason = `err_${e.reason}`;
  return isKey(byReason) ? translate(lang, byReason) : codeText(lang, 'err_', e.code, 'error');
}

export function roleLabel(lang: Lang, role: string): string {
  return codeText(lang, 'role_', role, 'nothing');
}
