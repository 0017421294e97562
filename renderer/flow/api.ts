// What the resident flow needs from the booth core. FlowApp takes this interface, so its screens
// do not care how the core is reached; coreApi.ts implements it on the one contract.
import type { DeviceMapping } from './devices.ts';
import type { CaptureKind, Category } from './machine.ts';

export interface FlowSettings {
  idleSeconds: number;
  warnSeconds: number;
  videoLimitSeconds: number;
  audioLimitSeconds: number;
  maxPhotos: number;
  /** Quick picks for "where", configured per village (e.g. building numbers). */
  locations: string[];
  printerConfigured: boolean;
  /** 0..1, applied to every spoken prompt. */
  promptVolume: number;
  /** Working days within which staff call back (shown on the receipt). */
  callbackDays: number;
  devices: DeviceMapping;
  /** The core says it cannot take new recordings (disk nearly full). */
  storageLow: boolean;
  /** Whether the real-name (ID card) flow is available on this booth. */
  realnameAvailable: boolean;
}

export const DEFAULT_SETTINGS: FlowSettings = {
  idleSeconds: 90,
  warnSeconds: 10,
  videoLimitSeconds: 180,
  audioLimitSeconds: 300,
  maxPhotos: 9,
  locations: [],
  printerConfigured: false,
  promptVolume: 1,
  callbackDays: 7,
  devices: {},
  storageLow: false,
  realnameAvailable: false,
};

export interface StagedItem {
  id: string;
  kind: CaptureKind;
  durationMs: number | null;
  /** URL of a poster frame (videos), served by the core. */
  posterUrl: string | null;
}

export type StageError = 'invalid' | 'too-large' | 'storage-low' | 'failed';

export interface SubmitInput {
  sessionId: string;
  itemIds: string[];
  phone: string | null;
  realnameRef: string | null;
  category: Category | null;
  location: string | null;
  lang: 'zh' | 'en';
}

export interface FlowApi {
  settings(): Promise<FlowSettings>;
  /** Hands one captured item to the core, which validates it (ffprobe) and keeps it staged. */
  stageItem(sessionId: string, kind: CaptureKind, blob: Blob): Promise<{ ok: true; item: StagedItem } | { ok: false; error: StageError }>;
  /** Forgets a staged item (deleted or re-done). */
  dropItem(sessionId: string, itemId: string): Promise<void>;
  /** Forgets the whole unfinished session: staged files are removed from disk. */
  discardSession(sessionId: string): Promise<void>;
  submit(input: SubmitInput): Promise<{ ok: true; caseNumber: string; qrText: string } | { ok: false; error: string }>;
  printReceipt(sessionId: string): Promise<boolean>;
}
