// The one contract between the kiosk UI (renderer/) and the booth core (main/).
// Every request and every event is declared here once, with its zod schema; the core registers
// handlers only through main/api/route.ts (which validates with these schemas) and the renderer
// calls only through renderer/api.ts (typed from these schemas). Adding an endpoint: declare it
// here, implement it in the core. This file is imported by browser and Node code: zod only.
import { z } from 'zod';

// ---------- shared vocabulary ----------

import { CameraRole, CaptureKind, CASE_NUMBER, Category, CategoryEntry, Language, OutboxState, RESIDENT_NUMBER } from '../lib/vocab.ts';

export { CameraRole, CaptureKind, CASE_NUMBER, Category, CategoryEntry, Language, OutboxState };
export { DEFAULT_CATEGORIES } from '../lib/vocab.ts';

/** Machine-readable reasons. The renderer turns each into plain words for the resident. */
export const ErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'session_closed',
  'media_empty',
  'media_unreadable',
  'media_too_large',
  'too_many_items',
  'no_items',
  'disk_full',
  'realname_expired',
  'printer_unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.object({ code: ErrorCode, message: z.string(), details: z.unknown().optional() });
export type ApiError = z.infer<typeof ApiError>;

/** Every response body is this envelope (STYLE.md: errors across a boundary are values). */
export const envelope = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: ApiError })]);

// ---------- payloads ----------

/** The booth's local device assignment (service screen); browser deviceIds, null = the default device. */
export const DeviceChoice = z.object({ deviceId: z.string().max(200), label: z.string().max(200) });
export const HardwareChoice = z.object({
  faceCamera: DeviceChoice.nullable(),
  documentCamera: DeviceChoice.nullable(),
  microphone: DeviceChoice.nullable(),
  readerPort: z.string().max(200).nullable(),
});
export type HardwareChoice = z.infer<typeof HardwareChoice>;

export const KioskConfig = z.object({
  boothCode: z.string(),
  hardware: HardwareChoice.optional(),
  /** What the back office set for this booth (contract/booth.ts BoothSettings), when enrolled. */
  backOffice: z
    .object({
      revision: z.number().int().nonnegative(),
      quickPickPlaces: z.array(z.string()),
      receiptText: z.string(),
      prompts: z.record(z.string(), z.string()),
      /** For the kiosk shell: updates and the nightly restart happen only in these hours. */
      quietHours: z.object({ start: z.string(), end: z.string() }),
      updatesEnabled: z.boolean(),
      nightlyRestart: z.boolean(),
      /** The back office's category list with short resident labels (one vocabulary, issue 15). */
      categories: z.array(CategoryEntry),
    })
    .optional(),
  language: Language,
  idleTimeoutSec: z.number().int().positive(),
  /** The last seconds of idleTimeoutSec show and speak a countdown with 继续. */
  idleWarningSec: z.number().int().positive(),
  limits: z.object({
    videoSec: z.number().int().positive(),
    audioSec: z.number().int().positive(),
    photos: z.number().int().positive(),
    itemBytes: z.number().int().positive(),
  }),
  /** The resident flow's local settings (booth.json `resident`, `printer`); places come from backOffice. */
  resident: z.object({
    /** 0..1 for every spoken prompt. */
    promptVolume: z.number().min(0).max(1),
    /** Say the welcome when the face camera sees movement at the start screen (off by default). */
    welcomeOnMotion: z.boolean().default(false),
    /** Working days within which staff call back, as promised on the receipt. */
    callbackDays: z.number().int().positive(),
    printer: z.boolean(),
    /** Whether the ID-card (real-name) flow is available on this booth. */
    realnameAvailable: z.boolean(),
    /** Days the booth keeps its sealed copy after the back office confirmed it (BoothSettings.mediaRetentionDays); told to the resident. */
    keepDaysAfterDelivery: z.number().int().min(0).max(30).default(0),
  }),
  /** The disk is nearly full: no new recordings (what is saved stays safe). */
  storageLow: z.boolean(),
  /** Not enrolled (no credential, or the back office refused it): the kiosk shows the
   *  out-of-service screen instead of the resident flow; what is queued stays queued. */
  outOfService: z.enum(['not_enrolled', 'revoked']).nullable().default(null),
});
export type KioskConfig = z.infer<typeof KioskConfig>;

