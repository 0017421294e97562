import { describe, expect, it } from 'vitest';
import { decideUpdate, SESSION_RECHECK_MS, type UpdateInputs } from '../../../main/update/decide.ts';
import { compareVersions } from '../../../main/version.ts';

const local = (hh: number, mm = 0) => Date.UTC(2026, 10, 24, 16, 0) + (hh * 60 + mm) * 60_000; // Asia/Shanghai
const base: UpdateInputs = {
  now: local(3),
  currentVersion: '1.2.0',
  offered: { version: '1.3.0', signatureValid: true },
  rejectedVersions: [],
  downloadedVersion: '1.3.0',
  quietHours: { start: '02:00', end: '05:00' },
  timeZone: 'Asia/Shanghai',
  sessionActive: false,
  enabled: true,
};

describe('update decision', () => {
  it.each<[string, Partial<UpdateInputs>, ReturnType<typeof decideUpdate>]>([
    ['installs a newer signed, downloaded release in quiet hours', {}, { action: 'install', version: '1.3.0' }],
    ['does nothing when switched off', { enabled: false }, { action: 'none', reason: 'disabled' }],
    ['does nothing without an offer', { offered: null }, { action: 'none', reason: 'no-offer' }],
    ['refuses an unsigned manifest', { offered: { version: '1.3.0', signatureValid: false } }, { action: 'none', reason: 'unsigned' }],
    ['ignores the same version', { offered: { version: '1.2.0', signatureValid: true } }, { action: 'none', reason: 'not-newer' }],
    ['never downgrades', { offered: { version: '1.1.9', signatureValid: true } }, { action: 'none', reason: 'not-newer' }],
    [
      'a prerelease of the current version is older',
      { offered: { version: '1.2.0-rc.1', signatureValid: true } },
      { action: 'none', reason: 'not-newer' },
    ],
    [
      'never reinstalls a version that failed its self-test here',
      { rejectedVersions: ['1.3.0'] },
      { action: 'none', reason: 'rejected-before' },
    ],
    ['refuses a garbage version', { offered: { version: 'latest', signatureValid: true } }, { action: 'none', reason: 'bad-version' }],
    ['downloads first, at any hour', { downloadedVersion: null, now: local(14) }, { action: 'download', version: '1.3.0' }],
    ['downloads the newer one when an older one is downloaded', { downloadedVersion: '1.2.5' }, { action: 'download', version: '1.3.0' }],
    [
      'waits for quiet hours',
      { now: local(14) },
      { action: 'wait', version: '1.3.0', reason: 'outside-quiet-hours', checkAgainAt: local(26) },
    ],
    [
      'waits for a resident to finish',
      { sessionActive: true },
      { action: 'wait', version: '1.3.0', reason: 'session-active', checkAgainAt: local(3) + SESSION_RECHECK_MS },
    ],
  ])('%s', (_name, patch, expected) => {
    expect(decideUpdate({ ...base, ...patch })).toEqual(expected);
  });

  it.each([
    ['1.0.0', '1.0.1', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0-rc.2', '2.0.0-rc.10', -1],
    ['2.0.0-rc.1', '2.0.0', -1],
    ['2.0.0-alpha', '2.0.0-1', 1],
    ['v1.2.3', '1.2.3', 0],
  ])('compareVersions(%s, %s) = %i', (a, b, c) => {
    expect(compareVersions(a, b)).toBe(c);
  });
});
