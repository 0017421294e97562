import { describe, expect, it } from 'vitest';
import { diskAlert, planRetention, type RetentionRow } from '../../uploader/retention.ts';

const DAY = 86_400_000;
const NOW = 100 * DAY;

describe('retention plan', () => {
  const rows: RetentionRow[] = [
    { submissionId: 'saved-old', delivered: false, deliveredAt: null, hasIdentity: true, hasMedia: true },
    { submissionId: 'delivered-now', delivered: true, deliveredAt: NOW - 1_000, hasIdentity: true, hasMedia: true },
    { submissionId: 'delivered-6d', delivered: true, deliveredAt: NOW - 6 * DAY, hasIdentity: false, hasMedia: true },
    { submissionId: 'delivered-7d', delivered: true, deliveredAt: NOW - 7 * DAY, hasIdentity: false, hasMedia: true },
    { submissionId: 'purged', delivered: true, deliveredAt: NOW - 30 * DAY, hasIdentity: false, hasMedia: false },
  ];
  it('wipes identity at once after delivery, media after N days, never anything unsent', () => {
    expect(planRetention(rows, NOW, { mediaDays: 7, diskAlertFraction: 0.9 })).toEqual({
      wipeIdentity: ['delivered-now'],
      deleteMedia: ['delivered-7d'],
    });
  });
  it('unsent media survives any age and any disk pressure', () => {
    const plan = planRetention(rows, NOW + 10_000 * DAY, { mediaDays: 0, diskAlertFraction: 0 });
    expect(plan.deleteMedia).not.toContain('saved-old');
    expect(plan.wipeIdentity).not.toContain('saved-old');
  });
});

describe('disk alert', () => {
  it.each([
    [{ totalBytes: 100, freeBytes: 50 }, false],
    [{ totalBytes: 100, freeBytes: 11 }, false],
    [{ totalBytes: 100, freeBytes: 10 }, true],
    [{ totalBytes: 100, freeBytes: 0 }, true],
    [{ totalBytes: 0, freeBytes: 0 }, false],
  ])('%j → alert %s', (usage, alert) => {
    expect(diskAlert(usage) !== null).toBe(alert);
  });

  // The refusal threshold of the booth core (minFreeBytes) also raises the alert, so on a small
  // disk the back office hears before the kiosk turns residents away.
  const GiB = 1024 ** 3;
  it.each([
    [{ totalBytes: 4 * GiB, freeBytes: 0.4 * GiB }, 0.5 * GiB, /below the 512 MiB/],
    [{ totalBytes: 4 * GiB, freeBytes: 0.6 * GiB }, 0.5 * GiB, null],
    [{ totalBytes: 4 * GiB, freeBytes: 0.3 * GiB }, 0, /9[23] % full/],
    [{ totalBytes: 100 * GiB, freeBytes: 8 * GiB }, 0.5 * GiB, /92 % full/],
  ])('%j with minFreeBytes %d → %s', (usage, minFree, expected) => {
    const alert = diskAlert(usage, { diskAlertFraction: 0.9 }, minFree);
    if (expected === null) expect(alert).toBeNull();
    else expect(alert).toMatch(expected);
  });
});
