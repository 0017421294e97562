// Webhook endpoints and the delivery outbox (issue 19). A delivery row is written per endpoint ×
// event by the history writer (caseHistory.ts) in the step's own transaction. Dispatchers — one
// per intake process — claim due deliveries with a lease (an UPDATE that only succeeds while the
// row is unleased or its lease has run out), so two processes never send the same delivery at
// once, and a process killed mid-send leaves a lease that simply expires: the delivery is sent
// again (at least once; receivers de-duplicate on the event id).
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { sealJson, unsealJson } from '../../lib/sealed.ts';
import type { CaseEventType } from '../../contract/caseEvents.ts';

type DB = Kysely<IntakeDatabase>;

export async function createEndpoint(
  db: DB,
  e: { name: string; url: string; eventTypes: string[]; secret: string; createdBy: string },
  key: Buffer,
  now: number,
): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto('webhook_endpoints')
    .values({
      id,
      name: e.name,
      url: e.url,
      secret_sealed: sealJson({ secret: e.secret }, key).toString('base64'),
      event_types: JSON.stringify(e.eventTypes),
      active: 1,
      created_at: new Date(now).toISOString(),
      created_by: e.createdBy,
    })
    .execute();
  return id;
}

export async function setEndpointActive(db: DB, id: string, active: boolean): Promise<boolean> {
  const r = await db
    .updateTable('webhook_endpoints')
    .set({ active: active ? 1 : 0 })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function listEndpoints(db: DB) {
  const eps = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'name', 'url', 'event_types', 'active', 'created_at', 'created_by'])
    .orderBy('created_at')
    .execute();
  const counts = await db
    .selectFrom('webhook_deliveries')
    .select(['endpoint_id', 'state', (eb) => eb.fn.countAll<number>().as('n')])
    .where('state', '!=', 'delivered')
    .groupBy(['endpoint_id', 'state'])
    .execute();
  return eps.map((e) => ({
    id: e.id,
    name: e.name,
    url: e.url,
    eventTypes: JSON.parse(e.event_types) as CaseEventType[],
    active: e.active === 1,
    createdAt: e.created_at,
    createdBy: e.created_by,
    pending: Number(counts.find((c) => c.endpoint_id === e.id && c.state === 'pending')?.n ?? 0),
    failed: Number(counts.find((c) => c.endpoint_id === e.id && c.state === 'failed')?.n ?? 0),
  }));
}

export async function listDeliveries(db: DB, f: { endpointId?: string; state?: string; limit: number; beforeId?: number }) {
  let q = db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('case_events as e', 'e.seq', 'd.event_seq')
    .leftJoin('cases as c', 'c.id', 'd.case_id')
    .select([
      'd.id',
      'd.endpoint_id',
      'e.event_id',
      'e.type',
      'c.case_number',
      'd.state',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_status',
      'd.last_error',
      'd.delivered_at',
      'd.created_at',
    ])
    .orderBy('d.id', 'desc')
    .limit(f.limit);
  if (f.endpointId) q = q.where('d.endpoint_id', '=', f.endpointId);
  if (f.state) q = q.where('d.state', '=', f.state);
  if (f.beforeId) q = q.where('d.id', '<', f.beforeId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: Number(r.id),
    endpointId: r.endpoint_id,
    eventId: r.event_id,
    eventType: r.type,
    caseNumber: r.case_number ?? null,
    state: r.state as 'pending' | 'delivered' | 'failed',
    attempts: r.attempts,
    nextAttemptAt: r.state === 'pending' ? r.next_attempt_at : null,
    lastStatus: r.last_status,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    createdAt: r.created_at,
  }));
}

export function deliveryAttempts(db: DB, deliveryId: number) {
  return db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute();
}

/** Manual resend from the admin page: the delivery is due again now (same event id, same body). */
export async function resendDelivery(db: DB, id: number, now: number): Promise<boolean> {
  const r = await db
    .updateTable('webhook_deliveries')
    .set({ state: 'pending', next_attempt_at: new Date(now).toISOString(), lease_owner: null, lease_until: null })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export interface Claimed {
  id: number;
  endpointId: string;
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  seq: number;
  body: string;
  attempts: number;
  firstAt: string;
}

/**
 * Claims up to `max` due deliveries for `owner` until `leaseUntil`. Per endpoint and case only the
 * oldest undelivered event is eligible, so a case's events arrive in order; other cases go on.
 */
export async function claimDue(db: DB, owner: string, now: number, leaseMs: number, max: number, key: Buffer): Promise<Claimed[]> {
  const nowIso = new Date(now).toISOString();
  const candidates = await db
    .selectFrom('webhook_deliveries as d')
    .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
    .innerJoin('case_events as e', 'e.seq', 'd.event_seq')
    .select([
      'd.id',
      'd.endpoint_id',
      'd.event_seq',
      'd.attempts',
      'd.created_at',
      'w.url',
      'w.secret_sealed',
      'e.event_id',
      'e.type',
      'e.body',
    ])
    .where('d.state', '=', 'pending')
    .where('w.active', '=', 1)
    .where('d.next_attempt_at', '<=', nowIso)
    .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', nowIso)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('webhook_deliveries as p')
            .select('p.id')
            .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
            .whereRef('p.case_id', '=', 'd.case_id')
            .whereRef('p.event_seq', '<', 'd.event_seq')
            .where('p.state', '=', 'pending'),
        ),
      ),
    )
    .orderBy('d.event_seq')
    .limit(max)
    .execute();
  const out: Claimed[] = [];
  const leaseUntil = new Date(now + leaseMs).toISOString();
  for (const c of candidates) {
    const r = await db
      .updateTable('webhook_deliveries')
      .set({ lease_owner: owner, lease_until: leaseUntil })
      .where('id', '=', c.id)
      .where('state', '=', 'pending')
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', nowIso)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) continue; // another process took it first
    const { secret } = unsealJson<{ secret: string }>(Buffer.from(c.secret_sealed, 'base64'), key);
    out.push({
      id: Number(c.id),
      endpointId: c.endpoint_id,
      url: c.url,
      secret,
      eventId: c.event_id,
      eventType: c.type,
      seq: Number(c.event_seq),
      body: c.body,
      attempts: c.attempts,
      firstAt: c.created_at,
    });
  }
  return out;
}

export interface AttemptResult {
  status: number | null;
  error: string | null;
  durationMs: number;
  ok: boolean;
}

/** Records one attempt; on success the delivery is done, else due again at `retryAt` or given up (`failed`). */
export async function finishAttempt(
  db: DB,
  c: Claimed,
  owner: string,
  r: AttemptResult,
  now: number,
  retryAt: number | null,
): Promise<void> {
  const iso = new Date(now).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('webhook_attempts')
      .values({ delivery_id: c.id, at: iso, status: r.status, error: r.error, duration_ms: Math.round(r.durationMs), by: owner })
      .execute();
    await trx
      .updateTable('webhook_deliveries')
      .set({
        attempts: c.attempts + 1,
        last_status: r.status,
        last_error: r.error,
        lease_owner: null,
        lease_until: null,
        ...(r.ok
          ? { state: 'delivered', delivered_at: iso }
          : retryAt === null
            ? { state: 'failed' }
            : { next_attempt_at: new Date(retryAt).toISOString() }),
      })
      .where('id', '=', c.id)
      .where('lease_owner', '=', owner)
      .execute();
  });
}

export async function outboxDepth(db: DB): Promise<number> {
  const r = await db
    .selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
