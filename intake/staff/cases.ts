// Case queries and changes for the back office. Every change runs in one transaction that bumps
// the case's version (two browsers cannot overwrite each other silently) and appends to its history.
import { type ExpressionBuilder, type Kysely, PostgresAdapter, type Transaction, sql } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { computeDeadline, DEFAULT_DEADLINE_POLICY } from '../casework/deadlines.ts';
import type { WorkCalendar } from '../casework/calendar.ts';
import { type CaseEvent, type CaseStatus, nextStatus, CASE_STATUSES } from '../casework/status.ts';
import type { Satisfaction } from '../casework/rates.ts';
import { StaffError } from './http.ts';
import { unsealJson } from '../../lib/sealed.ts';
import type { StaffUser } from './accounts.ts';
import { can } from './roles.ts';
import type { Settings } from './settings.ts';
import { type HistoryAction, writeCaseHistory } from '../store/caseHistory.ts';
import { writeAudit } from '../store/audit.ts';
import { addNotice } from '../store/notices.ts';
import { addWorkingHours, endOfDay } from '../casework/process.ts';
import { proposeOnReopen } from './proposals.ts';
import { gramToken } from '../store/searchGrams.ts';
import { CASE_LIST_COLUMNS } from '../store/staffCases.ts';

type DB = Kysely<IntakeDatabase>;
type Trx = Transaction<IntakeDatabase>;

export interface CaseFilter {
  from?: string; // ISO, received_at ≥
  to?: string; // ISO, received_at <
  status?: CaseStatus[];
  category?: string;
  territory?: string;
  unitId?: string;
  boothCode?: string;
  overdue?: boolean;
  realName?: boolean;
  q?: string;
  cursor?: string; // "receivedAt|id" of the last row of the previous page
  limit: number;
}

const OPEN_FOR_DEADLINE: CaseStatus[] = ['assigned', 'in_progress', 'escalated'];

export function encodeCursor(row: { received_at: string; id: string }): string {
  return `${row.received_at}|${row.id}`;
}

/**
 * The search box: the case number exactly, or the text anywhere in the case's search text (number,
 * summary, location, category, territory), through the n-gram indexes: on PostgreSQL the GIN index
 * of characters and pairs for any length (migrations 190, 192: the grams are a stored column, so a
 * row the planner checks costs an array comparison, not a call of case_grams), LIKE confirming the
 * order of the pairs; on
 * SQLite FTS5, trigrams for 3 characters or more (190), characters and pairs for 1–2 (191).
 * On SQLite the index is asked first how many cases hold the text, up to RARE: a rarer text is
 * looked up through the index (at most RARE case ids to sort); a commoner one is found by the
 * ordered scan, which fills the first page after about limit × cases ÷ RARE rows. Either way the
 * cost is bounded by RARE, not by the table.
 */
const RARE = 2_000;

