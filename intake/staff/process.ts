// The 接诉即办 steps beyond the status table (issue 15): 延期 (an extension asked by the unit, decided
// by a supervisor, moving the due date), 渐次升级 (stepwise escalation to the named owner of the next
// level, by hand or from a proposal made once per trigger), the leader's 包案 list, and the notices
// each step leaves. Every step: one transaction with its history row (writeCaseHistory), its audit
// row where it is a privileged decision, and its notice.
import { type Kysely, type Transaction, sql } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { writeCaseHistory } from '../store/caseHistory.ts';
import { writeAudit } from '../store/audit.ts';
import { addNotice } from '../store/notices.ts';
import { WorkLeases } from '../store/leases.ts';
import { ESCALATION_LEVELS, TOP_LEVEL, dueDateOf, endOfDay, nextLevel, ownerFor } from '../casework/process.ts';
import { isIsoDate, type IsoDate } from '../casework/time.ts';
import type { StaffUser } from './accounts.ts';
import { StaffError } from './http.ts';
import { can } from './roles.ts';
import type { Settings } from './settings.ts';
import { assertMayWork, bump, caseOrThrow } from './cases.ts';
import { propose, type ProposalReason } from './proposals.ts';

type DB = Kysely<IntakeDatabase>;
type Trx = Transaction<IntakeDatabase>;

const OPEN = ['assigned', 'in_progress', 'escalated'];

// ---- 延期 ------------------------------------------------------------------------------------

export interface ExtensionRequest {
  version: number;
  reason: string;
  newDueDate: IsoDate;
}

export async function requestExtension(
  db: DB,
  user: StaffUser,
  caseId: string,
  r: ExtensionRequest,
  s: Settings,
  ip: string | null,
  now: number,
): Promise<number> {
  if (!isIsoDate(r.newDueDate)) throw new StaffError('bad_request', 'bad_date');
  return db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, caseId);
    assertMayWork(user, row);
    if (row.version !== r.version) throw new StaffError('conflict', 'case_changed');
    if (!OPEN.includes(row.status) || !row.due_at || row.answered_at) throw new StaffError('conflict', 'extension_not_open');
    const current = dueDateOf(row.due_at, s.timeZone);
    if (r.newDueDate <= current) throw new StaffError('bad_request', 'extension_not_later');
    const pending = await trx
      .selectFrom('case_extensions')
      .select('id')
      .where('case_id', '=', caseId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (pending) throw new StaffError('conflict', 'extension_pending');
    const ins = await trx
      .insertInto('case_extensions')
      .values({
        case_id: caseId,
        requested_by: user.id,
        requested_at: new Date(now).toISOString(),
        reason: r.reason.trim(),
        new_due_date: r.newDueDate,
        old_due_at: row.due_at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await bump(trx, caseId, row.version, {}, now);
    const unit = row.unit_id
      ? ((await trx.selectFrom('units').select('name').where('id', '=', row.unit_id).executeTakeFirst())?.name ?? null)
      : null;
    await writeCaseHistory(trx, {
      caseId,
      userId: user.id,
      action: 'extension_requested',
      detail: { dueDate: r.newDueDate, previousDueDate: current, reason: r.reason.trim() },
      at: now,
    });
    await writeAudit(trx, {
      at: now,
      user,
      action: 'extension_requested',
      caseId,
      caseNumber: row.case_number,
      reason: r.reason.trim(),
      ip,
      before: { dueDate: current },
      after: { dueDate: r.newDueDate },
    });
    await addNotice(trx, {
      at: now,
      kind: 'extension_requested',
      caseId,
      caseNumber: row.case_number,
      minRole: 'supervisor',
      detail: { unit, dueDate: r.newDueDate },
    });
    return Number(ins.id);
  });
}

export interface ExtensionDecision {
  approve: boolean;
  note: string;
}

