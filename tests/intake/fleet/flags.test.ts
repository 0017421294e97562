import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_LIMITS, fleetFlags, fleetOrder, type BoothHealthInput } from '../../../intake/fleet/flags.ts';

const NOW = Date.UTC(2026, 10, 25, 4, 0);
const MIN = 60_000;
const healthy: BoothHealthInput = {
  revoked: false,
  lastHeartbeatAt: NOW - 2 * MIN,
  oldestUnsentAgeMs: null,
  diskFreeBytes: 50e9,
  diskNeedBytes: null,
  clockSkewMs: 300,
  faultyDevices: [],
  lastError: null,
  alerts: [],
};

describe('fleet flags', () => {
  it.each<[string, Partial<BoothHealthInput>, string[]]>([
    ['healthy booth', {}, []],
    ['heard 9 min 59 s ago', { lastHeartbeatAt: NOW - 10 * MIN + 1000 }, []],
    ['not heard for 10 minutes', { lastHeartbeatAt: NOW - 10 * MIN }, ['silent']],
    ['never heard since enrolment', { lastHeartbeatAt: null }, ['never-heard']],
    ['oldest unsent older than the limit', { oldestUnsentAgeMs: DEFAULT_FLEET_LIMITS.oldestUnsentMaxMs + 1 }, ['queue-stuck']],
    [
      'oldest unsent just under the limit but silent since: aged on',
      { oldestUnsentAgeMs: DEFAULT_FLEET_LIMITS.oldestUnsentMaxMs - MIN, lastHeartbeatAt: NOW - 20 * MIN },
      ['silent', 'queue-stuck'],
    ],
    ['low disk (a booth that does not say what it needs: the fixed limit)', { diskFreeBytes: 1e9 }, ['disk-low']],
    ['0.8 GB free on a small disk, 0.7 GB needed to record: not low', { diskFreeBytes: 0.8e9, diskNeedBytes: 0.7e9 }, []],
    ['40 GB free, below what this booth needs to record', { diskFreeBytes: 40e9, diskNeedBytes: 41e9 }, ['disk-low']],
    ['clock 2 min ahead: not flagged', { clockSkewMs: 2 * MIN }, []],
    ['clock 3 min behind', { clockSkewMs: -3 * MIN }, ['clock-skew']],
    ['clock a day ahead', { clockSkewMs: 24 * 60 * MIN }, ['clock-skew']],
    ['reader fault', { faultyDevices: ['reader'] }, ['device-fault']],
    [
      'the booth raised an alert (its own disk threshold)',
      { alerts: ['disk nearly full: 400 MiB free, below the 512 MiB the booth needs to take new recordings'] },
      ['booth-alert'],
    ],
    ['revoked booths are never flagged', { revoked: true, lastHeartbeatAt: null }, []],
  ])('%s', (_n, patch, kinds) => {
    expect(fleetFlags({ ...healthy, ...patch }, NOW).map((f) => f.kind)).toEqual(kinds);
  });

  it('honours a configured unsent-age limit', () => {
    const b = { ...healthy, oldestUnsentAgeMs: 90 * MIN };
    expect(fleetFlags(b, NOW, { ...DEFAULT_FLEET_LIMITS, oldestUnsentMaxMs: 60 * MIN }).map((f) => f.kind)).toEqual(['queue-stuck']);
    expect(fleetFlags(b, NOW, { ...DEFAULT_FLEET_LIMITS, oldestUnsentMaxMs: 120 * MIN })).toEqual([]);
  });

  it('lists flagged booths first, longest silent first, then by code', () => {
    const rows = [
      { code: 'FT03', flags: [], lastHeartbeatAt: NOW },
      { code: 'FT02', flags: [{ kind: 'silent' as const, sinceMs: 1 }], lastHeartbeatAt: NOW - 20 * MIN },
      { code: 'FT01', flags: [{ kind: 'silent' as const, sinceMs: 1 }], lastHeartbeatAt: NOW - 60 * MIN },
      { code: 'FT00', flags: [], lastHeartbeatAt: NOW },
    ];
    expect(fleetOrder(rows).map((r) => r.code)).toEqual(['FT01', 'FT02', 'FT00', 'FT03']);
  });
});
