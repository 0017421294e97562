// Words both programs (booth and intake) use. zod only, so browser code may import it too.
import { z } from 'zod';

export const Language = z.enum(['zh-CN', 'en']);
export type Language = z.infer<typeof Language>;

export const CaptureKind = z.enum(['video', 'audio', 'photo']);
export type CaptureKind = z.infer<typeof CaptureKind>;

/**
 * What a complaint is about: a category CODE (stable, machine). The list of categories is the back
 * office's (admin-editable, intake/staff/settings.ts `categories`); booths receive it with their
 * settings (contract/booth.ts BoothSettings.categories) and show each one's short resident label.
 */
export const Category = z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a category code: lower-case letters, digits, _');
export type Category = z.infer<typeof Category>;

/** One category: code, the staff's name, and the short label a resident sees at the booth (zh, en). */
export const CategoryEntry = z.object({
  code: Category,
  name: z.string().trim().min(1).max(40),
  short: z.string().trim().min(1).max(12),
  shortEn: z.string().trim().min(1).max(30),
});
export type CategoryEntry = z.infer<typeof CategoryEntry>;

/** The starting list (a fresh install, a booth that never heard from the back office). */
export const DEFAULT_CATEGORIES: readonly CategoryEntry[] = [
  { code: 'property', name: '物业管理', short: '物业管理', shortEn: 'Property management' },
  { code: 'sanitation', name: '环境卫生', short: '环境卫生', shortEn: 'Cleanliness' },
  { code: 'noise', name: '噪音扰民', short: '噪音扰民', shortEn: 'Noise' },
  { code: 'transport', name: '交通出行', short: '出行交通', shortEn: 'Getting around' },
  { code: 'heating', name: '供暖', short: '供暖', shortEn: 'Heating' },
  { code: 'consultation', name: '政策咨询', short: '咨询', shortEn: 'Question' },
  { code: 'street_vendor', name: '无照游商', short: '无照游商', shortEn: 'Street vendors' },
  { code: 'other', name: '其他', short: '其他', shortEn: 'Other' },
];

/** The labels staff used before the one vocabulary (free text in cases.category) → their codes. */
export const LEGACY_CATEGORY_LABELS: Readonly<Record<string, string>> = {
  物业管理: 'property',
  环境保护: 'sanitation',
  环境卫生: 'sanitation',
  政策咨询: 'consultation',
  咨询: 'consultation',
  无照游商: 'street_vendor',
  供暖: 'heating',
  噪音: 'noise',
  噪音扰民: 'noise',
  交通出行: 'transport',
  出行交通: 'transport',
  其他: 'other',
};

export const CameraRole = z.enum(['face', 'document']);
export type CameraRole = z.infer<typeof CameraRole>;

/** Booth code + booth-local date + per-day sequence, e.g. FT01-20261123-0007: unique and easy to read aloud. */
export const CASE_NUMBER = /^[A-Z0-9]{2,8}-\d{8}-\d{4}$/;
export const BOOTH_CODE = /^[A-Z0-9]{2,8}$/;
/**
 * The resident's short number (issue 18): 8 digits, unique within the back office for at least a
 * year, from blocks the intake hands each booth. Digits only on the wire; shown and spoken as 4-4.
 */
export const RESIDENT_NUMBER = /^\d{8}$/;

/** '12345678' → '1234 5678' (how a receipt shows it; speech reads the two groups). */
export function groupResidentNumber(n: string): string {
  return `${n.slice(0, 4)} ${n.slice(4)}`;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** A submission's state in the booth outbox (uploader/state.ts moves it). */
export const OutboxState = z.enum(['saved', 'uploading', 'failed', 'delivered', 'purged']);
export type OutboxState = z.infer<typeof OutboxState>;
