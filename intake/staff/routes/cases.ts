// Case work: the case list and one case, edits, status events, notes, the callback, the identity
// reveal, and the due-soon list. The changes themselves are in staff/cases.ts (one transaction each).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { computeDeadline, deadlineState, dispatchDeadline, workdayNumber, DEFAULT_DEADLINE_POLICY } from '../../casework/deadlines.ts';
import { endOfDay } from '../../casework/process.ts';
import { clockOf } from '../clock.ts';
import type { Satisfaction } from '../../casework/rates.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { maskIdentity } from '../../../lib/mask.ts';
import { readIdentity } from '../../identity.ts';
import { readSettings, loadCalendar } from '../settings.ts';
import * as cases from '../cases.ts';
import { caseIdByNumber, caseItems, dueSoonCases } from '../../store/staffCases.ts';
import { unitName } from '../../store/units.ts';

export function registerCaseRoutes(app: FastifyInstance, sc: StaffContext, contactKey: Buffer): void {
  const { db, now } = sc;

  staffRoute(app, sc, { route: staffApi.cases.list, access: 'case:read' }, async ({ query }) => {
    const page = await cases.listCases(db, query as cases.CaseFilter, now());
    const t = now();
    const s = await readSettings(db);
    const cal = await loadCalendar(db);
    return {
      cases: page.rows.map((r) => {
        // The one clock (casework/process.ts): dispatch from receipt, 签收, answer, done.
        const clock = clockOf(r, t, cal, s);
        return {
          id: r.id,
          caseNumber: r.case_number,
          boothCode: r.booth_code,
          receivedAt: r.received_at,
          status: r.status,
          category: r.category,
          location: r.location,
          summary: r.summary,
          unitId: r.unit_id,
          unitName: r.unit_name,
          territory: r.territory,
          dispatchedAt: r.dispatched_at,
          dueAt: r.due_at,
          realName: r.real_name === 1,
          deadline: clock.state === 'none' ? null : clock.state,
          clock,
        };
      }),
      nextCursor: page.nextCursor,
    };
  });

  staffRoute(app, sc, { route: staffApi.cases.get, access: 'case:read' }, async ({ params }) => {
    const row = await cases.caseOrThrow(db, params.id);
    const items = await caseItems(db, row.id);
    const unit = row.unit_id ? await unitName(db, row.unit_id) : null;
    const settings = await readSettings(db);
    const cal = await loadCalendar(db);
    // A duplicate links to the case it duplicates (stored by case number, which staff type).
    const duplicateOfId = row.duplicate_of ? await caseIdByNumber(db, row.duplicate_of) : null;
    let deadline = null;
    if (row.dispatched_at) {
      const computed = computeDeadline(Date.parse(row.dispatched_at), cal, {
        ...DEFAULT_DEADLINE_POLICY,
        reminderTime: settings.reminderTime,
        tz: settings.timeZone,
      });
      // An approved extension (延期) moves the due date; the reminder stays where it was.
      const d = row.extended_due_date
        ? { ...computed, dueDate: row.extended_due_date, dueAt: endOfDay(row.extended_due_date, settings.timeZone) }
        : computed;
      deadline = {
        dispatchDate: d.dispatchDate,
        reminderDate: d.reminderDate,
        dueDate: d.dueDate,
        dueAt: row.due_at,
        reminderAt: row.reminder_at,
        state: deadlineState(d, now(), row.answered_at ? Date.parse(row.answered_at) : null),
        workday: workdayNumber(d, now(), cal, settings.timeZone),
        of: DEFAULT_DEADLINE_POLICY.answerWorkdays,
        warnings: d.warnings,
        reminderSentAt: row.reminder_sent_at,
      };
    }
    // Before dispatch the case runs on the dispatch clock (from receipt).
    const dispatchDue =
      row.dispatched_at || row.status !== 'new'
        ? null
        : dispatchDeadline(Date.parse(row.received_at), cal, settings.dispatchWorkdays, settings.timeZone);
    return {
      dispatchDeadline: dispatchDue && {
        dueDate: dispatchDue.dueDate,
        dueAt: new Date(dispatchDue.dueAt).toISOString(),
        overdue: now() >= dispatchDue.dueAt,
      },
      case: {
        id: row.id,
        caseNumber: row.case_number,
        boothCode: row.booth_code,
        language: row.language,
        receivedAt: row.received_at,
        status: row.status,
        version: row.version,
        category: row.category,
        location: row.location,
        summary: row.summary,
        unitId: row.unit_id,
        unitName: unit,
        territory: row.territory,
        dispatchedAt: row.dispatched_at,
        answeredAt: row.answered_at,
        result: row.result,
        escalatedTo: row.escalated_to,
        duplicateOf: row.duplicate_of,
        duplicateOfId,
        realName: row.real_name === 1,
        identity: maskIdentity(readIdentity(row, contactKey)),
      },
      items: items.map((i) => ({
        idx: i.idx,
        kind: i.kind,
        mime: i.mime,
        durationSec: i.duration_sec,
        playbackState: i.playback_state,
        originalUrl: `/staff/media/${row.id}/${i.idx}/original`,
        playbackUrl: i.playback_file ? `/staff/media/${row.id}/${i.idx}/playback` : null,
        posterUrl: i.poster_file ? `/staff/media/${row.id}/${i.idx}/poster` : null,
      })),
      deadline,
      clock: clockOf(row, now(), cal, settings),
      history: (await cases.history(db, row.id)).map((h) => ({ ...h, detail: JSON.parse(h.detail) as unknown })),
      callbacks: await cases.callbacks(db, row.id),
    };
  });

  staffRoute(app, sc, { route: staffApi.cases.edit, access: 'case:work' }, async ({ user, params, body }) => {
    const { version, ...edit } = body;
    // A category is a code of the one vocabulary (settings.categories), never free text.
    if (edit.category && !(await readSettings(db)).categories.some((c) => c.code === edit.category))
      throw new StaffError('bad_request', 'unknown_category');
    await cases.editCase(db, user, params.id, version, edit, now());
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.cases.event, access: 'case:work' }, async ({ user, params, body }) => {
    const status = await cases.applyEvent(
      db,
      user,
      params.id,
      body.version,
      body.event,
      await loadCalendar(db),
      await readSettings(db),
      now(),
    );
    return { status };
  });

  staffRoute(app, sc, { route: staffApi.cases.note, access: 'case:work' }, async ({ user, params, body }) => {
    await cases.addNote(db, user, params.id, body.text, now());
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.cases.callback, access: 'case:work' }, async ({ user, params, body }) => {
    const { version, ...cb } = body;
    await cases.recordCallback(db, user, params.id, version, { ...cb, satisfaction: cb.satisfaction as Satisfaction | null }, now());
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.cases.reveal, access: 'identity:reveal' }, async ({ user, params, body, request }) => {
    const row = await cases.caseOrThrow(db, params.id);
    const identity = readIdentity(row, contactKey);
    if (Object.keys(identity).length === 0) throw new StaffError('not_found', 'anonymous');
    await cases.recordReveal(db, user, row, body.reason, request.ip, now());
    return { identity };
  });

  staffRoute(app, sc, { route: staffApi.cases.dueSoon, access: 'case:read' }, async () => {
    const t = now();
    const s = await readSettings(db);
    const cal = await loadCalendar(db);
    // Waiting for dispatch (from receipt, or from a 退单), not acknowledged in time (签收), or past
    // the 4th-day reminder: one list, each case on its own clock, the most pressing first.
    const rows = (await dueSoonCases(db, new Date(t).toISOString()))
      .map((r) => ({ r, clock: clockOf(r, t, cal, s) }))
      .filter(({ clock }) => clock.state === 'overdue' || clock.state === 'due_soon' || clock.stage === 'dispatch')
      .sort((a, b) => (a.clock.dueAt ?? '').localeCompare(b.clock.dueAt ?? ''));
    return {
      cases: rows.map(({ r, clock }) => ({
        id: r.id,
        caseNumber: r.case_number,
        summary: r.summary,
        status: r.status,
        dueAt: clock.dueAt,
        reminderAt: r.reminder_at,
        reminderSentAt: r.reminder_sent_at,
        warning: r.deadline_warning,
        unitName: r.unit_name,
        overdue: clock.state === 'overdue',
        clock,
      })),
    };
  });
}