export async function decideExtension(
  db: DB,
  user: StaffUser,
  extensionId: number,
  d: ExtensionDecision,
  s: Settings,
  ip: string | null,
  now: number,
): Promise<void> {
  if (!can(user.role, 'case:assign')) throw new StaffError('forbidden', 'extension_decider');
  await db.transaction().execute(async (trx) => {
    const ext = await trx.selectFrom('case_extensions').selectAll().where('id', '=', extensionId).executeTakeFirst();
    if (!ext) throw new StaffError('not_found', 'no_such_extension');
    if (ext.state !== 'pending') throw new StaffError('conflict', 'extension_decided');
    const row = await caseOrThrow(trx, ext.case_id);
    const result = d.approve ? 'approved' : 'rejected';
    const iso = new Date(now).toISOString();
    await trx
      .updateTable('case_extensions')
      .set({ state: result, decided_by: user.id, decided_at: iso, decision_note: d.note.trim() || null })
      .where('id', '=', ext.id)
      .execute();
    const before = row.due_at ? dueDateOf(row.due_at, s.timeZone) : null;
    const after = d.approve ? ext.new_due_date : before;
    // Approval moves the answer's due date; the reminder already sent (or not) stays as it was.
    await bump(
      trx,
      row.id,
      row.version,
      d.approve ? { extended_due_date: ext.new_due_date, due_at: new Date(endOfDay(ext.new_due_date, s.timeZone)).toISOString() } : {},
      now,
    );
    await writeCaseHistory(trx, {
      caseId: row.id,
      userId: user.id,
      action: 'extension_decided',
      detail: { decision: result, dueDate: after, previousDueDate: before, decisionNote: d.note.trim() },
      at: now,
    });
    await writeAudit(trx, {
      at: now,
      user,
      action: 'extension_decided',
      caseId: row.id,
      caseNumber: row.case_number,
      reason: `${result} ${d.note.trim()}`.trim(),
      ip,
      before: { dueDate: before },
      after: { dueDate: after, result },
    });
    await addNotice(trx, {
      at: now,
      kind: 'extension_decided',
      caseId: row.id,
      caseNumber: row.case_number,
      userId: ext.requested_by,
      unitId: row.unit_id,
      detail: { decision: result, dueDate: after },
    });
  });
}

export function extensionsOf(db: DB, caseId: string) {
  return db
    .selectFrom('case_extensions')
    .leftJoin('staff_users', 'staff_users.id', 'case_extensions.requested_by')
    .select([
      'case_extensions.id',
      'case_extensions.requested_at',
      'case_extensions.reason',
      'case_extensions.new_due_date',
      'case_extensions.state',
      'case_extensions.decided_at',
      'case_extensions.decision_note',
      'staff_users.display_name as requested_by_name',
    ])
    .where('case_id', '=', caseId)
    .orderBy('case_extensions.id')
    .execute();
}

export function pendingExtensions(db: DB) {
  return db
    .selectFrom('case_extensions')
    .innerJoin('cases', 'cases.id', 'case_extensions.case_id')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([
      'case_extensions.id',
      'case_extensions.case_id',
      'case_extensions.requested_at',
      'case_extensions.reason',
      'case_extensions.new_due_date',
      'case_extensions.old_due_at',
      'cases.case_number',
      'cases.version',
      'units.name as unit_name',
    ])
    .where('case_extensions.state', '=', 'pending')
    .orderBy('case_extensions.id')
    .limit(500)
    .execute();
}

// ---- 渐次升级 ----------------------------------------------------------------------------------

async function displayName(trx: Trx, userId: string): Promise<string | null> {
  return (await trx.selectFrom('staff_users').select('display_name').where('id', '=', userId).executeTakeFirst())?.display_name ?? null;
}

/** May raise or hand back: a supervisor, or the owner of the case's current level. */
function assertMayEscalate(user: StaffUser, row: { escalation_owner_id: string | null }): void {
  if (can(user.role, 'case:assign') || (row.escalation_owner_id !== null && row.escalation_owner_id === user.id)) return;
  throw new StaffError('forbidden', 'escalation_not_yours');
}

export interface EscalateInput {
  version: number;
  level?: number | undefined;
  reason: string;
  proposalId?: number | undefined;
}

type CaseRow = Awaited<ReturnType<typeof caseOrThrow>>;

