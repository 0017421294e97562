// The booth API of the intake service (/api/v1): the one contract between uploader/ (booth side)
// and intake/ (server side). zod only; both sides validate with these schemas.
import { z } from 'zod';
import {
  CameraRole,
  CaptureKind,
  CASE_NUMBER,
  BOOTH_CODE,
  Category,
  CategoryEntry,
  DEFAULT_CATEGORIES,
  Language,
  RESIDENT_NUMBER,
  SHA256_HEX,
} from '../lib/vocab.ts';

export const API_PREFIX = '/api/v1';

/** Bounds that keep one request from exhausting the intake. */
export const LIMITS = {
  itemsPerSubmission: 20,
  itemBytes: 512 * 1024 * 1024,
  manifestBytes: 64 * 1024,
  heartbeatBytes: 16 * 1024,
  maxDurationSec: 15 * 60,
} as const;

export const ManifestItem = z.object({
  index: z
    .number()
    .int()
    .min(0)
    .max(LIMITS.itemsPerSubmission - 1),
  itemId: z.uuid(),
  kind: CaptureKind,
  mime: z
    .string()
    .max(100)
    .regex(/^(video|audio|image)\/[\w.+-]+(;[\w=,.+ -]*)?$/),
  camera: CameraRole.nullable(),
  size: z.number().int().positive().max(LIMITS.itemBytes),
  sha256: z.string().regex(SHA256_HEX),
  durationSec: z.number().nonnegative().max(LIMITS.maxDurationSec).nullable(),
});
export type ManifestItem = z.infer<typeof ManifestItem>;

/**
 * Real-name identity sealed by the booth to the intake's identity key (lib/identitySeal.ts):
 * X25519 + HKDF-SHA256 + AES-256-GCM, bound to the submission id. Neither the booth's outbox nor
 * this manifest nor the intake's store ever holds it in clear.
 */
export const SealedIdentityBlock = z.object({
  v: z.literal(1),
  alg: z.literal('X25519-HKDF-SHA256-A256GCM'),
  kid: z.string().regex(/^[0-9a-f]{16}$/),
  epk: z.base64().max(64),
  iv: z.base64().max(32),
  ct: z.base64().max(16_000),
  tag: z.base64().max(32),
});
export type SealedIdentityBlock = z.infer<typeof SealedIdentityBlock>;

export const SubmissionManifest = z.object({
  submissionId: z.uuid(),
  caseNumber: z.string().regex(CASE_NUMBER),
  /** The resident's short number from a block this intake handed the booth; null: assign one. */
  residentNumber: z.string().regex(RESIDENT_NUMBER).nullable().default(null),
  boothCode: z.string().regex(BOOTH_CODE),
  language: Language,
  startedAt: z.iso.datetime(),
  savedAt: z.iso.datetime(),
  details: z.object({ category: Category.nullable(), location: z.string().max(200).nullable() }),
  /** Callback contact; personal: sent over TLS, stored sealed at the intake. */
  contact: z.object({
    phone: z
      .string()
      .regex(/^[0-9-]{5,20}$/)
      .nullable(),
  }),
  /** Present on real-name submissions only. */
  identity: SealedIdentityBlock.nullable().default(null),
  /** The resident's status-page secret (lib/statusToken.ts); the intake keeps only its sha256. */
  statusToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{32}$/)
    .nullish(),
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
  /** The number the case is filed under: the booth's, or a unique one when another case held it (docs/DELIVERY.md). */
  caseNumber: z.string(),
  /** The resident number the case is filed under (the booth's, or one the intake assigned). */
  residentNumber: z.string().regex(RESIDENT_NUMBER).nullable().default(null),
  /** The booth's own number, kept as an alias, when the case is filed under another one. */
  boothCaseNumber: z.string().nullable().default(null),
  caseId: z.string(),
  receivedAt: z.iso.datetime(),
  items: z.array(ItemAck),
});
export type SubmissionAck = z.infer<typeof SubmissionAck>;

export const IntakeErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
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

// ---------- heartbeat (booth → intake every few minutes; the fleet view reads the latest) ----------

export const DeviceState = z.enum(['ok', 'missing', 'error', 'unknown']);
export type DeviceState = z.infer<typeof DeviceState>;

export const DeviceStates = z.object({
  faceCamera: DeviceState,
  documentCamera: DeviceState,
  microphone: DeviceState,
  idReader: DeviceState,
});
export type DeviceStates = z.infer<typeof DeviceStates>;

