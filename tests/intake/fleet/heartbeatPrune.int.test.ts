// Heartbeat history at the intake is pruned by its housekeeping (intake/server.ts, on the injected
// clock): older than 8 days goes, each booth's latest stays however old (the fleet view's "last
// heard" of a long-silent booth). On both stores, SQLite and Postgres.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEARTBEAT_KEEP_MS } from '../../../intake/fleet/flags.ts';
import { createIntake, HOUSEKEEPING_MS, type Intake } from '../../../intake/server.ts';
import { heartbeatRow } from '../../../testkit/heartbeatRow.ts';
import { manualClock } from '../../support/manualClock.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';
import { eventually } from '../../support/stack.ts';

const matrix = storeMatrix('fleet/heartbeatPrune');
afterAll(() => matrix.stop());

const H = 3_600_000;
const D = 24 * H;
const T0 = Date.UTC(2026, 10, 2, 8); // any fixed instant: the clock is moved by hand

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  let dir: string;
  let intake: Intake;
  const time = manualClock(T0);

  const add = (booth: string, at: number) => intake.delivery.addHeartbeat(heartbeatRow(booth, at));
  const ages = async (booth: string) =>
    (await intake.delivery.heartbeatHistory(booth, 1000)).map((r) => (time.clock.now() - r.received_at) / H).sort((a, b) => a - b);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'hb-prune-'));
    intake = await createIntake({
      dataDir: dir,
      clock: time.clock,
      now: () => time.clock.now(),
      ...(await matrix.options(store, 'hbprune')),
    });
    // FT01 heartbeats now and then; FT02 has been silent for three weeks.
    for (const age of [10 * D, 9 * D, 8 * D + 1, 8 * D - H, 2 * H]) await add('FT01', T0 - age);
    for (const age of [30 * D, 21 * D]) await add('FT02', T0 - age);
  });
  afterAll(async () => {
    await intake?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps 8 days, and the latest heartbeat of a booth silent for longer', async () => {
    expect(HEARTBEAT_KEEP_MS).toBe(8 * D);
    time.advance(0); // housekeeping at start
    await eventually(async () => (await ages('FT01')).length === 2, 'FT01 pruned to 8 days');
    expect(await ages('FT01')).toEqual([2, 8 * 24 - 1]);
    expect(await ages('FT02')).toEqual([21 * 24]);
    expect((await intake.delivery.latest('FT02'))?.receivedAt).toBe(T0 - 21 * D);
  });

  it('runs again with the housekeeping, twice a day', async () => {
    time.advance(HOUSEKEEPING_MS);
    // The heartbeat 8 days less an hour old is now older than 8 days.
    await eventually(async () => (await ages('FT01')).length === 1, 'the next housekeeping');
    expect(await ages('FT01')).toEqual([2 + HOUSEKEEPING_MS / H]);
    expect(await ages('FT02')).toEqual([21 * 24 + HOUSEKEEPING_MS / H]);
  });

  it('pruneHeartbeats says how many went', async () => {
    await add('FT03', time.clock.now() - 9 * D);
    await add('FT03', time.clock.now() - 9 * D + 1);
    await add('FT03', time.clock.now());
    expect(await intake.delivery.pruneHeartbeats(time.clock.now() - HEARTBEAT_KEEP_MS)).toBe(2);
    expect(await intake.delivery.pruneHeartbeats(time.clock.now() - HEARTBEAT_KEEP_MS)).toBe(0);
  });
});
