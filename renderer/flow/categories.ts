// The categories a resident can pick: the back office's list (BoothSettings.categories, pulled with
// the booth's settings and passed in KioskConfig.backOffice), or the shipped defaults before the
// booth has heard from it. Each shows its short resident label in the kiosk's language.
import { DEFAULT_CATEGORIES, type CategoryEntry, type KioskConfig, type Language } from '../../contract/kiosk.ts';
import type { IconName } from '../icons.tsx';

const ICONS: ReadonlySet<string> = new Set(['property', 'sanitation', 'noise', 'transport', 'heating', 'consultation', 'other']);

export function boothCategories(settings: KioskConfig): readonly CategoryEntry[] {
  const list = settings.backOffice?.categories;
  return list && list.length > 0 ? list : DEFAULT_CATEGORIES;
}

export function categoryLabel(list: readonly CategoryEntry[], code: string, lang: Language): string {
  const e = list.find((c) => c.code === code);
  if (!e) return code;
  return lang === 'en' ? e.shortEn : e.short;
}

/** A category the icon set has no picture for shows the generic one. */
export function categoryIcon(code: string): IconName {
  return (ICONS.has(code) ? code : 'other') as IconName;
}
