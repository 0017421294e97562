// The Idempotency-Key lease of a request that is still running (issue 16, the scale test's open
// fault): the intake process holding a booth's key was SIGKILLed in the middle of the finalise, and
// its lease of 5 minutes kept the surviving process answering 409 "still being processed" to that
// booth for the whole test window (640 answers in 300 s). Now a claim lasts 30 s unless its holder
// renews it while its request runs: a live holder keeps its key for as long as it works, a dead
// one frees it within one lease. On the real store (SQLite here; the statements are the same
// kysely ones on PostgreSQL), with time moved by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IN_PROGRESS_LEASE_MS, IN_PROGRESS_RENEW_MS } from '../../intake/idempotency.ts';
import { IdempotencyStore } from '../../intake/store/idempotencyKeys.ts';
import { openSqliteStore } from '../../intake/store/db.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { eventually } from '../../testkit/eventually.ts';
import { manualClock } from '../support/manualClock.ts';

const T0 = 1_800_000_000_000;
const FP = 'f'.repeat(64);
let dir: string;
let db: Kysely<IntakeDatabase>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'idem-lease-'));
  db = await openSqliteStore(path.join(dir, 'intake.db'));
});
afterAll(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('Idempotency-Key leases across intake processes', () => {
  it('a holder that died (no renewals) blocks the key for one lease, seconds rather than minutes', async () => {
    const keys = new IdempotencyStore(db);
    const dead = await keys.claim('SC01', 'key-dead', FP, T0);
    expect(dead.kind).toBe('proceed');
    // While its lease runs, the other process answers 409 (the booth waits and asks again).
    expect(await keys.claim('SC01', 'key-dead', FP, T0 + 5_000)).toMatchObject({ kind: 'reject', status: 409 });
    // One minute later (the booth's patience, and far inside the scale test's window) the key is
    // taken over: the dead process never renewed it.
    const next = await keys.claim('SC01', 'key-dead', FP, T0 + 60_000);
    expect(next.kind).toBe('proceed');
  });

  it('a live holder renews its lease while its request runs, however long, and stops when it ends', async () => {
    const keys = new IdempotencyStore(db);
    const { clock, advance, pending } = manualClock(T0);
    const claim = await keys.claim('SC02', 'key-live', FP, clock.now());
    if (claim.kind !== 'proceed') throw new Error(claim.kind);
    let finish!: () => void;
    const work = keys.whileHeld('SC02', 'key-live', claim.owner, () => new Promise<string>((r) => (finish = () => r('done'))), clock);
    const leaseUntil = async () => (await keys.get('SC02', 'key-live'))?.lease_until;
    // Five lease lengths of ingest (a large submission on a busy server), renewal after renewal.
    for (let t = IN_PROGRESS_RENEW_MS; t <= 5 * IN_PROGRESS_LEASE_MS; t += IN_PROGRESS_RENEW_MS) {
      advance(IN_PROGRESS_RENEW_MS);
      await eventually(async () => (await leaseUntil()) === T0 + t + IN_PROGRESS_LEASE_MS, `the renewal at ${t} ms`);
      await eventually(() => pending().length === 1, 'the next renewal to be scheduled');
    }
    // Another request still finds it running.
    expect(await keys.claim('SC02', 'key-live', FP, clock.now() + 1_000)).toMatchObject({ kind: 'reject', status: 409 });
    finish();
    expect(await work).toBe('done');
    expect(pending()).toEqual([]);
    // Nothing renews it any more: one lease later it can be taken over.
    expect((await keys.claim('SC02', 'key-live', FP, clock.now() + IN_PROGRESS_LEASE_MS + 1)).kind).toBe('proceed');
  });

  it('a renewal by a holder whose lease was taken over fails and changes nothing', async () => {
    const keys = new IdempotencyStore(db);
    const first = await keys.claim('SC03', 'key-lost', FP, T0);
    const second = await keys.claim('SC03', 'key-lost', FP, T0 + IN_PROGRESS_LEASE_MS + 1);
    if (first.kind !== 'proceed' || second.kind !== 'proceed') throw new Error('claims');
    expect(await keys.renew('SC03', 'key-lost', first.owner, T0 + IN_PROGRESS_LEASE_MS + 2)).toBe(false);
    expect(await keys.get('SC03', 'key-lost')).toMatchObject({ lease_owner: second.owner, lease_until: T0 + 2 * IN_PROGRESS_LEASE_MS + 1 });
  });
});