export const ItemSummary = z.object({
  itemId: z.uuid(),
  kind: CaptureKind,
  mime: z.string(),
  size: z.number().int().nonnegative(),
  durationSec: z.number().nullable(),
  camera: CameraRole.nullable(),
  /** A small JPEG poster frame of a video (data: URL), for the review screen. */
  posterDataUrl: z.string().nullable(),
});
export type ItemSummary = z.infer<typeof ItemSummary>;

export const SessionInfo = z.object({
  sessionId: z.uuid(),
  startedAt: z.iso.datetime(),
  items: z.array(ItemSummary),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const Receipt = z.object({
  submissionId: z.uuid(),
  caseNumber: z.string().regex(CASE_NUMBER),
  /**
   * The resident's short number (issue 18): 8 digits, grouped 4-4 when shown or spoken
   * (groupResidentNumber in lib/vocab.ts); null when the booth held no block of numbers (offline
   * since enrolment and used up): the intake assigns one on arrival.
   */
  residentNumber: z.string().regex(RESIDENT_NUMBER).nullable(),
  /**
   * The page the receipt's QR opens: <statusBaseUrl>/s/<token> (lib/statusToken.ts, derived on the
   * booth, so it is known offline); null while the booth has not yet learnt the intake's public
   * address from its settings (the QR then holds the case number).
   */
  statusUrl: z.string().max(400).nullable(),
  savedAt: z.iso.datetime(),
  itemCount: z.number().int().positive(),
});
export type Receipt = z.infer<typeof Receipt>;

export const BoothStatus = z.object({
  boothCode: z.string(),
  version: z.string(),
  outbox: z.object({
    waiting: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    delivered: z.number().int().nonnegative(),
    oldestWaitingSec: z.number().nullable(),
    lastError: z.string().nullable(),
  }),
  /** Free space where recordings are kept; low = the booth refuses new recordings (technician alert). */
  disk: z.object({ freeBytes: z.number().nullable(), low: z.boolean() }),
});
export type BoothStatus = z.infer<typeof BoothStatus>;

const SessionParams = z.object({ sessionId: z.uuid() });

// ---------- service screen (technicians, issue 8) ----------

/** Proof of a PIN unlock; expires after the service screen's idle timeout. */
const ServiceAuth = z.object({ serviceToken: z.string().min(20).max(100) });

export const ServiceUnlock = z.discriminatedUnion('unlocked', [
  z.object({ unlocked: z.literal(true), serviceToken: z.string(), idleTimeoutSec: z.number().int().positive() }),
  z.object({ unlocked: z.literal(false), lockedForSec: z.number().int().nonnegative() }),
]);
export type ServiceUnlock = z.infer<typeof ServiceUnlock>;

/**
 * A reader port the technician can choose: the name saved in the mapping ("/dev/ttyUSB0",
 * "hid:/dev/hidraw0", "usb:0400:c35a"), the kind of device, and the reader model when its USB
 * ids are known (drivers/idcard), so the screen can name it in plain words.
 */
export const ReaderPort = z.object({
  port: z.string(),
  kind: z.enum(['serial', 'hid', 'usb']),
  model: z.string().nullable(),
  /** The simulated reader's pseudo-terminal (development): listed so it can be chosen and checked. */
  simulated: z.boolean().optional(),
});
export type ReaderPort = z.infer<typeof ReaderPort>;

/** The receipt printer (ESC/POS): a device file (/dev/usb/lp0) or a network printer (raw TCP 9100). */
export const PrinterSetting = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file'), path: z.string().min(1).max(200), widthDots: z.number().int().min(200).max(1000).default(384) }),
  z.object({
    kind: z.literal('tcp'),
    host: z.string().min(1).max(200),
    port: z.number().int().min(1).max(65535).default(9100),
    widthDots: z.number().int().min(200).max(1000).default(384),
  }),
]);
export type PrinterSetting = z.infer<typeof PrinterSetting>;

