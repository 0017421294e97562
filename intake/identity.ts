// The real-name identity inside the intake: opened from the booth's sealed block and checked against
// the contract (contract/identity.ts SealedIdentityRecord), re-sealed with the contact key in the
// shape staff need (StaffIdentityRecord), and opened again, checked, for a case view or a reveal.
// Never logged, never in clear on disk.
import type { KeyObject } from 'node:crypto';
import { IdentityView, SealedContact, SealedIdentityRecord, StaffIdentityRecord } from '../contract/identity.ts';
import { openIdentity, type SealedIdentity } from '../lib/identitySeal.ts';
import { sealJson, unsealJson } from '../lib/sealed.ts';

/** Why a sealed block was refused; the reason goes back to the booth, never the content. */
export type OpenIdentityResult = { ok: true; record: SealedIdentityRecord } | { ok: false; reason: 'unopenable' | 'malformed' };

/** Opens the booth's block (bound to the submission id) and validates what is inside. */
export function openBoothIdentity(block: SealedIdentity, key: KeyObject, submissionId: string): OpenIdentityResult {
  let json: unknown;
  try {
    json = JSON.parse(openIdentity(block, key, submissionId).toString('utf8'));
  } catch {
    return { ok: false, reason: 'unopenable' };
  }
  const parsed = SealedIdentityRecord.safeParse(json);
  return parsed.success ? { ok: true, record: parsed.data } : { ok: false, reason: 'malformed' };
}

/** The identity as staff see it on a reveal: name, number, current address, and the rest of the card. */
export function identityForStaff(r: SealedIdentityRecord): StaffIdentityRecord {
  const { name, idNumber, address, ...rest } = r.card;
  return {
    name,
    idNumber,
    address: r.appendedAddress ?? address ?? '',
    registeredAddress: address,
    card: rest,
    photoWlt: r.photoWlt,
    readAt: r.readAt,
  };
}

/** Sealed with the contact key, base64, for `cases.identity_sealed`. */
export function sealForStaff(r: SealedIdentityRecord, contactKey: Buffer): string {
  return sealJson(identityForStaff(r), contactKey).toString('base64');
}

/** A stored identity that does not match the contract: the row is damaged, not the request. */
export class StoredIdentityError extends Error {}

/**
 * The identity of a real-name case, opened and checked; {} for an anonymous one. The sealed record
 * also holds the card's other fields and its photo; a view shows only what a callback needs, so
 * nothing more leaves the server.
 */
export function readIdentity(row: { contact_sealed: string | null; identity_sealed: string | null }, key: Buffer): IdentityView {
  const out: IdentityView = {};
  if (row.identity_sealed) {
    const r = StaffIdentityRecord.safeParse(unsealJson<unknown>(Buffer.from(row.identity_sealed, 'base64'), key));
    if (!r.success) throw new StoredIdentityError('stored identity does not match contract/identity.ts StaffIdentityRecord');
    for (const k of ['name', 'idNumber', 'address'] as const) if (r.data[k]) out[k] = r.data[k];
  }
  if (row.contact_sealed) {
    const c = SealedContact.safeParse(unsealJson<unknown>(Buffer.from(row.contact_sealed, 'base64'), key));
    if (!c.success) throw new StoredIdentityError('stored contact does not match contract/identity.ts SealedContact');
    if (c.data.phone) out.phone = c.data.phone;
  }
  return IdentityView.parse(out);
}
