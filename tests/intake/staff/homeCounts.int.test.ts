// The home page's tiles counted in the database (store/home.ts homeCounts, one aggregate query) give
// the same numbers as putting every open case on its clock (casework/process.ts caseClock) and
// counting the states: on SQLite and on a real Postgres 15, over cases at every stage of the clock
// (waiting for dispatch since every hour of the last three weeks, some of them returned, dispatched
// and not acknowledged, at work before and after their reminder and due instants, closed), for
// every case and for one unit's cases, at a few fixed instants (no wall clock).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, openSqliteStore } from '../../../intake/store/db.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import { homeCounts } from '../../../intake/store/home.ts';
import { caseClock, dispatchCutoffs } from '../../../intake/casework/process.ts';
import { fromWall, localDate } from '../../../intake/casework/time.ts';
import { loadCalendar, readSettings } from '../../../intake/staff/settings.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../../support/postgres.ts';
import { seedCase, seedUnit } from '../../support/staff.ts';

const H = 3_600_000;
const NOW = Date.parse('2026-11-04T02:00:00.000Z'); // a Wednesday, 10:00 in Beijing
const iso = (ms: number) => new Date(ms).toISOString();

async function seed(db: Kysely<IntakeDatabase>): Promise<string> {
  const unit = await seedUnit(db, '物业公司');
  const other = await seedUnit(db, '城管队');
  let n = 0;
  const add = async (receivedAt: number, set: Record<string, unknown>) => {
    const { id } = await seedCase(db, { receivedAt: iso(receivedAt), unitId: n++ % 3 ? unit : other });
    if (Object.keys(set).length) await db.updateTable('cases').set(set).where('id', '=', id).execute();
  };
  // Waiting for dispatch, received every 5 hours over three weeks (some in the future of the first
  // instant below); every fourth one returned to dispatch 2 hours later.
  for (let h = -30; h < 24 * 21; h += 5) await add(NOW - h * H, h % 4 === 0 ? { returned_at: iso(NOW - (h - 2) * H) } : {});
  // Dispatched, and at work, around every instant the tests look at.
  for (let h = -60; h <= 60; h += 7) {
    const t = (k: number) => iso(NOW + (h + k) * H);
    await add(NOW - 48 * H, { status: 'assigned', dispatched_at: t(-30), ack_due_at: t(0), due_at: t(100) });
    await add(NOW - 48 * H, {
      status: 'assigned',
      dispatched_at: t(-30),
      ack_due_at: t(0),
      acknowledged_at: t(-1),
      reminder_at: t(3),
      due_at: t(9),
    });
    await add(NOW - 48 * H, { status: 'in_progress', dispatched_at: t(-30), reminder_at: t(-5), due_at: t(0) });
    await add(NOW - 48 * H, { status: 'escalated', dispatched_at: t(-30), reminder_at: null, due_at: t(0) });
    await add(NOW - 48 * H, { status: 'closed', dispatched_at: t(-30), due_at: t(0), answered_at: t(-3) });
  }
  await add(NOW - 48 * H, { status: 'assigned', dispatched_at: iso(NOW - 30 * H) }); // no clock set: 'none'
  return unit;
}

async function expectTilesMatchClock(db: Kysely<IntakeDatabase>, unit: string) {
  const s = await readSettings(db);
  const cal = await loadCalendar(db);
  const rows = await db.selectFrom('cases').selectAll().execute();
  expect(rows.length).toBeGreaterThan(150);
  const seen = new Set<string>();
  for (const now of [NOW - 20 * H, NOW, NOW + 13 * H, NOW + 50 * H]) {
    for (const scope of [null, [unit]]) {
      const inScope = rows.filter((r) => scope === null || scope.includes(r.unit_id ?? ''));
      const open = inScope.filter((r) => ['new', 'assigned', 'in_progress', 'escalated'].includes(r.status));
      const states = open.map((r) => caseClock(r, now, cal, s.dispatchWorkdays, s.timeZone).state);
      states.forEach((x) => seen.add(x));
      const today = localDate(now, s.timeZone);
      const counts = await homeCounts(db, scope, {
        todayStartIso: iso(fromWall(today, '00:00', s.timeZone)),
        nowIso: iso(now),
        ...dispatchCutoffs(now, cal, s.dispatchWorkdays, s.timeZone),
      });
      expect(counts).toEqual({
        newToday: inScope.filter((r) => localDate(Date.parse(r.received_at), s.timeZone) >= today).length,
        waitingDispatch: inScope.filter((r) => r.status === 'new' && r.dispatched_at === null).length,
        dueSoon: states.filter((x) => x === 'due_soon').length,
        overdue: states.filter((x) => x === 'overdue').length,
      });
    }
  }
  // The seed reaches every state the tiles count and the ones they must not.
  expect([...seen].sort()).toEqual(['due_soon', 'none', 'overdue', 'running']);
}

describe('the home tiles on SQLite', () => {
  let dir: string;
  let db: Kysely<IntakeDatabase>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'home-counts-'));
    db = await openSqliteStore(path.join(dir, 'intake.db'));
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  it('count what the case clock says, for everyone and for one unit', async () => expectTilesMatchClock(db, await seed(db)));
});

if (!postgresAvailable())
  console.warn('homeCounts: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin (apt-get install postgresql-15)');

describe.runIf(postgresAvailable())('the home tiles on Postgres 15', () => {
  let pg: Postgres;
  let db: Kysely<IntakeDatabase>;
  beforeAll(async () => {
    pg = await startPostgres();
    db = await openPostgresStore(pg.url);
  });
  afterAll(async () => {
    await db?.destroy();
    await pg?.stop();
  });
  it('count what the case clock says, for everyone and for one unit', async () => expectTilesMatchClock(db, await seed(db)));
});