export const ServiceState = z.object({
  boothCode: z.string(),
  version: z.string(),
  enrolled: z.boolean(),
  intakeUrl: z.string().nullable(),
  intakeReachable: z.boolean(),
  outbox: BoothStatus.shape.outbox,
  hardware: HardwareChoice,
  /** Reader ports present on this machine (serial, HID, native USB), for the reader port choice. */
  readerPorts: z.array(ReaderPort),
  settingsRevision: z.number().int().nonnegative(),
  /** The receipt printer as set in booth.json (null = none: receipts are shown as a QR code). */
  printer: PrinterSetting.nullable().optional(),
});
export type ServiceState = z.infer<typeof ServiceState>;

/** `booth doctor`'s report (main/doctor/): each check ok, or a warning or fault in plain words with what to do. */
export const DoctorOutcome = z.discriminatedUnion('status', [
  z.object({ status: z.literal('ok'), detail: z.string() }),
  z.object({ status: z.enum(['warn', 'fault']), problem: z.string(), fix: z.string() }),
]);
export const DoctorReport = z.object({
  ok: z.boolean(),
  checks: z.array(z.object({ id: z.string(), title: z.string(), outcome: DoctorOutcome })),
});
export type DoctorReport = z.infer<typeof DoctorReport>;

/**
 * Every answer of the service screen carries a machine-readable `reason` (the screen says it in its
 * language, renderer/service/strings.ts) and `message`, the same in technician English (logs, CLI).
 */
export const ReaderTest = z.object({
  present: z.boolean(),
  responds: z.boolean(),
  message: z.string(),
  /** in_use: the booth's own session has it and it answers · session_fault: the session has it, not ready ·
   *  no_port · answers · busy (another program) · no_answer. */
  reason: z.enum(['in_use', 'session_fault', 'no_port', 'answers', 'busy', 'no_answer']),
  /** The port in plain words ("精伦 iDR200 family (SAM_V) on usb:0400:c35a"). */
  name: z.string(),
});
export const PrinterTest = z.object({ printed: z.boolean(), message: z.string(), reason: z.enum(['printed', 'none', 'failed']) });

/** One `booth doctor` check as the service screen shows it (main/doctor): id, status, and its words in technician English. */
export const ServiceCheck = z.object({
  id: z.string(),
  status: z.enum(['ok', 'warn', 'fault']),
  /** ok: what was found; warn/fault: the problem. */
  text: z.string(),
  /** warn/fault: what to do. */
  fix: z.string().nullable(),
});
export type ServiceCheck = z.infer<typeof ServiceCheck>;

/** Why an enrolment from the service screen did not work (main/technician/provision.ts ProvisionRefusal). */
export const EnrolRefusal = z.enum([
  'bad_pin',
  'bad_address',
  'not_https',
  'bad_ca',
  /** The CA the intake sent is not the one the enrolment QR names (or it sent none). */
  'ca_mismatch',
  'data_not_writable',
  'unreachable',
  'code_used',
  'code_expired',
  'code_revoked',
  'code_unknown',
  'failed',
]);
export type EnrolRefusal = z.infer<typeof EnrolRefusal>;
// ---------- real name (ID card), issue 5 ----------

/** The card types the reader decodes (drivers/idcard/card.ts). */
export const IdCardType = z.enum(['resident', 'hk-mo-tw', 'foreign-2017', 'foreign-2023']);

/**
 * What the kiosk may show of a card: the name (the resident's own, on their own screen) and the
 * number masked to its first 3 and last 4 characters. The full record never reaches the renderer.
 */
export const MaskedIdentity = z.object({
  cardType: IdCardType,
  name: z.string(),
  idNumberMasked: z.string(),
  /** The card photo as a data: URL when a licensed WLT decoder is installed; null → a neutral placeholder. */
  photo: z.string().max(200_000).nullable(),
});
export type MaskedIdentity = z.infer<typeof MaskedIdentity>;

/** waiting: reader armed, place the card · read: shown, to confirm · confirmed · error (see code). */
export const RealNamePhase = z.enum(['waiting', 'read', 'confirmed', 'error', 'ended']);
export type RealNamePhase = z.infer<typeof RealNamePhase>;
/**
 * unreadable: retry or go anonymous · wrong_card: not a supported ID card · reader_unavailable: reader
 * unplugged or faulty · unavailable: the booth cannot seal identities yet (no intake key provisioned).
 */
