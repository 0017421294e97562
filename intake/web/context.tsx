import { createContext, useContext } from 'react';
import type { Me, Meta } from './api.ts';
import { type Key, type Lang, translate } from './i18n.ts';

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
