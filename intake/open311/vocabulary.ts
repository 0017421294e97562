// What the outside world is told, in Open311 words (docs/OPEN311.md): the service list (the
// back office's category vocabulary with codes and zh-CN / en names), this product's statuses mapped to the
// spec's two (open / closed), and which township (jurisdiction) a case belongs to. Pure: no I/O.
import type { Jurisdiction } from '../../contract/staff/partners.ts';
import { STATUS_LABELS, type CaseStatus } from '../casework/status.ts';
import { Category, type CategoryEntry, LEGACY_CATEGORY_LABELS } from '../../lib/vocab.ts';

/** One Open311 service: a category of the back office's list (admin-edited, settings `categories`). */
export interface Service {
  code: string;
  zh: string;
  en: string;
  /** The short label residents see at the booth (kiosk). */
  short: string;
}

// The back office's category list (lib/vocab.ts CategoryEntry, edited by admins, sent to booths)
// is the one vocabulary: its codes are the service codes, the staff's name is the zh-CN service
// name and the booth's English label the en name. Nothing here is a second list.
export function servicesOf(categories: readonly CategoryEntry[]): Service[] {
  return categories.map((c) => ({ code: c.code, zh: c.name, en: c.shortEn, short: c.short }));
}

/**
 * A case's category as a code: codes pass through; a label from before the one vocabulary
 * (cases.category held free text until migration 140) maps through LEGACY_CATEGORY_LABELS.
 */
export function codeOfCategory(category: string | null): string | null {
  if (!category) return null;
  const t = category.trim();
  if (Category.safeParse(t).success) return t;
  return LEGACY_CATEGORY_LABELS[t] ?? null;
}

/** The service of a case's category in this list; unknown or empty → null. */
export function serviceOfCategory(services: readonly Service[], category: string | null): Service | null {
  const code = codeOfCategory(category);
  return code ? (services.find((s) => s.code === code) ?? null) : null;
}

/** Every category value that means this service (for filtering cases by service_code). */
export function categoriesOf(code: string): string[] {
  return [
    code,
    ...Object.entries(LEGACY_CATEGORY_LABELS)
      .filter(([, c]) => c === code)
      .map(([label]) => label),
  ];
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

export { Jurisdiction, PartnerSettings } from '../../contract/staff/partners.ts';

/**
 * The township a case belongs to: the one whose villages include the case's 责任属地, else the one
 * holding the booth's village; with a single township configured, every case is its. A case a
 * partner filed names its township (`named`).
 */
export function jurisdictionOf(
  list: readonly Jurisdiction[],
  territory: string | null,
  boothVillage: string | null,
  named: string | null = null,
): Jurisdiction | null {
  if (list.length === 1) return list[0]!;
  if (named) return list.find((x) => x.id === named) ?? null;
  if (territory) {
    const j = list.find((x) => x.villages.includes(territory));
    if (j) return j;
  }
  if (boothVillage) return list.find((x) => x.villages.includes(boothVillage)) ?? null;
  return null;
}
