import { describe, expect, it } from 'vitest';
import { decideNightlyRestart, DEFAULT_NIGHTLY_RESTART, nightlyRestartPolicy } from '../../../main/kiosk/nightlyRestart.ts';

const local = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, 16, 0) + (hh * 60 + mm) * 60_000; // Asia/Shanghai
const H = 3600_000;
const p = DEFAULT_NIGHTLY_RESTART; // 03:00-04:00, 6 h minimum uptime

describe('nightly restart', () => {
  it.each([
    [
      'restarts an old process in the window',
      { now: local(3, 10), startedAt: local(3, 10) - 30 * H, sessionActive: false },
      { restart: true },
    ],
    [
      'waits outside the window',
      { now: local(14), startedAt: local(0) - 30 * H, sessionActive: false },
      { restart: false, reason: 'outside-window', checkAgainAt: local(27) },
    ],
    [
      'does not restart twice in one window',
      { now: local(3, 2), startedAt: local(3, 1), sessionActive: false },
      { restart: false, reason: 'too-young', checkAgainAt: local(3, 1) + 6 * H },
    ],
    [
      'does not cut a resident off',
      { now: local(3, 30), startedAt: local(3) - 30 * H, sessionActive: true },
      { restart: false, reason: 'session-active', checkAgainAt: local(3, 31) },
    ],
  ])('%s', (_n, s, expected) => {
    expect(decideNightlyRestart(p, s)).toEqual(expected);
  });

  it('can be switched off', () => {
    expect(decideNightlyRestart({ ...p, enabled: false }, { now: local(3, 10), startedAt: 0, sessionActive: false })).toEqual({
      restart: false,
      reason: 'disabled',
      checkAgainAt: null,
    });
  });

  it('a too-young process asked again when old enough is then outside the window (so: tomorrow)', () => {
    const startedAt = local(3, 1);
    const d = decideNightlyRestart(p, { now: local(3, 2), startedAt, sessionActive: false });
    if (d.restart || d.checkAgainAt === null) throw new Error('expected a later check');
    const again = decideNightlyRestart(p, { now: d.checkAgainAt, startedAt, sessionActive: false });
    expect(again).toEqual({ restart: false, reason: 'outside-window', checkAgainAt: local(27) });
  });

  it.each([
    ['no settings yet: the default', null, {}, { ...p, enabled: true }],
    [
      'settings revision 0 (never sent): the default',
      { revision: 0, quietHours: { start: '01:00', end: '02:00' }, nightlyRestart: false },
      {},
      { ...p, enabled: true },
    ],
    [
      "the back office's quiet hours",
      { revision: 3, quietHours: { start: '01:00', end: '02:00' }, nightlyRestart: true },
      {},
      { ...p, window: { start: '01:00', end: '02:00' }, enabled: true },
    ],
    ['switched off by the back office', { revision: 3, quietHours: p.window, nightlyRestart: false }, {}, { ...p, enabled: false }],
    [
      'switched off locally (BOOTH_NIGHTLY_RESTART=0)',
      { revision: 3, quietHours: p.window, nightlyRestart: true },
      { BOOTH_NIGHTLY_RESTART: '0' },
      { ...p, enabled: false },
    ],
    ['switched off locally before any settings', null, { BOOTH_NIGHTLY_RESTART: '0' }, { ...p, enabled: false }],
  ])('policy: %s', (_n, bo, env, expected) => {
    expect(nightlyRestartPolicy(bo, env)).toEqual(expected);
  });
});