export const RealNameError = z.enum(['unreadable', 'wrong_card', 'reader_unavailable', 'unavailable']);
export type RealNameError = z.infer<typeof RealNameError>;

export const RealNameState = z.object({
  /** Opaque reference the resident flow hands to submit (never the ID data itself). */
  ref: z.uuid(),
  phase: RealNamePhase,
  identity: MaskedIdentity.nullable(),
  error: RealNameError.nullable(),
  /** A card is lying on the reader (e.g. still there after the read: remind to take it back). */
  cardOnReader: z.boolean(),
});
export type RealNameState = z.infer<typeof RealNameState>;

export const ReaderInfo = z.object({
  state: z.enum(['connecting', 'checking-sam', 'ready', 'sam-fault', 'disconnected', 'stopped', 'absent']),
  /** The simulator stands in for a reader (development, or no reader found). */
  simulated: z.boolean(),
  cardOnReader: z.boolean(),
  /** Simulated readers only: the test card the simulator has lying on it (fixture id), else null. */
  testCard: z.string().nullable(),
  /** Since the core started: commands resent after a spoilt or missing answer, and find/select/read
   *  cycles retried after a transient card status (SW3 41 …). A count that keeps climbing points at
   *  a bad cable or reader (resends) or worn cards or a loose reader mount (retries). */
  resends: z.number().int().nonnegative(),
  retries: z.number().int().nonnegative(),
});
export type ReaderInfo = z.infer<typeof ReaderInfo>;

/**
 * The service screen's test read (serviceReadCard): card = a card was read, shown only as its type
 * and a masked name and number · no_card = none within the time · card_error = a card that did not
 * read (error says why) · not_ready = the reader is unplugged or faulty · busy = a resident's
 * real-name read is open · absent = this booth has no reader.
 */
export const ReaderTestRead = z.object({
  outcome: z.enum(['card', 'no_card', 'card_error', 'not_ready', 'busy', 'absent']),
  card: z.object({ cardType: IdCardType, nameMasked: z.string(), idNumberMasked: z.string() }).nullable(),
  error: z.enum(['unreadable', 'wrong_card']).nullable(),
});
export type ReaderTestRead = z.infer<typeof ReaderTestRead>;

const RealNameParams = z.object({ ref: z.uuid() });
const MIME = z.string().regex(/^(video|audio|image)\/[\w.+-]+(;.*)?$/, 'a media type such as video/webm');

// ---------- endpoints ----------

/**
 * `input` validates path params, query and JSON body merged into one object.
 * `body: 'binary'` endpoints take the raw request bytes as media; their `input` covers params + query.
 */
export interface EndpointDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  input: I;
  output: O;
  body?: 'json' | 'binary';
}

const def = <I extends z.ZodType, O extends z.ZodType>(d: EndpointDef<I, O>) => d;

/** Where a page with a stale token gets the current one (renewKioskToken below). */
export const KIOSK_RENEW_PATH = '/api/kiosk/renew';

