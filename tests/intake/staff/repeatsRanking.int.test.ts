// The store behind repeats (issue 15 item 5) and the ranking (item 6), on both stores: SQLite and a
// real Postgres 15 (tests/support/postgres.ts). Same scenario on each.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { openPostgresStore, openSqliteStore } from '../../../intake/store/db.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import {
  fillPhoneHashes,
  linkRepeat,
  linkedGroup,
  originalOf,
  phoneHashOf,
  repeatPool,
  repeatsOf,
  timesRaised,
  unlinkRepeat,
} from '../../../intake/store/repeats.ts';
import { likelyRepeats } from '../../../intake/casework/repeats.ts';
import { computeRates } from '../../../intake/casework/rates.ts';
import { ranking } from '../../../intake/casework/ranking.ts';
import { rateInputsBetween } from '../../../intake/store/ranking.ts';
import { recordResidentRating } from '../../../intake/store/residentStatus.ts';
import { phoneHash, phoneHashKey } from '../../../lib/phoneHash.ts';
import { unsealJson } from '../../../lib/sealed.ts';
import { postgresAvailable, startPostgres, type Postgres } from '../../support/postgres.ts';
import { seedCase, seedUser } from '../../support/staff.ts';

const KEY = randomBytes(32);
const HASH_KEY = phoneHashKey(KEY);
const hashOf = (sealed: string) => phoneHash(unsealJson<{ phone?: string }>(Buffer.from(sealed, 'base64'), KEY).phone, HASH_KEY);
const PERSON = (phone: string) => ({ name: '张三', idNumber: '11010519491231002X', address: '北京市朝阳区8号楼', phone });

async function scenario(db: Kysely<IntakeDatabase>): Promise<void> {
  const clerk = await seedUser(db, `clerk${randomBytes(3).toString('hex')}`, 'supervisor');
  const at = (d: number) => new Date(Date.parse('2026-11-01T02:00:00Z') + d * 86_400_000).toISOString();
  const first = await seedCase(
    db,
    { receivedAt: at(0), summary: '餐馆排风噪音', location: '3号楼 餐馆', category: 'noise', identity: PERSON('13812345678') },
    KEY,
  );
  const second = await seedCase(db, { receivedAt: at(5), summary: '又是排风噪音', location: '3号楼餐馆', category: 'noise' }, KEY);
  // Same resident (phone written another way), other place and category.
  const third = await seedCase(
    db,
    { receivedAt: at(9), summary: '还是那个餐馆', location: '北门', category: 'property', identity: PERSON('+86 138-1234-5678') },
    KEY,
  );
  const farAway = await seedCase(db, { receivedAt: at(60), summary: '排风噪音', location: '3号楼餐馆', category: 'noise' }, KEY);
  const otherPlace = await seedCase(db, { receivedAt: at(3), summary: '噪音', location: '8号楼', category: 'noise' }, KEY);

  // Suggestions for the second case: the first by place and category; not the far one, not another place.
  const from = at(5 - 30),
    to = at(5 + 30);
  expect(await fillPhoneHashes(db, at(-100), at(100), hashOf)).toBe(5);
  expect(await fillPhoneHashes(db, at(-100), at(100), hashOf)).toBe(0);
  expect(await phoneHashOf(db, first.id)).toBe(await phoneHashOf(db, third.id));
  expect(await phoneHashOf(db, second.id)).toBeNull();
  const pool2 = await repeatPool(db, { id: second.id, receivedAt: at(5), category: 'noise' }, null, from, to);
  const s2 = likelyRepeats({ id: second.id, category: 'noise', location: '3号楼餐馆' }, pool2.rows, pool2.samePhone);
  expect(s2.map((s) => [s.caseNumber, s.reasons])).toEqual([[first.caseNumber, ['place']]]);
  // For the third: the first by the same phone (hash), though place and category differ.
  const pool3 = await repeatPool(
    db,
    { id: third.id, receivedAt: at(9), category: 'property' },
    await phoneHashOf(db, third.id),
    at(9 - 30),
    at(9 + 30),
  );
  const s3 = likelyRepeats({ id: third.id, category: 'property', location: '北门' }, pool3.rows, pool3.samePhone);
  expect(s3.map((s) => [s.caseNumber, s.reasons])).toEqual([[first.caseNumber, ['phone']]]);
  void farAway;
  void otherPlace;

  // Linked from the original's side or the repeat's: the earlier is always the original.
  expect(await linkRepeat(db, first.id, second.id, clerk.id, Date.now())).toEqual({ ok: true, originalId: first.id, repeatId: second.id });
  expect(await linkRepeat(db, second.id, first.id, clerk.id, Date.now())).toEqual({ ok: false, reason: 'already_linked' });
  expect(await linkRepeat(db, first.id, first.id, clerk.id, Date.now())).toEqual({ ok: false, reason: 'same_case' });
  // Linking the third to the second (a repeat) lands on the first: no chains.
  expect(await linkRepeat(db, third.id, second.id, clerk.id, Date.now())).toEqual({ ok: true, originalId: first.id, repeatId: third.id });
  expect(await linkRepeat(db, third.id, first.id, clerk.id, Date.now())).toEqual({ ok: false, reason: 'already_linked' });
  expect((await repeatsOf(db, first.id)).map((r) => r.caseNumber)).toEqual([second.caseNumber, third.caseNumber]);
  expect((await originalOf(db, third.id))?.caseNumber).toBe(first.caseNumber);
  expect([...(await linkedGroup(db, second.id))].sort()).toEqual([first.id, second.id, third.id].sort());
  // A case marked duplicate of the first (the older one-way link) counts too.
  const dup = await seedCase(db, { receivedAt: at(12), summary: '重复', location: '3号楼餐馆', category: 'noise' }, KEY);
  await db.updateTable('cases').set({ duplicate_of: first.caseNumber, status: 'duplicate' }).where('id', '=', dup.id).execute();
  expect((await timesRaised(db, [first.id, farAway.id])).get(first.id)).toBe(4);
  expect((await timesRaised(db, [first.id, farAway.id])).get(farAway.id)).toBeUndefined();
  expect((await originalOf(db, dup.id))?.id).toBe(first.id);
  // Both sides have a history line; unlinking writes one too.
  const hist = async (id: string) =>
    (await db.selectFrom('case_history').select('detail').where('case_id', '=', id).where('action', '=', 'link_repeat').execute()).map(
      (h) => JSON.parse(h.detail) as Record<string, unknown>,
    );
  expect(await hist(first.id)).toEqual([{ repeat: second.caseNumber }, { repeat: third.caseNumber }]);
  expect(await hist(second.id)).toEqual([{ repeatOf: first.caseNumber }]);
  expect(await unlinkRepeat(db, third.id, clerk.id, Date.now())).toBe(true);
  expect(await unlinkRepeat(db, third.id, clerk.id, Date.now())).toBe(false);
  expect((await repeatsOf(db, first.id)).map((r) => r.caseNumber)).toEqual([second.caseNumber, dup.caseNumber]);
}

