import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_LIMITS, fleetFlags, fleetOrder, type BoothHealthInput } from '../../../intake/fleet/flags.ts';

const NOW = Date.UTC(2026, 10, 25, 4, 0);
const MIN = 60_000;
const healthy: BoothHealthInput = { revoked: false, lastHeartbeatAt: NOW - 2 * MIN, oldestUnsentAgeMs: null, diskFreeBytes: 50e9, faultyDevices: [], lastError: null, alerts: [] };

describe('fleet flags', () => {
  it.each<[string, Partial<BoothHealthInput>, string[]]>([
    ['healthy booth', {}, []],
    ['heard 9 min 59 s ago', { lastHeartbeatAt: NOW - 10 * MIN + 1000 }, []],
    ['not heard for 10 minutes', { lastHeartbeatAt: NOW - 10 * MIN }, ['silent']],
    ['never heard since enrolment', { lastHeartbeatAt: null }, ['never-heard']],
    ['oldest unsent older than the limit', { oldestUnsentAgeMs: DEFAULT_FLEET_LIMITS.oldestUnsentMaxMs + 1 }, ['queue-stuck']],
    ['oldest unsent just under the limit but silent since: aged on', { oldestUnsentAgeMs: DEFAULT_FLEET_LIMITS.oldestUnsentMaxMs - MIN, lastHeartbeatAt: NOW - 20 * MIN }, ['silent', 'queue-stuck']],
    ['low disk', { diskFreeBytes: 1e9 }, ['disk-low']],
    ['reader fault', { faultyDevices: ['reader'] }, ['device-fault']],
    ['the booth raised an alert (its own disk threshold)', { alerts: ['disk nearly full: 400 MiB free, below the 512 MiB the booth needs to take new recordings'] }, ['booth-alert']],
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
