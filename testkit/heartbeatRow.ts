// A booth_heartbeats row as the intake stores one (intake/store/delivery.ts addHeartbeat), for tests
// that write heartbeats straight into a store: a healthy booth with nothing waiting.
import type { Insertable } from 'kysely';
import type { BoothHeartbeatsTable } from '../intake/store/schema.ts';

export function heartbeatRow(boothCode: string, receivedAt: number): Insertable<BoothHeartbeatsTable> {
  return {
    booth_code: boothCode,
    received_at: receivedAt,
    sent_at: new Date(receivedAt).toISOString(),
    version: '0.1.0',
    queue_depth: 0,
    oldest_unsent_sec: null,
    bytes_waiting: 0,
    disk_free_bytes: 1e9,
    disk_total_bytes: 2e9,
    devices_json: '{}',
    last_error: null,
    alerts_json: '[]',
  };
}
