// Likely repeats (重复诉求): the same matter raised again. A case is suggested as a repeat of
// another when both were received within N days of each other and either (a) they have the same
// category and the same place, or (b) the same callback phone (compared by keyed hash,
// lib/phoneHash.ts). The earlier case is the original; linking is one click (store/repeats.ts).

/** A place as people type it: no spaces or punctuation, full-width digits and letters made half-width, lower case. */
export function normalisePlace(place: string | null | undefined): string {
  return (place ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

export type RepeatReason = 'place' | 'phone';

export interface RepeatCandidate {
  id: string;
  caseNumber: string;
  receivedAt: string;
  status: string;
  category: string | null;
  location: string | null;
  summary: string;
  /** 'place': same category and place; 'phone': same callback phone. */
  reasons: RepeatReason[];
}

export interface RepeatProbe {
  id: string;
  category: string | null;
  location: string | null;
}

/**
 * Which of the nearby cases are likely repeats of `probe`: same category and place, or in the set of
 * cases with the same phone hash. Closest in time first is the caller's order; this keeps it.
 */
export function likelyRepeats<T extends Omit<RepeatCandidate, 'reasons'>>(
  probe: RepeatProbe,
  nearby: readonly T[],
  samePhone: ReadonlySet<string>,
): (T & { reasons: RepeatReason[] })[] {
  const place = normalisePlace(probe.location);
  const out: (T & { reasons: RepeatReason[] })[] = [];
  for (const c of nearby) {
    if (c.id === probe.id) continue;
    const reasons: RepeatReason[] = [];
    if (probe.category && c.category === probe.category && place && normalisePlace(c.location) === place) reasons.push('place');
    if (samePhone.has(c.id)) reasons.push('phone');
    if (reasons.length) out.push({ ...c, reasons });
  }
  return out;
}