export const endpoints = {
  config: def({ method: 'GET', path: '/api/config', input: z.object({}), output: KioskConfig }),
  status: def({ method: 'GET', path: '/api/status', input: z.object({}), output: BoothStatus }),
  startSession: def({
    method: 'POST',
    path: '/api/sessions',
    input: z.object({ language: Language.default('zh-CN') }),
    output: SessionInfo,
  }),
  getSession: def({ method: 'GET', path: '/api/sessions/:sessionId', input: SessionParams, output: SessionInfo }),
  addItem: def({
    method: 'PUT',
    path: '/api/sessions/:sessionId/items',
    body: 'binary',
    // `replaces`: a re-do's new take, staged while the original is still held (the kiosk drops the
    // original once the new one is in), so the limits count the two as one.
    input: SessionParams.extend({ kind: CaptureKind, mime: MIME, camera: CameraRole.optional(), replaces: z.uuid().optional() }),
    output: ItemSummary,
  }),
  /** Waits for the checks behind addItem (remux, probe, hash, poster); a refused recording is an error. */
  checkedItem: def({
    method: 'GET',
    path: '/api/sessions/:sessionId/items/:itemId',
    input: SessionParams.extend({ itemId: z.uuid() }),
    output: ItemSummary,
  }),
  deleteItem: def({
    method: 'DELETE',
    path: '/api/sessions/:sessionId/items/:itemId',
    input: SessionParams.extend({ itemId: z.uuid() }),
    output: SessionInfo,
  }),
  submit: def({
    method: 'POST',
    path: '/api/sessions/:sessionId/submit',
    input: SessionParams.extend({
      phone: z
        .string()
        .regex(/^[0-9-]{5,20}$/)
        .nullable()
        .default(null),
      category: Category.nullable().default(null),
      location: z.string().max(200).nullable().default(null),
      /** From a confirmed real-name read; the core attaches the sealed identity. */
      realnameRef: z.uuid().nullable().default(null),
    }),
    output: Receipt,
  }),
  printReceipt: def({
    method: 'POST',
    path: '/api/submissions/:submissionId/print',
    input: z.object({ submissionId: z.uuid(), language: Language.default('zh-CN') }),
    output: z.object({ printed: z.literal(true) }),
  }),
  discardSession: def({
    method: 'POST',
    path: '/api/sessions/:sessionId/discard',
    input: SessionParams,
    output: z.object({ discarded: z.boolean() }),
  }),
  serviceUnlock: def({
    method: 'POST',
    path: '/api/service/unlock',
    input: z.object({ pin: z.string().regex(/^\d{1,12}$/) }),
    output: ServiceUnlock,
  }),
  serviceState: def({ method: 'GET', path: '/api/service/state', input: ServiceAuth, output: ServiceState }),
  serviceSaveHardware: def({
    method: 'PUT',
    path: '/api/service/hardware',
    input: ServiceAuth.extend({ hardware: HardwareChoice }),
    output: HardwareChoice,
  }),
  serviceTestReader: def({
    method: 'POST',
    path: '/api/service/reader-test',
    input: ServiceAuth.extend({ port: z.string().max(200) }),
    output: ReaderTest,
  }),
  /** Waits up to timeoutSec for a card on the booth's reader (its live session) and shows it masked. */
  serviceReadCard: def({
    method: 'POST',
    path: '/api/service/reader-read',
    input: ServiceAuth.extend({ timeoutSec: z.number().int().min(1).max(60).default(15) }),
    output: ReaderTestRead,
  }),
  serviceTestPrinter: def({ method: 'POST', path: '/api/service/printer-test', input: ServiceAuth, output: PrinterTest }),
  serviceEnrol: def({
    method: 'POST',
    path: '/api/service/enrol',
    /** caPem: a village CA (PEM) for this intake; absent = the one the booth has, else the system's roots. */
    input: ServiceAuth.extend({
      code: z.string().min(10).max(20),
      intakeUrl: z.url(),
      caPem: z.string().max(64_000).optional(),
      /** From the enrolment QR (扫码登记, contract/enrolQr.ts): the village CA's SHA-256, fetched from the
       *  intake and pinned; null = the QR names no village CA (system roots). Absent: typed by hand. */
      caFingerprint: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .nullable()
        .optional(),
    }),
    output: z.object({
      enrolled: z.boolean(),
      message: z.string(),
      restartNeeded: z.boolean(),
      reason: EnrolRefusal.nullable().optional(),
      /** When enrolled: the booth's new code, village and location. */
      booth: z.object({ boothCode: z.string(), village: z.string(), location: z.string() }).nullable().optional(),
    }),
  }),
  /** The doctor's checks run by the running core (重新检查 runs them again). */
  serviceDoctor: def({
    method: 'POST',
    path: '/api/service/doctor',
    input: ServiceAuth,
    output: z.object({ ok: z.boolean(), checks: z.array(ServiceCheck) }),
  }),
  /** Printer settings (booth.json "printer"); used from the next receipt, no restart. */
  serviceSavePrinter: def({
    method: 'PUT',
    path: '/api/service/printer',
    input: ServiceAuth.extend({ printer: PrinterSetting.nullable() }),
    output: z.object({ printer: PrinterSetting.nullable() }),
  }),
  serviceLock: def({ method: 'POST', path: '/api/service/lock', input: ServiceAuth, output: z.object({ locked: z.boolean() }) }),
  /** After the resident said 同意: arms the reader. Any earlier real-name read is forgotten. */
  realnameStart: def({ method: 'POST', path: '/api/realname', input: z.object({ consent: z.literal(true) }), output: RealNameState }),
  realnameState: def({ method: 'GET', path: '/api/realname/:ref', input: RealNameParams, output: RealNameState }),
  realnameRetry: def({ method: 'POST', path: '/api/realname/:ref/retry', input: RealNameParams, output: RealNameState }),
  realnameConfirm: def({ method: 'POST', path: '/api/realname/:ref/confirm', input: RealNameParams, output: RealNameState }),
  /** 不同意 / back / anonymous: disarms the reader and forgets the identity. */
  realnameCancel: def({ method: 'POST', path: '/api/realname/:ref/cancel', input: RealNameParams, output: RealNameState }),
  reader: def({ method: 'GET', path: '/api/reader', input: z.object({}), output: ReaderInfo }),
  /** `booth doctor` asked of the running core: its live view (intake address and credential in
   *  memory, the reader session it holds, the outbox). Also open to the diagnostics token. */
  doctor: def({ method: 'GET', path: '/api/doctor', input: z.object({}), output: DoctorReport }),
  /** The kiosk page's sign of life every KIOSK_ALIVE_EVERY_MS (main/kiosk/windowWatch.ts): a
   *  window whose page stops sending it is relaunched. atStart: nobody is using the booth. */
  kioskAlive: def({
    method: 'POST',
    path: '/api/kiosk/alive',
    input: z.object({ atStart: z.boolean() }),
    output: z.object({ alive: z.literal(true) }),
  }),
  /**
   * A page whose token the core refuses (the core restarted while the page stayed open) asks for the
   * current one with its old token (main/kiosk/tokenHistory.ts); the guard lets only this call
   * through with a token of a remembered earlier boot.
   */
  renewKioskToken: def({
    method: 'POST',
    path: KIOSK_RENEW_PATH,
    input: z.object({}),
    output: z.object({ token: z.string() }),
  }),
  /** Service screen / tests: put a simulator test card on the reader (card id) or take it off (null). Simulated readers only. */
  readerTestCard: def({
    method: 'POST',
    path: '/api/reader/test-card',
    input: z.object({ card: z.string().max(40).nullable() }),
    output: ReaderInfo,
  }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;
export type InputOf<N extends EndpointName> = z.input<Endpoints[N]['input']>;
export type ParsedInputOf<N extends EndpointName> = z.output<Endpoints[N]['input']>;
export type OutputOf<N extends EndpointName> = z.output<Endpoints[N]['output']>;

// ---------- events (server-sent, GET /api/events) ----------

export const BoothEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: BoothStatus }),
  z.object({ type: z.literal('hello'), bootId: z.string() }),
  z.object({ type: z.literal('realname'), state: RealNameState }),
  z.object({ type: z.literal('reader'), reader: ReaderInfo }),
]);
export type BoothEvent = z.infer<typeof BoothEvent>;

export const EVENTS_PATH = '/api/events';
/** How often the kiosk page calls kioskAlive. Not an event stream: an open stream stays open while
 *  the page's JavaScript is stuck, a ping does not. */
export const KIOSK_ALIVE_EVERY_MS = 5_000;
/** Header carrying the per-boot token; EventSource cannot set headers, so /api/events takes ?token=. */
export const TOKEN_HEADER = 'x-booth-token';
/** The running core's diagnostics token (core.json, main/doctor/runtime.ts): opens only the
 *  read-only endpoints below, for `booth doctor` and `booth status` on the same machine. */
export const DIAGNOSTICS_TOKEN_HEADER = 'x-booth-diagnostics-token';
export const DIAGNOSTIC_PATHS: readonly string[] = ['/api/doctor', '/api/status', '/api/reader'];
