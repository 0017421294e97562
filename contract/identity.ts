// The real-name identity on the wire, in both forms it takes, and the identity the staff API shows.
// Each is validated where it is opened, not cast: the intake parses SealedIdentityRecord right after
// decrypting the block the booth sealed (intake/boothApi.ts), and StaffIdentityRecord each time it
// opens what it stored (intake/staff/identity.ts). zod only (browser code may import this file).
import { z } from 'zod';

const Gender = z.enum(['male', 'female', 'unknown', 'unstated']);

/** The fields every card layout has (drivers/idcard/card.ts CommonFields). */
const CommonCard = {
  name: z.string().max(64),
  gender: Gender,
  nation: z.string().max(32).nullable(),
  birthDate: z.string().max(16),
  address: z.string().max(256).nullable(),
  idNumber: z.string().min(1).max(32),
  authority: z.string().max(128).nullable(),
  validFrom: z.string().max(16),
  /** 'YYYY-MM-DD', or 'long-term' for 长期. */
  validTo: z.string().max(16),
};

/** The decoded card (drivers/idcard/card.ts IdCard), one shape per card type. */
export const IdCardRecord = z.discriminatedUnion('cardType', [
  z.object({ cardType: z.literal('resident'), ...CommonCard }),
  z.object({ cardType: z.literal('hk-mo-tw'), ...CommonCard, passNumber: z.string().max(32), issueCount: z.number().int().nullable() }),
  z.object({
    cardType: z.literal('foreign-2017'),
    ...CommonCard,
    englishName: z.string().max(128),
    nationality: z.string().max(8),
    cardVersion: z.string().max(8),
  }),
  z.object({
    cardType: z.literal('foreign-2023'),
    ...CommonCard,
    englishName: z.string().max(128),
    nationality: z.string().max(8),
    renewalCount: z.number().int().nullable(),
    previousNumber: z.string().max(32).nullable(),
  }),
]);
export type IdCardRecord = z.infer<typeof IdCardRecord>;

/**
 * What the booth seals to the intake's identity key (lib/identitySeal.ts) and sends in the manifest's
 * `identity` block: the card as read, the address the resident appended, the raw WLT face photo
 * (base64; decoded only where a licensed decoder exists) and when it was read.
 */
export const SealedIdentityRecord = z.object({
  card: IdCardRecord,
  appendedAddress: z.string().max(256).nullable(),
  photoWlt: z.base64().max(4096),
  readAt: z.iso.datetime(),
});
export type SealedIdentityRecord = z.infer<typeof SealedIdentityRecord>;

/**
 * What the intake keeps, sealed with its contact key, in `cases.identity_sealed`: the name, number and
 * current address a callback needs, and the rest of the card. Cases stored before the card's other
 * fields were kept have only the first three.
 */
export const StaffIdentityRecord = z.object({
  name: z.string(),
  idNumber: z.string(),
  address: z.string(),
  registeredAddress: z.string().nullable().optional(),
  card: z.record(z.string(), z.unknown()).optional(),
  photoWlt: z.string().optional(),
  readAt: z.string().optional(),
});
export type StaffIdentityRecord = z.infer<typeof StaffIdentityRecord>;

/** What the intake keeps, sealed with its contact key, in `cases.contact_sealed`. */
export const SealedContact = z.object({ phone: z.string().nullable().optional() });
export type SealedContact = z.infer<typeof SealedContact>;

/**
 * The identity the staff API shows: masked in a case view, in clear after an audited reveal. Only
 * what a callback needs; a field is absent when the case has none (an anonymous case: `{}`).
 */
export const IdentityView = z.object({
  name: z.string().optional(),
  idNumber: z.string().optional(),
  address: z.string().optional(),
  phone: z.string().optional(),
});
export type IdentityView = z.infer<typeof IdentityView>;