async function matchesSearch(db: DB, text: string) {
  const needle = text.toLowerCase();
  const like = `%${needle.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  const chars = [...needle];
  const byText = sql<boolean>`cases.search_text like ${like} escape '\\'`;
  let indexed = byText;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const grams = chars.length === 1 ? chars : [...new Set(chars.slice(1).map((c, i) => chars[i]! + c))];
    indexed = sql<boolean>`(cases.search_grams @> ${grams}::text[] and ${byText})`;
  } else {
    const token = gramToken(needle);
    const hits = token
      ? sql`select rowid from cases_grams where cases_grams match ${token}`
      : sql`select rowid from cases_fts where cases_fts match ${`"${needle.replaceAll('"', '""')}"`}`;
    const { rows } = await sql<{ n: number }>`select count(*) as n from (${hits} limit ${RARE})`.execute(db);
    // Trigrams match regardless of the order of the text's own repeats; LIKE confirms, as it always did.
    if ((rows[0]?.n ?? 0) < RARE) indexed = sql<boolean>`(cases.rowid in (${hits}) and ${byText})`;
  }
  return (eb: ExpressionBuilder<IntakeDatabase, 'cases' | 'units'>) => eb.or([eb('cases.case_number', '=', text.toUpperCase()), indexed]);
}

/** Newest first, keyset-paginated on (received_at, id): page 1,000 costs what page 1 costs. */
export async function listCases(db: DB, f: CaseFilter, now: number) {
  let q = db
    .selectFrom('cases')
    .leftJoin('units', 'units.id', 'cases.unit_id')
    .select([...CASE_LIST_COLUMNS, 'units.name as unit_name'])
    .orderBy('cases.received_at', 'desc')
    .orderBy('cases.id', 'desc')
    .limit(f.limit + 1);
  if (f.from) q = q.where('cases.received_at', '>=', f.from);
  if (f.to) q = q.where('cases.received_at', '<', f.to);
  if (f.status?.length) q = q.where('cases.status', 'in', f.status);
  if (f.category) q = q.where('cases.category', '=', f.category);
  if (f.territory) q = q.where('cases.territory', '=', f.territory);
  if (f.unitId) q = q.where('cases.unit_id', '=', f.unitId);
  if (f.boothCode) q = q.where('cases.booth_code', '=', f.boothCode);
  if (f.realName !== undefined) q = q.where('cases.real_name', '=', f.realName ? 1 : 0);
  if (f.overdue) {
    q = q
      .where('cases.due_at', '<=', new Date(now).toISOString())
      .where('cases.answered_at', 'is', null)
      .where('cases.status', 'in', OPEN_FOR_DEADLINE);
  }
  if (f.q?.trim()) q = q.where(await matchesSearch(db, f.q.trim()));
  if (f.cursor) {
    const [receivedAt, id] = f.cursor.split('|');
    if (!receivedAt || !id) throw new StaffError('bad_request', 'bad cursor');
    q = q.where((eb) =>
      eb.or([eb('cases.received_at', '<', receivedAt), eb.and([eb('cases.received_at', '=', receivedAt), eb('cases.id', '<', id)])]),
    );
  }
  const rows = await q.execute();
  const more = rows.length > f.limit;
  const page = more ? rows.slice(0, f.limit) : rows;
  return { rows: page, nextCursor: more ? encodeCursor(page[page.length - 1]!) : null };
}

export async function caseOrThrow(db: DB | Trx, id: string) {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new StaffError('not_found', 'no_such_case');
  return row;
}

export function history(db: DB, caseId: string) {
  return db
    .selectFrom('case_history')
    .leftJoin('staff_users', 'staff_users.id', 'case_history.user_id')
    .select(['case_history.id', 'case_history.at', 'case_history.action', 'case_history.detail', 'staff_users.display_name as user_name'])
    .where('case_id', '=', caseId)
    .orderBy('case_history.id')
    .execute();
}

export function callbacks(db: DB, caseId: string) {
  return db.selectFrom('case_callbacks').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}

function addHistory(
  trx: Trx,
  caseId: string,
  userId: string | null,
  action: HistoryAction,
  detail: Record<string, unknown>,
  now: number,
): Promise<void> {
  return writeCaseHistory(trx, { caseId, userId, action, detail, at: now });
}

/** A handler works only the cases of their own units; supervisors and admins work any case. */
export function assertMayWork(user: StaffUser, row: { unit_id: string | null }): void {
  if (can(user.role, 'case:assign')) return;
  if (!row.unit_id || !user.unitIds.includes(row.unit_id)) throw new StaffError('forbidden', 'other_unit');
}

function searchText(r: {
  case_number: string;
  summary: string;
  location: string | null;
  category: string | null;
  territory: string | null;
}): string {
  return [r.case_number, r.summary, r.location ?? '', r.category ?? '', r.territory ?? ''].join(' ').toLowerCase();
}

export async function bump(trx: Trx, id: string, version: number, set: Record<string, unknown>, now: number): Promise<void> {
  const r = await trx
    .updateTable('cases')
    .set({ ...set, version: version + 1, updated_at: new Date(now).toISOString() })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new StaffError('conflict', 'case_changed');
}

export interface CaseEdit {
  summary?: string;
  category?: string | null;
  location?: string | null;
  territory?: string | null;
}

export async function editCase(db: DB, user: StaffUser, id: string, version: number, edit: CaseEdit, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, id);
    assertMayWork(user, row);
    if (row.version !== version) throw new StaffError('conflict', 'case_changed');
    const changed: Record<string, { from: unknown; to: unknown }> = {};
    for (const [k, v] of Object.entries(edit) as [keyof CaseEdit, unknown][]) {
      if (v !== undefined && row[k] !== v) changed[k] = { from: row[k], to: v };
    }
    if (Object.keys(changed).length === 0) return;
    const next = { ...row, ...edit } as typeof row;
    await bump(trx, id, version, { ...edit, search_text: searchText(next) }, now);
    await addHistory(trx, id, user.id, 'edit', changed, now);
  });
}

export async function addNote(db: DB, user: StaffUser, id: string, text: string, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, id);
    assertMayWork(user, row);
    await addHistory(trx, id, user.id, 'note', { text }, now);
  });
}

const SUPERVISOR_EVENTS = new Set<CaseEvent['type']>(['assign', 'escalate', 'mark_invalid', 'mark_duplicate', 'restore']);

export async function applyEvent(
  db: DB,
  user: StaffUser,
  id: string,
  version: number,
  event: CaseEvent,
  cal: WorkCalendar,
  settings: Settings,
  now: number,
): Promise<CaseStatus> {
  if (SUPERVISOR_EVENTS.has(event.type) && !can(user.role, 'case:assign')) throw new StaffError('forbidden', 'supervisor_only');
  if (event.type === 'callback') throw new StaffError('bad_request', 'callback_form');
  return db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, id);
    if (!SUPERVISOR_EVENTS.has(event.type)) assertMayWork(user, row);
    if (row.version !== version) throw new StaffError('conflict', 'case_changed');
    const t = nextStatus(row.status as CaseStatus, event);
    if (!t.ok) throw new StaffError('conflict', 'wrong_status');
    const iso = new Date(now).toISOString();
    const set: Record<string, unknown> = { status: t.to };
    const detail: Record<string, unknown> = { from: row.status, to: t.to };
    switch (event.type) {
      case 'assign': {
        // 诉求内容 first: the unit must know what it is dispatched (issue 15).
        if (!row.summary.trim()) throw new StaffError('bad_request', 'summary_required');
        const unit = await trx
          .selectFrom('units')
          .select(['id', 'name'])
          .where('id', '=', event.unitId)
          .where('active', '=', 1)
          .executeTakeFirst();
        if (!unit) throw new StaffError('bad_request', 'no_such_unit');
        set.unit_id = unit.id;
        detail.unit = unit.name;
        // 签收: every dispatch gives the (new) unit its acknowledgement clock, in office hours.
        set.ack_due_at = new Date(
          addWorkingHours(now, settings.ackWorkHours, cal, {
            start: settings.workdayStart,
            end: settings.workdayEnd,
            tz: settings.timeZone,
          }),
        ).toISOString();
        set.acknowledged_at = null;
        // The clock starts at the first dispatch and is not reset by a reassignment (首接负责制).
        if (!row.dispatched_at) {
          const d = computeDeadline(now, cal, { ...DEFAULT_DEADLINE_POLICY, reminderTime: settings.reminderTime, tz: settings.timeZone });
          Object.assign(set, {
            dispatched_at: iso,
            reminder_at: new Date(d.reminderAt).toISOString(),
            due_at: new Date(d.dueAt).toISOString(),
            deadline_warning: d.warnings.map((w) => `${w.year}:${w.status}`).join(',') || null,
          });
          detail.dueDate = d.dueDate;
        }
        break;
      }
      case 'answer':
        set.result = event.result.trim();
        if (!row.answered_at) set.answered_at = iso;
        detail.result = event.result.trim();
        break;
      case 'escalate':
        set.escalated_to = event.agency.trim();
        detail.agency = event.agency.trim();
        break;
      case 'mark_duplicate': {
        const orig = await trx
          .selectFrom('cases')
          .select(['id', 'case_number'])
          .where('case_number', '=', event.duplicateOf.trim())
          .executeTakeFirst();
        if (!orig || orig.id === id) throw new StaffError('bad_request', 'duplicate_not_found');
        set.duplicate_of = orig.case_number;
        detail.duplicateOf = orig.case_number;
        break;
      }
      case 'mark_invalid':
      case 'reopen':
        detail.reason = event.reason;
        break;
      case 'restore':
        set.duplicate_of = null;
        break;
      case 'acknowledge':
        set.acknowledged_at = iso;
        detail.unit = await unitName(trx, row.unit_id);
        detail.late = row.ack_due_at !== null && now >= Date.parse(row.ack_due_at);
        break;
      case 'return': {
        const unit = await unitName(trx, row.unit_id);
        Object.assign(set, { unit_id: null, acknowledged_at: null, ack_due_at: null, returned_at: iso });
        detail.unit = unit;
        detail.reason = event.reason.trim();
        await addNotice(trx, {
          at: now,
          kind: 'returned',
          caseId: id,
          caseNumber: row.case_number,
          minRole: 'supervisor',
          detail: { unit },
        });
        break;
      }
      case 'start':
        if (!row.acknowledged_at) set.acknowledged_at = iso;
        break;
      case 'close':
        break;
    }
    if (event.type === 'reopen') await proposeOnReopen(trx, row, now);
    await bump(trx, id, version, set, now);
    await addHistory(trx, id, user.id, event.type, detail, now);
    return t.to;
  });
}

async function unitName(trx: Trx, unitId: string | null): Promise<string | null> {
  return unitId ? ((await trx.selectFrom('units').select('name').where('id', '=', unitId).executeTakeFirst())?.name ?? null) : null;
}

export interface CallbackInput {
  contacted: boolean;
  solved: boolean;
  satisfaction: Satisfaction | null;
  note: string;
}

export async function recordCallback(db: DB, user: StaffUser, id: string, version: number, cb: CallbackInput, now: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, id);
    assertMayWork(user, row);
    if (row.version !== version) throw new StaffError('conflict', 'case_changed');
    let status = row.status as CaseStatus;
    if (status === 'answered') {
      const t = nextStatus(status, { type: 'callback' });
      if (!t.ok) throw new StaffError('conflict', 'wrong_status');
      status = t.to;
    } else if (status !== 'called_back') {
      throw new StaffError('conflict', 'wrong_status');
    }
    const iso = new Date(now).toISOString();
    await trx
      .insertInto('case_callbacks')
      .values({
        case_id: id,
        at: iso,
        user_id: user.id,
        contacted: cb.contacted ? 1 : 0,
        solved: cb.solved ? 1 : 0,
        satisfaction: cb.satisfaction,
        note: cb.note,
      })
      .execute();
    await bump(
      trx,
      id,
      version,
      {
        status,
        callback_at: iso,
        callback_contacted: cb.contacted ? 1 : 0,
        callback_solved: cb.solved ? 1 : 0,
        callback_satisfaction: cb.satisfaction,
      },
      now,
    );
    await addHistory(
      trx,
      id,
      user.id,
      'callback',
      { from: row.status, to: status, contacted: cb.contacted, solved: cb.solved, satisfaction: cb.satisfaction, note: cb.note },
      now,
    );
  });
}

export async function recordReveal(
  db: DB,
  user: StaffUser,
  row: { id: string; case_number: string },
  reason: string,
  ip: string | null,
  now: number,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await writeAudit(trx, { at: now, user, action: 'reveal_identity', caseId: row.id, caseNumber: row.case_number, reason, ip });
    await addHistory(trx, row.id, user.id, 'reveal', { reason }, now);
  });
}

/** Deadlines follow the calendar: after an admin edits it, open cases get their dates again. */
export async function recomputeDeadlines(db: DB, cal: WorkCalendar, settings: Settings): Promise<number> {
  const open = await db
    .selectFrom('cases')
    .select(['id', 'dispatched_at', 'extended_due_date'])
    .where('dispatched_at', 'is not', null)
    .where('answered_at', 'is', null)
    .where('status', 'in', OPEN_FOR_DEADLINE)
    .execute();
  for (const c of open) {
    const d = computeDeadline(Date.parse(c.dispatched_at!), cal, {
      ...DEFAULT_DEADLINE_POLICY,
      reminderTime: settings.reminderTime,
      tz: settings.timeZone,
    });
    // An approved extension (延期) keeps its date: the calendar moves only the dates it computed.
    const dueAt = c.extended_due_date ? endOfDay(c.extended_due_date, settings.timeZone) : d.dueAt;
    await db
      .updateTable('cases')
      .set({
        reminder_at: new Date(d.reminderAt).toISOString(),
        due_at: new Date(dueAt).toISOString(),
        deadline_warning: d.warnings.map((w) => `${w.year}:${w.status}`).join(',') || null,
      })
      .where('id', '=', c.id)
      .execute();
  }
  return open.length;
}

export const ALL_STATUSES = CASE_STATUSES;

/** The callback phone of a case, for a handler of its unit (or a supervisor); audited and in the history. */
export async function revealContact(
  db: DB,
  user: StaffUser,
  id: string,
  reason: string,
  key: Buffer,
  ip: string | null,
  now: number,
): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const row = await caseOrThrow(trx, id);
    assertMayWork(user, row);
    const phone = row.contact_sealed ? unsealJson<{ phone?: string | null }>(Buffer.from(row.contact_sealed, 'base64'), key).phone : null;
    if (!phone) throw new StaffError('not_found', 'no_callback_phone');
    await writeAudit(trx, { at: now, user, action: 'reveal_contact', caseId: row.id, caseNumber: row.case_number, reason, ip });
    await addHistory(trx, id, user.id, 'reveal_contact', { reason }, now);
    return phone;
  });
}
