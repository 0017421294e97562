import type { Language } from '../../contract/kiosk.ts';
import { en } from './en.ts';
import { zhCN, type Dictionary } from './zh-CN.ts';

export const dictionaries: Record<Language, Dictionary> = { 'zh-CN': zhCN, en };
export type { Dictionary };

export function errorText(t: Dictionary, code: string): string {
  return (t.errors as Record<string, string>)[code] ?? t.errors.other;
}