/** Where a raise or a hand-back takes the case: its new level (null = out of escalation) and that level's owner. */
interface LevelMove {
  level: number | null;
  ownerId: string | null;
  ownerName: string | null;
  /** What the history row says beyond levels, owner and reason. */
  history?: Record<string, unknown>;
  /** What the notice says beyond level and owner. */
  notice?: Record<string, unknown>;
}

/**
 * The one frame of a raise and a hand-back: in one transaction, the case is read, the user may move
 * it, the version matches; `choose` decides the move (and may throw a refusal or write its own rows);
 * the case takes the new level and owner, the history row and the notice (to the new owner, or to
 * the unit when the case leaves escalation) are written.
 */
async function moveLevel(
  db: DB,
  user: StaffUser,
  caseId: string,
  e: { version: number; reason: string },
  now: number,
  action: 'escalate' | 'deescalate',
  choose: (trx: Trx, row: CaseRow) => Promise<LevelMove>,
): Promise<LevelMove> {
  return db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, caseId);
    assertMayEscalate(user, row);
    if (row.version !== e.version) throw new StaffError('conflict', 'case_changed');
    const m = await choose(trx, row);
    await bump(
      trx,
      caseId,
      row.version,
      { escalation_level: m.level, escalation_owner_id: m.ownerId, escalated_at: m.level === null ? null : new Date(now).toISOString() },
      now,
    );
    const levelName = (l: number | null) => (l === null ? null : ESCALATION_LEVELS[l]!);
    await writeCaseHistory(trx, {
      caseId,
      userId: user.id,
      action,
      detail: {
        level: levelName(m.level),
        fromLevel: levelName(row.escalation_level),
        owner: m.ownerName,
        reason: e.reason.trim(),
        ...m.history,
      },
      at: now,
    });
    await addNotice(trx, {
      at: now,
      kind: action === 'escalate' ? 'escalated' : 'deescalated',
      caseId,
      caseNumber: row.case_number,
      userId: m.ownerId,
      unitId: m.ownerId ? null : row.unit_id,
      detail: { level: m.level, owner: m.ownerName, ...m.notice },
    });
    return m;
  });
}

/** Raises the case to `level` (default: the next one) and its named owner; the owner gets a notice. */
export async function escalateCase(
  db: DB,
  user: StaffUser,
  caseId: string,
  e: EscalateInput,
  s: Settings,
  now: number,
): Promise<{ level: number; ownerId: string }> {
  const m = await moveLevel(db, user, caseId, e, now, 'escalate', async (trx, row) => {
    if (['closed', 'invalid', 'duplicate'].includes(row.status)) throw new StaffError('conflict', 'escalation_closed');
    const level = e.level ?? nextLevel(row.escalation_level);
    if (level === null || level > TOP_LEVEL) throw new StaffError('conflict', 'escalation_top');
    if (row.escalation_level !== null && level <= row.escalation_level) throw new StaffError('bad_request', 'escalation_not_higher');
    const owner = ownerFor(s.escalationOwners, level, row.territory);
    if (!owner) throw new StaffError('bad_request', 'escalation_no_owner');
    const ownerName = await displayName(trx, owner.userId);
    if (!ownerName) throw new StaffError('bad_request', 'escalation_no_owner');
    if (e.proposalId !== undefined) {
      const p = await trx
        .updateTable('escalation_proposals')
        .set({ state: 'accepted', decided_by: user.id, decided_at: new Date(now).toISOString() })
        .where('id', '=', e.proposalId)
        .where('case_id', '=', caseId)
        .where('state', '=', 'open')
        .executeTakeFirst();
      if (Number(p.numUpdatedRows) !== 1) throw new StaffError('conflict', 'proposal_decided');
    }
    return {
      level,
      ownerId: owner.userId,
      ownerName,
      history: { by: e.proposalId !== undefined ? 'proposal' : 'hand' },
      notice: { dueDate: row.due_at ? dueDateOf(row.due_at, s.timeZone) : null },
    };
  });
  return { level: m.level!, ownerId: m.ownerId! };
}

