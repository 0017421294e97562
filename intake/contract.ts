// The booth API of the intake service (/api/v1): the one contract between uploader/ (booth side)
// and intake/ (server side). zod only; both sides validate with these schemas.
import { z } from 'zod';
import { CameraRole, CaptureKind, CASE_NUMBER, BOOTH_CODE, Language, SHA256_HEX } from '../lib/vocab.ts';

export const API_PREFIX = '/api/v1';

/** Bounds that keep one request from exhausting the intake. */
export const LIMITS = {
  itemsPerSubmission: 20,
  itemBytes: 512 * 1024 * 1024,
  manifestBytes: 64 * 1024,
  maxDurationSec: 15 * 60,
} as const;

export const ManifestItem = z.object({
  index: z.number().int().min(0).max(LIMITS.itemsPerSubmission - 1),
  itemId: z.uuid(),
  kind: CaptureKind,
  mime: z.string().max(100).regex(/^(video|audio|image)\/[\w.+-]+(;[\w=,.+ -]*)?$/),
  camera: CameraRole.nullable(),
  size: z.number().int().positive().max(LIMITS.itemBytes),
  sha256: z.string().regex(SHA256_HEX),
  durationSec: z.number().nonnegative().max(LIMITS.maxDurationSec).nullable(),
});
export type ManifestItem = z.infer<typeof ManifestItem>;

export const SubmissionManifest = z.object({
  submissionId: z.uuid(),
  caseNumber: z.string().regex(CASE_NUMBER),
  boothCode: z.string().regex(BOOTH_CODE),
  language: Language,
  startedAt: z.iso.datetime(),
  savedAt: z.iso.datetime(),
  details: z.object({ category: z.string().max(40).nullable(), location: z.string().max(200).nullable() }),
  /** Callback contact; personal: sent over TLS, stored sealed at the intake. */
  contact: z.object({ phone: z.string().regex(/^[0-9-]{5,20}$/).nullable() }),
  items: z
    .array(ManifestItem)
    .min(1)
    .max(LIMITS.itemsPerSubmission)
    .refine((items) => items.every((it, i) => it.index === i), 'items must be indexed 0, 1, 2, … in order'),
});
export type SubmissionManifest = z.infer<typeof SubmissionManifest>;

export const ItemAck = z.object({ index: z.number().int(), size: z.number().int(), sha256: z.string().regex(SHA256_HEX) });
export type ItemAck = z.infer<typeof ItemAck>;

export const SubmissionAck = z.object({
  submissionId: z.uuid(),
  caseNumber: z.string(),
  caseId: z.string(),
  receivedAt: z.iso.datetime(),
  items: z.array(ItemAck),
});
export type SubmissionAck = z.infer<typeof SubmissionAck>;

export const IntakeErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'not_found',
  'payload_too_large',
  'items_missing',
  'item_mismatch',
  'idempotency_conflict',
  'in_progress',
  'internal',
]);
export type IntakeErrorCode = z.infer<typeof IntakeErrorCode>;

export const IntakeError = z.object({ error: z.object({ code: IntakeErrorCode, message: z.string(), details: z.unknown().optional() }) });
export type IntakeError = z.infer<typeof IntakeError>;

export const paths = {
  uploadItem: (submissionId: string, index: number) => `${API_PREFIX}/submissions/${submissionId}/items/${index}`,
  submit: () => `${API_PREFIX}/submissions`,
  health: () => `${API_PREFIX}/health`,
};