export const Heartbeat = z.object({
  boothCode: z.string().regex(BOOTH_CODE),
  sentAt: z.iso.datetime(),
  version: z.string().min(1).max(40),
  /** Submissions not yet delivered. */
  queueDepth: z.number().int().nonnegative().max(1_000_000),
  oldestUnsentSec: z.number().int().nonnegative().nullable(),
  bytesWaiting: z.number().int().nonnegative(),
  disk: z.object({
    freeBytes: z.number().int().nonnegative(),
    totalBytes: z.number().int().nonnegative(),
    /** Free space the booth needs to take one more full recording (its minFreeBytes + the largest item); older booths omit it. */
    needBytes: z.number().int().nonnegative().optional(),
  }),
  devices: DeviceStates,
  lastError: z.string().max(500).nullable(),
  alerts: z.array(z.string().max(300)).max(10),
  /** Unused resident numbers the booth still holds; below RESIDENT_BLOCK.askBelow the answer carries a new block. */
  residentNumbersLeft: z.number().int().nonnegative().optional(),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

/** Resident-number blocks: how many a block holds, and when a booth gets another. */
export const RESIDENT_BLOCK = { size: 200, askBelow: 50 } as const;

/**
 * The intake as the authority for a booth's numbers (docs/DELIVERY.md "Numbers"): sent in the
 * enrolment answer and in every heartbeat answer.
 */
export const NumberAuthority = z.object({
  /** Per booth-local day (YYYYMMDD) of the last 60 days and any later day, the highest sequence the intake holds for this booth. */
  caseSequence: z.record(z.string().regex(/^\d{8}$/), z.number().int().min(0).max(9999)),
  residentBlock: z.object({ start: z.number().int().min(10_000_000), size: z.number().int().positive().max(10_000) }).nullable(),
  /** Per block start (as text) of this booth's recent blocks, the highest resident number a case holds: a restored booth skips past it. */
  residentUsed: z.record(z.string().regex(/^\d{8}$/), z.number().int()).default({}),
});
export type NumberAuthority = z.infer<typeof NumberAuthority>;

/** The heartbeat's answer (200); an older intake answers 204 without a body. */
export const HeartbeatAnswer = z.object({ numbers: NumberAuthority });
export type HeartbeatAnswer = z.infer<typeof HeartbeatAnswer>;

/** The tus 1.0 endpoint for media items (Upload-Metadata: submissionId, index, sha256). */
export const UPLOADS_PATH = `${API_PREFIX}/uploads`;

export const paths = {
  uploads: () => UPLOADS_PATH,
  submit: () => `${API_PREFIX}/submissions`,
  heartbeats: () => `${API_PREFIX}/heartbeats`,
  health: () => `${API_PREFIX}/health`,
  identityKey: () => `${API_PREFIX}/identity-key`,
  openapi: () => `${API_PREFIX}/openapi.json`,
  /** The update feed (electron-updater's generic provider): latest-linux.yml, its .sig, packages. */
  updateFeed: () => `${API_PREFIX}/updates/linux/`,
};

// ---------- enrolment and back-office settings (issue 8) ----------

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
export const DailyWindow = z.object({ start: z.string().regex(HHMM), end: z.string().regex(HHMM) });

/**
 * What the back office decides for its booths. The intake validates an admin's edit with this
 * schema and the booth validates what it pulls with the same one; a booth never applies settings
 * that do not parse (it keeps the last good ones).
 */
export const BoothSettings = z.object({
  /** Increases with every change; the booth applies only a newer revision. */
  revision: z.number().int().nonnegative(),
  idleTimeoutSec: z.number().int().min(30).max(600),
  /**
   * The idle warning (您还在吗？ with a countdown and 继续) lasts this long: at least 20 s (WCAG 2.2.1,
   * the spoken sentence alone takes 5 s); a booth shortens it to fit inside idleTimeoutSec.
   * Defaulted, so settings saved before it existed still parse.
   */
  idleWarningSec: z.number().int().min(20).max(60).default(20),
  limits: z.object({
    videoSec: z.number().int().min(10).max(LIMITS.maxDurationSec),
    audioSec: z.number().int().min(10).max(LIMITS.maxDurationSec),
    photos: z.number().int().min(1).max(LIMITS.itemsPerSubmission),
  }),
  /** Places a resident can pick instead of typing ("村委会", "东门菜市场"). */
  quickPickPlaces: z.array(z.string().min(1).max(40)).max(30),
  /** Printed / shown under the case number. */
  receiptText: z.string().max(500),
  /** When the booth may upload; empty = any time. */
  uploadWindows: z.array(DailyWindow).max(6),
  /** Spoken/shown prompt overrides by key, e.g. "start.title" → text. */
  prompts: z.record(z.string().regex(/^[a-z][\w.]{0,60}$/), z.string().max(500)),
  /** Updates install and the nightly restart happens only inside this window. */
  quietHours: DailyWindow,
  updatesEnabled: z.boolean(),
  nightlyRestart: z.boolean(),
  /**
   * Days a booth keeps a submission's recordings (sealed) after the intake confirmed every item's
   * sha256 (issue 18): 0 = deleted at once, on the confirmation. Unsent recordings are never
   * deleted. Defaulted, so settings saved before it existed still parse (docs/DELIVERY.md "Media at rest").
   */
  mediaRetentionDays: z.number().int().min(0).max(30).default(0),
  /**
   * The back office's category vocabulary (admin-edited on the staff settings page, not per booth):
   * the codes a case arrives with and the short labels the kiosk shows. The served revision is the
   * booth settings' own plus the vocabulary's (both only grow), so a vocabulary edit reaches booths.
   */
  categories: z
    .array(CategoryEntry)
    .max(40)
    .default([...DEFAULT_CATEGORIES]),
  /**
   * Where residents reach the intake's public status page (issue 18): the intake's public base URL
   * (INTAKE_PUBLIC_URL, else the address the booth asked), filled in by the intake when it serves
   * the settings, never edited per booth. The receipt's QR is <statusBaseUrl>/s/<token>
   * (lib/statusToken.ts); null (settings from before it existed, or never received) = the QR holds
   * the case number only.
   */
  statusBaseUrl: z
    .string()
    .max(300)
    .regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/)
    .nullable()
    .default(null),
});
export type BoothSettings = z.infer<typeof BoothSettings>;
/** What the admin sends (PUT /staff/api/fleet/settings): everything but the revision, which the intake bumps, the categories
 *  (staff settings) and the status page's address (the intake's own setting). */
export const BoothSettingsEdit = BoothSettings.omit({ revision: true, categories: true, statusBaseUrl: true });
export type BoothSettingsEdit = z.infer<typeof BoothSettingsEdit>;

export const DEFAULT_BOOTH_SETTINGS: BoothSettings = {
  revision: 0,
  idleTimeoutSec: 90,
  idleWarningSec: 20,
  limits: { videoSec: 180, audioSec: 300, photos: 9 },
  quickPickPlaces: [],
  receiptText: '',
  uploadWindows: [],
  prompts: {},
  quietHours: { start: '03:00', end: '04:00' },
  updatesEnabled: true,
  nightlyRestart: true,
  mediaRetentionDays: 0,
  categories: [...DEFAULT_CATEGORIES],
  statusBaseUrl: null,
};

export const EnrolRequest = z.object({ code: z.string().min(10).max(20) });
export const EnrolResponse = z.object({
  boothCode: z.string().regex(BOOTH_CODE),
  village: z.string(),
  location: z.string(),
  /** The booth credential (issue 6's bearer token), shown once. */
  credential: z.string(),
  settings: BoothSettings,
  /** The booth's high-water marks and a first block of resident numbers. */
  numbers: NumberAuthority.optional(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

export const enrolPaths = {
  enrol: () => `${API_PREFIX}/enrol`,
  settings: () => `${API_PREFIX}/settings`,
  /** The village CA (PEM; 404 when the intake's certificate is from a public CA), pinned by the enrolment QR. */
  ca: () => `${API_PREFIX}/enrol/ca`,
};

/** One heartbeat as the fleet page shows it (the delivery store maps its rows to this and checks them with it; the staff app's fleet page reads it). */
export const FleetHeartbeat = z.object({
  receivedAt: z.number(),
  version: z.string(),
  queueDepth: z.number(),
  oldestUnsentSec: z.number().nullable(),
  diskFreeBytes: z.number(),
  diskTotalBytes: z.number(),
  diskNeedBytes: z.number().nullable().describe('what the booth needs free to take one more full recording; null from older booths'),
  clockSkewMs: z.number().describe("the booth's clock minus the intake's when the heartbeat arrived"),
  devices: z.record(z.string(), z.string()).describe("device name → 'ok' or a short fault"),
  lastError: z.string().nullable(),
  alerts: z.array(z.string()).describe("the booth's own technician alerts (disk nearly full, …)"),
});
export type FleetHeartbeat = z.infer<typeof FleetHeartbeat>;