/** Hands the case back down one level (to that level's owner), or out of escalation from the first level: back to its unit. */
export async function deescalateCase(
  db: DB,
  user: StaffUser,
  caseId: string,
  e: { version: number; reason: string },
  s: Settings,
  now: number,
): Promise<{ level: number | null }> {
  const m = await moveLevel(db, user, caseId, e, now, 'deescalate', async (trx, row) => {
    if (row.escalation_level === null) throw new StaffError('conflict', 'escalation_none');
    // Down to the nearest lower level that has an owner; none left: the case is its unit's alone again.
    let level: number | null = row.escalation_level - 1;
    let owner = null;
    while (level !== null && level >= 0 && !(owner = ownerFor(s.escalationOwners, level, row.territory))) level--;
    if (level !== null && level < 0) level = null;
    return { level, ownerId: owner?.userId ?? null, ownerName: owner ? await displayName(trx, owner.userId) : null };
  });
  return { level: m.level };
}

export function openProposals(db: DB) {
  return db
    .selectFrom('escalation_proposals')
    .innerJoin('cases', 'cases.id', 'escalation_proposals.case_id')
    .select([
      'escalation_proposals.id',
      'escalation_proposals.case_id',
      'escalation_proposals.reason',
      'escalation_proposals.proposed_level',
      'escalation_proposals.created_at',
      'cases.case_number',
      'cases.version',
      'cases.escalation_level',
    ])
    .where('escalation_proposals.state', '=', 'open')
    .orderBy('escalation_proposals.id')
    .limit(500)
    .execute();
}

export async function dismissProposal(db: DB, user: StaffUser, id: number, now: number): Promise<void> {
  const r = await db
    .updateTable('escalation_proposals')
    .set({ state: 'dismissed', decided_by: user.id, decided_at: new Date(now).toISOString() })
    .where('id', '=', id)
    .where('state', '=', 'open')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new StaffError('conflict', 'proposal_decided');
}

export const PROPOSAL_LEASE_MS = 60_000;

/**
 * The automatic proposals of a tick: a case past its answer's due date, and a case raised again
 * (a later case marked as its duplicate, or linked as its repeat). Each trigger is claimed with a work
 * lease, so with several intake processes one of them proposes it, once (the unique key on
 * (case, reason, trigger) holds even if a lease ran out mid-way).
 */
export async function proposeEscalations(db: DB, now: number, leases = new WorkLeases(db)): Promise<number> {
  const iso = new Date(now).toISOString();
  const overdue = await db
    .selectFrom('cases')
    .select(['id', 'case_number', 'escalation_level', 'due_at'])
    .where('due_at', '<=', iso)
    .where('answered_at', 'is', null)
    .where('status', 'in', OPEN)
    .where((eb) => eb.or([eb('escalation_level', 'is', null), eb('escalation_level', '<', TOP_LEVEL)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('escalation_proposals')
            .select('escalation_proposals.id')
            .whereRef('escalation_proposals.case_id', '=', 'cases.id')
            .where('escalation_proposals.reason', '=', 'overdue')
            .whereRef('escalation_proposals.trigger_key', '=', 'cases.due_at'),
        ),
      ),
    )
    .limit(200)
    .execute();
  const repeats = await db
    .selectFrom('cases as dup')
    .innerJoin('cases as orig', 'orig.case_number', 'dup.duplicate_of')
    .select(['orig.id', 'orig.case_number', 'orig.escalation_level', 'dup.case_number as trigger'])
    .where('dup.status', '=', 'duplicate')
    .where('orig.status', 'not in', ['invalid', 'duplicate'])
    .where((eb) => eb.or([eb('orig.escalation_level', 'is', null), eb('orig.escalation_level', '<', TOP_LEVEL)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('escalation_proposals')
            .select('escalation_proposals.id')
            .whereRef('escalation_proposals.case_id', '=', 'orig.id')
            .where('escalation_proposals.reason', '=', 'repeat')
            .whereRef('escalation_proposals.trigger_key', '=', 'dup.case_number'),
        ),
      ),
    )
    .limit(200)
    .execute();
  // Raised again and linked as a repeat of the original (case_repeats, one click on the case view).
  const linked = await db
    .selectFrom('case_repeats')
    .innerJoin('cases as orig', 'orig.id', 'case_repeats.original_id')
    .innerJoin('cases as rep', 'rep.id', 'case_repeats.repeat_id')
    .select(['orig.id', 'orig.case_number', 'orig.escalation_level', 'rep.case_number as trigger'])
    .where('orig.status', 'not in', ['invalid', 'duplicate'])
    .where((eb) => eb.or([eb('orig.escalation_level', 'is', null), eb('orig.escalation_level', '<', TOP_LEVEL)]))
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('escalation_proposals')
            .select('escalation_proposals.id')
            .whereRef('escalation_proposals.case_id', '=', 'orig.id')
            .where('escalation_proposals.reason', '=', 'repeat')
            .whereRef('escalation_proposals.trigger_key', '=', 'rep.case_number'),
        ),
      ),
    )
    .limit(200)
    .execute();
  const work: { c: { id: string; case_number: string; escalation_level: number | null }; reason: ProposalReason; trigger: string }[] = [
    ...overdue.map((c) => ({ c, reason: 'overdue' as const, trigger: c.due_at! })),
    ...[...repeats, ...linked].map((c) => ({ c, reason: 'repeat' as const, trigger: c.trigger })),
  ];
  let made = 0;
  for (const w of work) {
    const r = await leases.once(
      'escalation-proposal',
      `${w.c.id}:${w.reason}:${w.trigger}`,
      PROPOSAL_LEASE_MS,
      now,
      () => db.transaction().execute((trx) => propose(trx, w.c, w.reason, w.trigger, now)),
      true,
    );
    if (r.ran && r.value) made++;
  }
  return made;
}

