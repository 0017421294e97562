// What the outside world is told, in Open311 words (docs/OPEN311.md): the service list (the
// category vocabulary with codes and zh-CN / en names), this product's statuses mapped to the
// spec's two (open / closed), and which township (jurisdiction) a case belongs to. Pure: no I/O.
import { z } from 'zod';
import { STATUS_LABELS, type CaseStatus } from '../casework/status.ts';

export interface Service {
  code: string;
  zh: string;
  en: string;
  group: string;
  descriptionZh: string;
  descriptionEn: string;
  /** Other words a case's category may hold for this service (staff list labels, kiosk labels). */
  aliases: string[];
}

// The booth's codes (lib/vocab.ts Category) are the service codes; the staff list's labels
// (settings.categories) and the kiosk's labels are aliases, so a case categorised either way maps
// to one code. Issue 15 makes the back office's list the single vocabulary; until then this table is
// the one place both meet.
export const SERVICES: readonly Service[] = [
  { code: 'property', zh: '物业管理', en: 'Property management', group: 'housing', descriptionZh: '小区物业、维修、公共设施', descriptionEn: 'Estate management, repairs, shared facilities', aliases: ['物业管理'] },
  { code: 'sanitation', zh: '环境卫生', en: 'Cleanliness', group: 'environment', descriptionZh: '垃圾、污水、环境保护', descriptionEn: 'Rubbish, sewage, the environment', aliases: ['环境卫生', '环境保护'] },
  { code: 'noise', zh: '噪音扰民', en: 'Noise', group: 'environment', descriptionZh: '施工、商铺、邻里噪音', descriptionEn: 'Building work, shops, neighbours', aliases: ['噪音扰民', '噪音'] },
  { code: 'transport', zh: '出行交通', en: 'Getting around', group: 'street', descriptionZh: '道路、停车、公交', descriptionEn: 'Roads, parking, buses', aliases: ['出行交通', '交通出行'] },
  { code: 'heating', zh: '供暖', en: 'Heating', group: 'housing', descriptionZh: '冬季供暖', descriptionEn: 'Winter heating', aliases: ['供暖'] },
  { code: 'consultation', zh: '咨询', en: 'Question', group: 'general', descriptionZh: '政策咨询', descriptionEn: 'Questions about policies', aliases: ['咨询', '政策咨询'] },
  { code: 'street_vending', zh: '无照游商', en: 'Unlicensed street vending', group: 'street', descriptionZh: '占道经营、无照摊贩', descriptionEn: 'Unlicensed stalls on the street', aliases: ['无照游商'] },
  { code: 'other', zh: '其他', en: 'Other', group: 'general', descriptionZh: '其他问题', descriptionEn: 'Anything else', aliases: ['其他'] },
];

const BY_CODE = new Map(SERVICES.map((s) => [s.code, s]));
const BY_ALIAS = new Map(SERVICES.flatMap((s) => s.aliases.map((a) => [a, s] as const)));

export function serviceByCode(code: string): Service | undefined {
  return BY_CODE.get(code);
}

/** The service of a case's category (a code or a label); unknown or empty → null. */
export function serviceOfCategory(category: string | null): Service | null {
  if (!category) return null;
  return BY_CODE.get(category) ?? BY_ALIAS.get(category.trim()) ?? null;
}

/** Every category value that means this service (for filtering cases by service_code). */
export function categoriesOf(code: string): string[] {
  const s = BY_CODE.get(code);
  return s ? [s.code, ...s.aliases] : [];
}

// Open311 knows open and closed only. A case is closed once the unit has answered (the demand is
// dealt with; the callback is the hotline's check), or when it was closed as invalid or duplicate.
// A reopened case is open again. The detail travels in extended_attributes.status_detail.
const CLOSED: readonly CaseStatus[] = ['answered', 'called_back', 'closed', 'invalid', 'duplicate'];

export function open311Status(status: string): 'open' | 'closed' {
  return (CLOSED as readonly string[]).includes(status) ? 'closed' : 'open';
}

export function statusesFor(open311: 'open' | 'closed', all: readonly string[]): string[] {
  return all.filter((s) => open311Status(s) === open311);
}

export function statusLabel(status: string): { zh: string; en: string } {
  return STATUS_LABELS[status as CaseStatus] ?? { zh: status, en: status };
}

/** A township served by this intake: its Open311 jurisdiction_id and the villages (责任属地) it holds. */
export const Jurisdiction = z.object({
  id: z.string().trim().min(1).max(100).regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().max(80).default(''),
  villages: z.array(z.string().trim().min(1).max(40)).max(500).default([]),
});
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** The partner settings an admin edits on the 系统对接 page (stored under the settings key `partners`). */
export const PartnerSettings = z.object({
  jurisdictions: z.array(Jurisdiction).max(50).default([]),
  contact: z.string().max(200).default(''),
  keyService: z.string().max(200).default(''),
});
export type PartnerSettings = z.infer<typeof PartnerSettings>;

/**
 * The township a case belongs to: the one whose villages include the case's 责任属地, else the one
 * holding the booth's village; with a single township configured, every case is its. A case a
 * partner filed names its township (`named`).
 */
export function jurisdictionOf(list: readonly Jurisdiction[], territory: string | null, boothVillage: string | null, named: string | null = null): Jurisdiction | null {
  if (list.length === 1) return list[0]!;
  if (named) return list.find((x) => x.id === named) ?? null;
  if (territory) {
    const j = list.find((x) => x.villages.includes(territory));
    if (j) return j;
  }
  if (boothVillage) return list.find((x) => x.villages.includes(boothVillage)) ?? null;
  return null;
}
