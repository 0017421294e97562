// What the resident flow needs from the booth core. FlowApp takes this interface, so its screens
// do not care how the core is reached; coreApi.ts implements it on the one contract.
import type { CameraRole, CaptureKind, Category, ErrorCode, ItemSummary, KioskConfig, Language, Receipt } from '../../contract/kiosk.ts';

/** Used until the core answers (and if it never does, the booth still records). */
export const DEFAULT_SETTINGS: KioskConfig = {
  boothCode: 'SIM01',
  language: 'zh-CN',
  idleTimeoutSec: 90,
  idleWarningSec: 20,
  limits: { videoSec: 180, audioSec: 300, photos: 9, itemBytes: 200 * 1024 * 1024 },
  resident: {
    promptVolume: 1,
    welcomeOnMotion: false,
    callbackDays: 7,
    printer: false,
    realnameAvailable: false,
    keepDaysAfterDelivery: 0,
  },
  storageLow: false,
  outOfService: null,
};

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorCode };

export interface SubmitInput {
  /** The flow's own session key (one per visit to the booth); the core session is made lazily. */
  sessionKey: string;
  phone: string | null;
  /** Opaque reference from the real-name flow (renderer/realname/); the core attaches the sealed identity. */
  realnameRef: string | null;
  category: Category | null;
  location: string | null;
  /** The items on the resident's screen: submit waits for their upload to the core, and refuses if one did not make it. */
  itemIds: string[];
}

/** A recording held for review at once, under an id the kiosk made; its upload to the core runs behind. */
export interface HeldItem {
  item: ItemSummary;
  /** Settles when the core holds the recording (its own summary) or could not take it. */
  staged: Promise<Outcome<ItemSummary>>;
}

export interface FlowApi {
  settings(): Promise<KioskConfig>;
  /** Hands one captured item to the core, which takes it at once (review can show it) and checks it behind. */
  /** `replaces`: the item a re-do's new take will replace (kept until this one is in). */
  stageItem(
    sessionKey: string,
    language: Language,
    kind: CaptureKind,
    blob: Blob,
    camera: CameraRole | null,
    replaces?: string | null,
  ): Promise<Outcome<ItemSummary>>;
  /**
   * Hands a recording to the core without waiting for it: review plays the browser's own copy while
   * the upload and the core's checks run behind. The other calls take the returned id and wait for
   * the upload where they need the core's copy (checkItem, dropItem, a re-do's `replaces`, submit).
   */
  holdItem(
    sessionKey: string,
    language: Language,
    kind: CaptureKind,
    blob: Blob,
    camera: CameraRole | null,
    replaces: string | null,
    durationSec: number | null,
  ): HeldItem;
  /** Waits for the core's checks of a staged item (remux, ffprobe, hash, poster): its summary, or why it was refused. */
  checkItem(sessionKey: string, itemId: string): Promise<Outcome<ItemSummary>>;
  /** Forgets a staged item (deleted or replaced by a re-do). */
  dropItem(sessionKey: string, itemId: string): Promise<void>;
  /** Forgets the whole unfinished session: its staged files are removed from disk. */
  discardSession(sessionKey: string): Promise<void>;
  submit(input: SubmitInput): Promise<Outcome<Pick<Receipt, 'caseNumber' | 'submissionId' | 'residentNumber' | 'statusUrl'>>>;
  printReceipt(submissionId: string, language: Language): Promise<boolean>;
}
