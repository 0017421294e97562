// What the kiosk is told about the booth: its configuration (GET /api/config) and its status
// (GET /api/status, the status events), from the local config, the back office's settings and the
// booth's state. Pure: every input is handed in.
import type { BoothSettings } from '../contract/booth.ts';
import type { BoothStatus, KioskConfig } from '../contract/kiosk.ts';
import type { OutboxSummary } from '../uploader/outbox.ts';
import type { BoothConfig } from './config.ts';
import type { DiskState } from './disk.ts';
import type { OutOfService } from './enrolment.ts';
import type { HardwareMapping } from './technician/mapping.ts';

/** Recording limits: the back office's once it has sent settings, else the local config's. */
export function effectiveLimits(config: BoothConfig, settings: BoothSettings): BoothConfig['limits'] {
  return settings.revision > 0 ? { ...config.limits, ...settings.limits } : config.limits;
}

export interface KioskState {
  config: BoothConfig;
  settings: BoothSettings;
  hardware: HardwareMapping;
  /** Whether the ID-card reader answers now. */
  readerReady: boolean;
  /** The last measured disk state. */
  storageLow: boolean;
  outOfService: OutOfService | null;
}

export function kioskConfigOf(k: KioskState): KioskConfig {
  const c = k.config;
  const s = k.settings;
  const l = effectiveLimits(c, s);
  const idleTimeoutSec = s.revision > 0 ? s.idleTimeoutSec : c.idleTimeoutSec;
  return {
    boothCode: c.boothCode,
    hardware: k.hardware,
    backOffice: {
      revision: s.revision,
      quickPickPlaces: s.quickPickPlaces,
      receiptText: s.receiptText,
      prompts: s.prompts,
      quietHours: s.quietHours,
      updatesEnabled: s.updatesEnabled,
      nightlyRestart: s.nightlyRestart,
      categories: s.categories,
    },
    language: c.language,
    idleTimeoutSec,
    idleWarningSec: Math.min(s.revision > 0 ? s.idleWarningSec : c.idleWarningSec, idleTimeoutSec - 1),
    limits: { videoSec: l.videoSec, audioSec: l.audioSec, photos: l.photos, itemBytes: l.itemBytes },
    resident: {
      promptVolume: c.resident.promptVolume,
      welcomeOnMotion: c.resident.welcomeOnMotion,
      callbackDays: c.resident.callbackDays,
      printer: c.printer !== null,
      // Offered only while a reader answers (issue 20): no reader, an unplugged one or a SAM
      // fault → anonymous only, as doctor, the service screen and the heartbeat say. A reader that
      // fails mid-read is the real-name screen's own error (renderer/realname/).
      realnameAvailable: k.readerReady,
      // Told to the resident on the summary screen (issue 18): how long the sealed recordings stay.
      keepDaysAfterDelivery: s.mediaRetentionDays,
    },
    // The last measured state; GET /api/config measures afresh before answering.
    storageLow: k.storageLow,
    outOfService: k.outOfService,
  };
}

export function statusOf(s: { boothCode: string; version: string; outbox: OutboxSummary; disk: DiskState; nowMs: number }): BoothStatus {
  const o = s.outbox;
  return {
    boothCode: s.boothCode,
    version: s.version,
    outbox: {
      waiting: o.waiting,
      failed: o.failed,
      delivered: o.delivered,
      oldestWaitingSec: o.oldestWaitingSavedAt ? Math.max(0, Math.round((s.nowMs - Date.parse(o.oldestWaitingSavedAt)) / 1000)) : null,
      lastError: o.lastError,
    },
    disk: s.disk,
  };
}