/** In-app notices of a tick: 签收 overdue (to dispatchers and the unit) and the 4th-day reminder (to the unit), once each. */
export async function clockNotices(db: DB, now: number, s: Settings): Promise<number> {
  const iso = new Date(now).toISOString();
  let n = 0;
  // Only cases without their notice yet (the key is the notice's dedupe key), so a long backlog is worked through.
  const notYet = (prefix: string, col: 'ack_due_at' | 'reminder_at') =>
    sql<boolean>`not exists (select 1 from notices where notices.dedupe_key = ${prefix} || cases.id || ':' || cases.${sql.ref(col)})`;
  const acks = await db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.case_number', 'cases.unit_id', 'cases.ack_due_at', 'units.name as unit_name'])
    .where('cases.status', '=', 'assigned')
    .where('cases.acknowledged_at', 'is', null)
    .where('cases.ack_due_at', '<=', iso)
    .where(notYet('ack_overdue:', 'ack_due_at'))
    .limit(200)
    .execute();
  for (const c of acks) {
    if (
      await addNotice(db, {
        at: now,
        kind: 'ack_overdue',
        caseId: c.id,
        caseNumber: c.case_number,
        unitId: c.unit_id,
        minRole: 'supervisor',
        detail: { unit: c.unit_name, ackDue: c.ack_due_at },
        dedupeKey: `ack_overdue:${c.id}:${c.ack_due_at}`,
      })
    )
      n++;
  }
  const reminders = await db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select(['cases.id', 'cases.case_number', 'cases.unit_id', 'cases.reminder_at', 'cases.due_at', 'units.name as unit_name'])
    .where('cases.reminder_at', '<=', iso)
    .where('cases.answered_at', 'is', null)
    .where('cases.status', 'in', OPEN)
    .where(notYet('reminder:', 'reminder_at'))
    .limit(200)
    .execute();
  for (const c of reminders) {
    if (
      await addNotice(db, {
        at: now,
        kind: 'reminder',
        caseId: c.id,
        caseNumber: c.case_number,
        unitId: c.unit_id,
        detail: { unit: c.unit_name, dueDate: c.due_at ? dueDateOf(c.due_at, s.timeZone) : null },
        dedupeKey: `reminder:${c.id}:${c.reminder_at}`,
        webhook: false,
      })
    )
      n++;
  }
  return n;
}