/** The rate inputs: callbacks in the window, and resident ratings of cases not yet called back. */
async function rankingScenario(db: Kysely<IntakeDatabase>): Promise<void> {
  const u = (n: string) => `u-${n}-${randomBytes(2).toString('hex')}`;
  const units = { a: u('a'), b: u('b') };
  for (const [k, id] of Object.entries(units))
    await db
      .insertInto('units')
      .values({ id, name: `单位${k}` })
      .execute();
  const cb = async (unit: string, day: string, solved: boolean, sat: string | null) => {
    const c = await seedCase(db, { receivedAt: `${day}T01:00:00.000Z`, summary: '排名', unitId: unit, status: 'called_back' });
    await db
      .updateTable('cases')
      .set({ callback_at: `${day}T07:00:00.000Z`, callback_contacted: 1, callback_solved: solved ? 1 : 0, callback_satisfaction: sat })
      .where('id', '=', c.id)
      .execute();
    return c.id;
  };
  await cb(units.a, '2026-12-01', true, 'satisfied'); // previous week: a perfect
  await cb(units.b, '2026-12-02', false, 'unsatisfied');
  const a1 = await cb(units.a, '2026-12-08', false, 'satisfied'); // this week: a unsolved; b solved
  await cb(units.b, '2026-12-09', true, 'satisfied');
  await recordResidentRating(db, a1, 'unsatisfied', Date.parse('2026-12-10T03:00:00Z')); // the resident's word wins
  const open = await seedCase(db, { receivedAt: '2026-12-08T01:00:00.000Z', summary: '未回访', unitId: units.b, status: 'answered' });
  await recordResidentRating(db, open.id, 'basically', Date.parse('2026-12-09T03:00:00Z'));
  await cb(units.a, '2026-12-20', true, 'satisfied'); // outside the window
  const inputs = (await rateInputsBetween(db, '2026-11-30T16:00:00.000Z', '2026-12-13T16:00:00.000Z')).filter((r) =>
    Object.values(units).includes(r.unitId ?? ''),
  );
  expect(inputs).toHaveLength(5);
  const rows = computeRates(inputs, 'unit', 'week');
  const r = ranking(
    rows.filter((x) => x.period === '2026-12-07'),
    rows.filter((x) => x.period === '2026-11-30'),
  );
  expect(r.map((x) => [x.label, x.rank, x.previousRank, x.change, x.evaluated, x.rated, x.residentRated, x.satisfactionRate])).toEqual([
    ['单位b', 1, 2, 1, 1, 2, 1, 1],
    ['单位a', 2, 1, -1, 1, 1, 1, 0],
  ]);
}

describe('repeats and ranking store on SQLite', () => {
  let dir: string;
  let db: Kysely<IntakeDatabase>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'repeats-'));
    db = await openSqliteStore(path.join(dir, 'intake.db'));
  });
  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  it('repeats: suggestions by place and by phone hash, links both ways, counts', () => scenario(db));
  it('ranking: callbacks and resident ratings in the window, ranked with the change', () => rankingScenario(db));
});

if (!postgresAvailable()) console.warn('repeats.pg: Postgres 15 binaries not found in /usr/lib/postgresql/15/bin');
describe.runIf(postgresAvailable())('repeats and ranking store on Postgres 15', () => {
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
  it('repeats: suggestions by place and by phone hash, links both ways, counts', () => scenario(db));
  it('ranking: callbacks and resident ratings in the window, ranked with the change', () => rankingScenario(db));
});
