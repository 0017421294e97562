// What the kiosk is told about the booth (main/kioskView.ts): the local config until the back
// office has sent settings, then the back office's; the status figures. Pure.
import { describe, expect, it } from 'vitest';
import { DEFAULT_BOOTH_SETTINGS } from '../../contract/booth.ts';
import { BoothConfig } from '../../main/config.ts';
import { effectiveLimits, kioskConfigOf, statusOf, type KioskState } from '../../main/kioskView.ts';

const config = BoothConfig.parse({ boothCode: 'FT01', idleTimeoutSec: 90, idleWarningSec: 20 });
const hardware = { faceCamera: null, documentCamera: null, microphone: null, readerPort: null };
const state: KioskState = {
  config,
  settings: DEFAULT_BOOTH_SETTINGS,
  hardware,
  readerReady: false,
  storageLow: false,
  outOfService: null,
};

describe('kiosk view', () => {
  it('uses the local limits and timeouts until the back office has sent settings (revision 0)', () => {
    expect(effectiveLimits(config, DEFAULT_BOOTH_SETTINGS)).toBe(config.limits);
    const k = kioskConfigOf(state);
    expect(k.idleTimeoutSec).toBe(90);
    expect(k.idleWarningSec).toBe(20);
    expect(k.boothCode).toBe('FT01');
    expect(k.resident.realnameAvailable).toBe(false);
    expect(k.resident.keepDaysAfterDelivery).toBe(0); // recordings deleted once the intake has them
  });

  it('takes the back office settings once they came, and keeps the warning shorter than the timeout', () => {
    const settings = {
      ...DEFAULT_BOOTH_SETTINGS,
      revision: 3,
      idleTimeoutSec: 30,
      idleWarningSec: 45,
      limits: { ...DEFAULT_BOOTH_SETTINGS.limits, videoSec: 42 },
      mediaRetentionDays: 5,
    };
    expect(effectiveLimits(config, settings).videoSec).toBe(42);
    const k = kioskConfigOf({ ...state, settings, readerReady: true, storageLow: true, outOfService: 'revoked' });
    expect(k.idleTimeoutSec).toBe(30);
    expect(k.idleWarningSec).toBe(29);
    expect(k.limits.videoSec).toBe(42);
    expect(k.backOffice?.revision).toBe(3);
    expect(k.resident.realnameAvailable).toBe(true);
    expect(k.resident.keepDaysAfterDelivery).toBe(5); // what the summary screen tells the resident
    expect(k.storageLow).toBe(true);
    expect(k.outOfService).toBe('revoked');
  });

  it('says how long the oldest waiting submission has waited, never negative', () => {
    const outbox = { waiting: 2, failed: 1, delivered: 5, oldestWaitingSavedAt: '2026-11-25T02:00:00.000Z', lastError: 'http 503' };
    const disk = { freeBytes: 1e9, low: false };
    const s = statusOf({ boothCode: 'FT01', version: '1.2.3', outbox, disk, nowMs: Date.parse('2026-11-25T02:01:30.400Z') });
    expect(s.outbox).toEqual({ waiting: 2, failed: 1, delivered: 5, oldestWaitingSec: 90, lastError: 'http 503' });
    expect(s.disk).toBe(disk);
    const early = statusOf({ boothCode: 'FT01', version: '1', outbox, disk, nowMs: Date.parse('2026-11-25T01:59:00Z') });
    expect(early.outbox.oldestWaitingSec).toBe(0);
    expect(
      statusOf({ boothCode: 'FT01', version: '1', outbox: { ...outbox, oldestWaitingSavedAt: null }, disk, nowMs: 0 }).outbox
        .oldestWaitingSec,
    ).toBeNull();
  });
});
