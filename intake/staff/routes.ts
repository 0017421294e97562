// The staff API under /staff/api. Each route: one permission, zod-parsed input, a JSON answer.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { createLogger } from '../../lib/log.ts';
import { computeDeadline, deadlineState, dispatchDeadline, workdayNumber, DEFAULT_DEADLINE_POLICY } from '../casework/deadlines.ts';
import { CASE_STATUSES, STATUS_LABELS, type CaseStatus } from '../casework/status.ts';
import { LIST_COLUMNS, listCsv, listRows, type ListCase } from '../casework/dailyList.ts';
import { dailyWindow, monthlyWindow, weeklyWindow, type ListSettings } from '../casework/window.ts';
import { computeRates, periodsBetween, RATE_DEFINITIONS, type RateCase, type Satisfaction } from '../casework/rates.ts';
import { heatMap, recurringCandidates, type RecurCase } from '../casework/recurring.ts';
import { toCsv } from '../casework/csv.ts';
import { addDays, fromWall, localDate, isIsoDate } from '../casework/time.ts';
import { AccountError, checkLogin, createUser } from './accounts.ts';
import { createSession, destroySession, SESSION } from './sessions.ts';
import { LoginThrottle } from './loginThrottle.ts';
import type { Post } from './reminders.ts';
import { StaffError, sendError, staffRoute, type StaffContext } from './http.ts';
import { maskIdentity } from '../../lib/mask.ts';
import { readIdentity } from '../identity.ts';
import { ROLES, PERMISSIONS, can } from './roles.ts';
import { readSettings, writeSettings, loadCalendar, Settings } from './settings.ts';
import * as cases from './cases.ts';
import { auditEntries, changedKeys, writeAudit } from '../store/audit.ts';
import { changeUser } from './userAdmin.ts';
import { registerCaseContactRoutes } from './routes/caseContact.ts';

const log = createLogger('staff-api');

export interface StaffApiOptions {
  db: Kysely<IntakeDatabase>;
  contactKey: Buffer;
  mediaRoot: string;
  now: () => number;
  /** Set the Secure flag on the session cookie: 'auto' = when the request came over HTTPS. */
  secureCookie?: boolean | 'auto';
  /** Login attempts per client address per minute (on top of the per account + client throttle). */
  loginsPerMinute?: number;
  /** How admin alerts reach the webhook (tests); fetch by default. */
  post?: Post;
  /** The configured public origin, accepted as the staff app's Origin (IntakeOptions.publicUrl). */
  publicOrigin?: string;
}

const Id = z.object({ id: z.uuid() });
const Version = z.number().int().min(0);
const DateParam = z.string().refine(isIsoDate, 'a date YYYY-MM-DD');
const bool = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');

const ListQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  status: z.string().optional().transform((s, ctx) => {
    if (!s) return undefined;
    const list = s.split(',');
    for (const x of list) if (!(CASE_STATUSES as readonly string[]).includes(x)) ctx.addIssue({ code: 'custom', message: `unknown status ${x}` });
    return list as CaseStatus[];
  }),
  category: z.string().max(40).optional(),
  territory: z.string().max(40).optional(),
  unitId: z.string().max(64).optional(),
  boothCode: z.string().max(8).optional(),
  overdue: bool.optional(),
  realName: bool.optional(),
  q: z.string().max(100).optional(),
  cursor: z.string().max(120).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const EventBody = z.object({
  version: Version,
  event: z.discriminatedUnion('type', [
    z.object({ type: z.literal('assign'), unitId: z.string().min(1) }),
    z.object({ type: z.literal('start') }),
    z.object({ type: z.literal('answer'), result: z.string().min(1).max(2000) }),
    z.object({ type: z.literal('close') }),
    z.object({ type: z.literal('escalate'), agency: z.string().min(1).max(100) }),
    z.object({ type: z.literal('reopen'), reason: z.string().min(1).max(500) }),
    z.object({ type: z.literal('mark_invalid'), reason: z.string().min(1).max(500) }),
    z.object({ type: z.literal('mark_duplicate'), duplicateOf: z.string().min(1).max(40) }),
    z.object({ type: z.literal('restore') }),
  ]),
});

const ListKind = z.object({ kind: z.enum(['daily', 'weekly', 'monthly']).default('daily'), date: DateParam.optional(), lang: z.enum(['zh', 'en']).default('zh') });

export function registerStaffRoutes(app: FastifyInstance, opts: StaffApiOptions): void {
  const { db } = opts;
  const sc: StaffContext = { db, now: opts.now, ...(opts.publicOrigin ? { publicOrigin: opts.publicOrigin } : {}) };
  const now = opts.now;
  const throttle = new LoginThrottle(db, opts.post);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: opts.secureCookie ?? 'auto' };

  // ---- session -------------------------------------------------------------------------------
  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/login', access: 'public',
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
    rateLimit: { max: opts.loginsPerMinute ?? 10, timeWindow: '1 minute' },
  }, async ({ body, reply, request }) => {
    const client = request.ip;
    const wait = await throttle.check(body.username, client, now());
    if (!wait.allowed) {
      reply.header('retry-after', String(wait.retryAfterSec));
      return sendError(reply, 'too_many', `too many failed attempts from this address; try again in ${wait.retryAfterSec} s`);
    }
    const r = await checkLogin(db, body.username, body.password);
    if (!r.ok) {
      const f = await throttle.fail(body.username, client, now());
      log.info({ reason: r.reason, ip: client, failures: f.failures }, 'login refused');
      if (f.retryAfterSec > 0) reply.header('retry-after', String(f.retryAfterSec));
      return sendError(reply, 'unauthorized', 'wrong user name or password');
    }
    await throttle.succeed(body.username, client);
    const s = await createSession(db, r.user.id, now());
    reply.setCookie(SESSION.cookie, s.token, { ...cookieOptions, maxAge: SESSION.absoluteHours * 3600 });
    return { user: r.user, csrf: s.csrf };
  });

  staffRoute(app, sc, { method: 'POST', url: '/staff/api/logout', access: 'authenticated' }, async ({ request, reply }) => {
    const token = request.cookies[SESSION.cookie];
    if (token) await destroySession(db, token);
    reply.clearCookie(SESSION.cookie, { path: '/' });
    return { ok: true };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/me', access: 'authenticated' }, async ({ user, csrf }) => ({
    user, csrf, permissions: Object.keys(PERMISSIONS).filter((p) => can(user.role, p as keyof typeof PERMISSIONS)),
  }));

  // ---- reference data for forms and filters ---------------------------------------------------
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/meta', access: 'case:read' }, async () => {
    const s = await readSettings(db);
    const units = await db.selectFrom('units').selectAll().orderBy('name').execute();
    const booths = await db.selectFrom('cases').select('booth_code').distinct().orderBy('booth_code').execute();
    return {
      statuses: CASE_STATUSES.map((s) => ({ id: s, ...STATUS_LABELS[s] })),
      units: units.map((u) => ({ id: u.id, name: u.name, active: u.active === 1 })),
      categories: s.categories,
      territories: s.territories,
      booths: booths.map((b) => b.booth_code),
      settings: { listCutoff: s.listCutoff, meetingTime: s.meetingTime, timeZone: s.timeZone },
    };
  });

  // ---- cases ----------------------------------------------------------------------------------
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/cases', access: 'case:read', query: ListQuery }, async ({ query }) => {
    const page = await cases.listCases(db, query as cases.CaseFilter, now());
    const t = now();
    const s = await readSettings(db);
    const cal = page.rows.some((r) => r.status === 'new') ? await loadCalendar(db) : null;
    // A case not yet dispatched runs on the dispatch clock (from receipt); after dispatch, on the answer clock.
    const dispatchState = (receivedAt: string) => (t >= dispatchDeadline(Date.parse(receivedAt), cal!, s.dispatchWorkdays, s.timeZone).dueAt ? 'overdue' : 'running');
    return {
      cases: page.rows.map((r) => ({
        id: r.id, caseNumber: r.case_number, boothCode: r.booth_code, receivedAt: r.received_at, status: r.status,
        category: r.category, location: r.location, summary: r.summary, unitId: r.unit_id, unitName: r.unit_name,
        territory: r.territory, dispatchedAt: r.dispatched_at, dueAt: r.due_at, realName: r.real_name === 1,
        deadline: r.status === 'new' && !r.dispatched_at ? dispatchState(r.received_at) : r.due_at && r.reminder_at ? deadlineState({ dueAt: Date.parse(r.due_at), reminderAt: Date.parse(r.reminder_at) } as never, t, r.answered_at ? Date.parse(r.answered_at) : null) : null,
      })),
      nextCursor: page.nextCursor,
    };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/cases/:id', access: 'case:read', params: Id }, async ({ params }) => {
    const row = await cases.caseOrThrow(db, params.id);
    const items = await db.selectFrom('case_items').selectAll().where('case_id', '=', row.id).orderBy('idx').execute();
    const unit = row.unit_id ? await db.selectFrom('units').select('name').where('id', '=', row.unit_id).executeTakeFirst() : undefined;
    const settings = await readSettings(db);
    const cal = await loadCalendar(db);
    // A duplicate links to the case it duplicates (stored by case number, which staff type).
    const duplicateOfId = row.duplicate_of ? (await db.selectFrom('cases').select('id').where('case_number', '=', row.duplicate_of).executeTakeFirst())?.id ?? null : null;
    let deadline = null;
    if (row.dispatched_at) {
      const d = computeDeadline(Date.parse(row.dispatched_at), cal, { ...DEFAULT_DEADLINE_POLICY, reminderTime: settings.reminderTime, tz: settings.timeZone });
      deadline = {
        dispatchDate: d.dispatchDate, reminderDate: d.reminderDate, dueDate: d.dueDate, dueAt: row.due_at, reminderAt: row.reminder_at,
        state: deadlineState(d, now(), row.answered_at ? Date.parse(row.answered_at) : null),
        workday: workdayNumber(d, now(), cal, settings.timeZone), of: DEFAULT_DEADLINE_POLICY.answerWorkdays,
        warnings: d.warnings, reminderSentAt: row.reminder_sent_at,
      };
    }
    // Before dispatch the case runs on the dispatch clock (from receipt).
    const dispatchDue = row.dispatched_at || row.status !== 'new' ? null : dispatchDeadline(Date.parse(row.received_at), cal, settings.dispatchWorkdays, settings.timeZone);
    return {
      dispatchDeadline: dispatchDue && { dueDate: dispatchDue.dueDate, dueAt: new Date(dispatchDue.dueAt).toISOString(), overdue: now() >= dispatchDue.dueAt },
      case: {
        id: row.id, caseNumber: row.case_number, boothCode: row.booth_code, language: row.language, receivedAt: row.received_at,
        status: row.status, version: row.version, category: row.category, location: row.location, summary: row.summary,
        unitId: row.unit_id, unitName: unit?.name ?? null, territory: row.territory, dispatchedAt: row.dispatched_at,
        answeredAt: row.answered_at, result: row.result, escalatedTo: row.escalated_to, duplicateOf: row.duplicate_of, duplicateOfId,
        realName: row.real_name === 1, identity: maskIdentity(readIdentity(row, opts.contactKey)),
      },
      items: items.map((i) => ({
        idx: i.idx, kind: i.kind, mime: i.mime, durationSec: i.duration_sec, playbackState: i.playback_state,
        originalUrl: `/staff/media/${row.id}/${i.idx}/original`,
        playbackUrl: i.playback_file ? `/staff/media/${row.id}/${i.idx}/playback` : null,
        posterUrl: i.poster_file ? `/staff/media/${row.id}/${i.idx}/poster` : null,
      })),
      deadline,
      history: (await cases.history(db, row.id)).map((h) => ({ ...h, detail: JSON.parse(h.detail) as unknown })),
      callbacks: await cases.callbacks(db, row.id),
    };
  });

  staffRoute(app, sc, {
    method: 'PATCH', url: '/staff/api/cases/:id', access: 'case:work', params: Id,
    body: z.object({
      version: Version, summary: z.string().max(4000).optional(), category: z.string().max(40).nullable().optional(),
      location: z.string().max(200).nullable().optional(), territory: z.string().max(40).nullable().optional(),
    }),
  }, async ({ user, params, body }) => {
    const { version, ...edit } = body;
    // A category is a code of the one vocabulary (settings.categories), never free text.
    if (edit.category && !(await readSettings(db)).categories.some((c) => c.code === edit.category)) throw new StaffError('bad_request', 'unknown_category');
    await cases.editCase(db, user, params.id, version, edit, now());
    return { ok: true };
  });

  staffRoute(app, sc, { method: 'POST', url: '/staff/api/cases/:id/events', access: 'case:work', params: Id, body: EventBody }, async ({ user, params, body }) => {
    const status = await cases.applyEvent(db, user, params.id, body.version, body.event, await loadCalendar(db), await readSettings(db), now());
    return { status };
  });

  staffRoute(app, sc, { method: 'POST', url: '/staff/api/cases/:id/notes', access: 'case:work', params: Id, body: z.object({ text: z.string().min(1).max(2000) }) }, async ({ user, params, body }) => {
    await cases.addNote(db, user, params.id, body.text, now());
    return { ok: true };
  });

  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/cases/:id/callback', access: 'case:work', params: Id,
    body: z.object({ version: Version, contacted: z.boolean(), solved: z.boolean(), satisfaction: z.enum(['satisfied', 'basically', 'unsatisfied']).nullable(), note: z.string().max(2000).default('') }),
  }, async ({ user, params, body }) => {
    const { version, ...cb } = body;
    await cases.recordCallback(db, user, params.id, version, { ...cb, satisfaction: cb.satisfaction as Satisfaction | null }, now());
    return { ok: true };
  });

  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/cases/:id/reveal', access: 'identity:reveal', params: Id,
    body: z.object({ reason: z.string().trim().min(4, 'say why you need the identity').max(500) }),
  }, async ({ user, params, body, request }) => {
    const row = await cases.caseOrThrow(db, params.id);
    const identity = readIdentity(row, opts.contactKey);
    if (Object.keys(identity).length === 0) throw new StaffError('not_found', 'this case was submitted anonymously');
    await cases.recordReveal(db, user, row, body.reason, request.ip, now());
    return { identity };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/due-soon', access: 'case:read' }, async () => {
    const t = new Date(now()).toISOString();
    const rows = await db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
      .select(['cases.id', 'cases.case_number', 'cases.summary', 'cases.status', 'cases.due_at', 'cases.reminder_at', 'cases.reminder_sent_at', 'cases.deadline_warning', 'units.name as unit_name'])
      .where('cases.reminder_at', '<=', t).where('cases.answered_at', 'is', null).where('cases.status', 'in', ['assigned', 'in_progress', 'escalated'])
      .orderBy('cases.due_at').limit(500).execute();
    return { cases: rows.map((r) => ({ id: r.id, caseNumber: r.case_number, summary: r.summary, status: r.status, dueAt: r.due_at, reminderAt: r.reminder_at, reminderSentAt: r.reminder_sent_at, warning: r.deadline_warning, unitName: r.unit_name, overdue: r.due_at! <= t })) };
  });

  registerCaseContactRoutes(app, sc, opts.contactKey);

  // ---- media (was open in the skeleton; now behind the staff login) ---------------------------
  staffRoute(app, sc, {
    method: 'GET', url: '/staff/media/:caseId/:idx/:variant', access: 'case:read',
    params: z.object({ caseId: z.uuid(), idx: z.coerce.number().int().min(0).max(99), variant: z.enum(['original', 'playback', 'poster']) }),
  }, async ({ params, reply }) => {
    const item = await db.selectFrom('case_items').selectAll().where('case_id', '=', params.caseId).where('idx', '=', params.idx).executeTakeFirst();
    const file = item && { original: item.file, playback: item.playback_file, poster: item.poster_file }[params.variant];
    if (!item || !file) throw new StaffError('not_found', 'no such media');
    return reply.sendFile(file, opts.mediaRoot, { contentType: true });
  });

  // ---- lists ----------------------------------------------------------------------------------
  async function listData(kind: 'daily' | 'weekly' | 'monthly', date: string | undefined, lang: 'zh' | 'en') {
    const s = await readSettings(db);
    const ls: ListSettings = { cutoff: s.listCutoff, meeting: s.meetingTime, tz: s.timeZone };
    const d = date ?? localDate(now(), s.timeZone);
    const w = kind === 'daily' ? dailyWindow(d, ls) : kind === 'weekly' ? weeklyWindow(d, ls) : monthlyWindow(d, ls);
    const rows = await db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
      .select(['cases.case_number', 'cases.received_at', 'cases.dispatched_at', 'cases.summary', 'cases.location', 'units.name as unit_name', 'cases.territory', 'cases.status', 'cases.result'])
      .where('cases.received_at', '>=', new Date(w.start).toISOString()).where('cases.received_at', '<', new Date(w.end).toISOString())
      .execute();
    const list: ListCase[] = rows.map((r) => ({
      caseNumber: r.case_number, receivedAt: Date.parse(r.received_at), dispatchedAt: r.dispatched_at ? Date.parse(r.dispatched_at) : null,
      summary: r.summary, location: r.location ?? '', unitName: r.unit_name, territory: r.territory, status: r.status as CaseStatus, result: r.result,
    }));
    return { kind, date: d, window: { start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), label: w.label }, meeting: s.meetingTime, rows: listRows(list, w, s.timeZone, lang) };
  }

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/lists', access: 'list:read', query: ListKind }, async ({ query }) => ({
    ...(await listData(query.kind, query.date, query.lang)), columns: LIST_COLUMNS,
  }));

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/lists.csv', access: 'list:read', query: ListKind }, async ({ query, reply }) => {
    const data = await listData(query.kind, query.date, query.lang);
    const name = `${{ daily: '每日清单', weekly: '每周清单', monthly: '每月清单' }[query.kind]}-${data.window.label.replace('/', '_')}.csv`;
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="list-${query.kind}-${data.date}.csv"; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(listCsv(data.rows, query.lang));
  });

  // ---- reports --------------------------------------------------------------------------------
  staffRoute(app, sc, {
    method: 'GET', url: '/staff/api/reports/rates', access: 'report:read',
    query: z.object({ groupBy: z.enum(['unit', 'village']).default('unit'), period: z.enum(['week', 'month']).default('week'), from: DateParam.optional(), to: DateParam.optional() }),
  }, async ({ query }) => {
    const s = await readSettings(db);
    const to = query.to ?? localDate(now(), s.timeZone);
    const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (query.period === 'week' ? 12 * 7 : 365) * 86_400_000).toISOString().slice(0, 10);
    const rows = await db.selectFrom('cases').leftJoin('units', 'units.id', 'cases.unit_id')
      .select(['cases.status', 'cases.unit_id', 'units.name as unit_name', 'cases.territory', 'cases.callback_at', 'cases.callback_contacted', 'cases.callback_solved', 'cases.callback_satisfaction'])
      .where('cases.callback_at', '>=', new Date(fromWall(from, '00:00', s.timeZone)).toISOString())
      .where('cases.callback_at', '<', new Date(fromWall(addDays(to, 1), '00:00', s.timeZone)).toISOString())
      .execute();
    const rc: RateCase[] = rows.map((r) => ({
      status: r.status as CaseStatus, unitId: r.unit_id, unitName: r.unit_name, village: r.territory,
      callback: r.callback_at ? { at: Date.parse(r.callback_at), contacted: r.callback_contacted === 1, solved: r.callback_solved === 1, satisfaction: r.callback_satisfaction as Satisfaction | null } : null,
    }));
    return {
      groupBy: query.groupBy, period: query.period, from, to,
      periods: periodsBetween(fromWall(from, '12:00', s.timeZone), fromWall(to, '12:00', s.timeZone), query.period, s.timeZone),
      rows: computeRates(rc, query.groupBy, query.period, s.timeZone),
      total: computeRates(rc.map((c) => ({ ...c, unitId: '*', unitName: '*', village: '*' })), 'unit', query.period, s.timeZone),
      definitions: RATE_DEFINITIONS,
    };
  });

  staffRoute(app, sc, {
    method: 'GET', url: '/staff/api/reports/recurring', access: 'report:read',
    query: z.object({ from: DateParam.optional(), to: DateParam.optional(), threshold: z.coerce.number().int().min(2).max(50).optional(), days: z.coerce.number().int().min(1).max(365).optional() }),
  }, async ({ query }) => {
    const s = await readSettings(db);
    const to = query.to ?? localDate(now(), s.timeZone);
    const from = query.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
    const rows = await db.selectFrom('cases').select(['id', 'case_number', 'received_at', 'category', 'location', 'status'])
      .where('received_at', '>=', new Date(fromWall(from, '00:00', s.timeZone)).toISOString())
      .where('received_at', '<', new Date(fromWall(addDays(to, 1), '00:00', s.timeZone)).toISOString()).where('category', 'is not', null).execute();
    const rc: RecurCase[] = rows.map((r) => ({ id: r.id, caseNumber: r.case_number, receivedAt: Date.parse(r.received_at), category: r.category, place: r.location, status: r.status as CaseStatus }));
    const threshold = query.threshold ?? s.recurThreshold;
    const days = query.days ?? s.recurDays;
    return { from, to, threshold, days, heat: heatMap(rc, s.timeZone), candidates: recurringCandidates(rc, { threshold, days, tz: s.timeZone }) };
  });

  // ---- audit ----------------------------------------------------------------------------------
  const auditRows = () => auditEntries(db);
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/audit', access: 'audit:read' }, async () => ({ entries: await auditRows() }));
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/audit.csv', access: 'audit:read' }, async ({ reply }) => {
    const rows = await auditRows();
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-log.csv"')
      .send(toCsv(['时间 at', '用户 user', '操作 action', '工单编号 case', '原因 reason', 'IP', '变更 change'], rows.map((r) => [r.at, r.username, r.action, r.case_number, r.reason, r.ip, r.detail ?? ''])));
  });

  // ---- admin ----------------------------------------------------------------------------------
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/users', access: 'admin:users' }, async () => {
    const users = await db.selectFrom('staff_users').select(['id', 'username', 'display_name', 'role', 'active', 'created_at', 'locked_until']).orderBy('username').execute();
    const links = await db.selectFrom('staff_user_units').selectAll().execute();
    return { users: users.map((u) => ({ ...u, unitIds: links.filter((l) => l.user_id === u.id).map((l) => l.unit_id) })) };
  });

  staffRoute(app, sc, {
    method: 'POST', url: '/staff/api/admin/users', access: 'admin:users',
    body: z.object({ username: z.string(), displayName: z.string().min(1).max(40), role: z.enum(ROLES), password: z.string().max(200), unitIds: z.array(z.string()).max(50).default([]) }),
  }, async ({ body, user, request }) => {
    try {
      const u = await createUser(db, body, now());
      await writeAudit(db, { at: now(), user, action: 'user_created', reason: u.username, ip: request.ip, after: { username: u.username, displayName: u.displayName, role: u.role, unitIds: u.unitIds } });
      return { user: u };
    } catch (e) {
      if (e instanceof AccountError) throw new StaffError(e.code === 'exists' ? 'conflict' : 'bad_request', e.message);
      throw e;
    }
  });

  staffRoute(app, sc, {
    method: 'PATCH', url: '/staff/api/admin/users/:id', access: 'admin:users', params: Id,
    body: z.object({ role: z.enum(ROLES).optional(), active: z.boolean().optional(), unitIds: z.array(z.string()).max(50).optional(), password: z.string().max(200).optional(), confirmRoleChange: z.boolean().optional() }),
  }, async ({ params, body, user, request }) => {
    await changeUser(db, user, params.id, body, { ip: request.ip, now: now(), sessionToken: request.cookies[SESSION.cookie] });
    return { ok: true };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/units', access: 'admin:units' }, async () => ({ units: await db.selectFrom('units').selectAll().orderBy('name').execute() }));
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/admin/units', access: 'admin:units', body: z.object({ name: z.string().trim().min(1).max(40) }) }, async ({ body, user, request }) => {
    const exists = await db.selectFrom('units').select('id').where('name', '=', body.name).executeTakeFirst();
    if (exists) throw new StaffError('conflict', 'a unit with that name exists');
    const id = crypto.randomUUID();
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('units').values({ id, name: body.name }).execute();
      await writeAudit(trx, { at: now(), user, action: 'unit_created', reason: body.name, ip: request.ip, after: { id, name: body.name } });
    });
    return { unit: { id, name: body.name } };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/settings', access: 'admin:settings' }, async () => ({ settings: await readSettings(db) }));
  staffRoute(app, sc, { method: 'PUT', url: '/staff/api/admin/settings', access: 'admin:settings', body: Settings.omit({ categoriesRevision: true }).partial() }, async ({ body, request, user }) => {
    // zod fills a partial's absent fields with their defaults: keep only what the admin sent, so
    // saving one setting never resets the others.
    const sent = (request.body ?? {}) as Record<string, unknown>;
    const patch = Object.fromEntries(Object.entries(body).filter(([k]) => k in sent));
    const before = await readSettings(db);
    const s = await writeSettings(db, patch);
    const diff = changedKeys(before, patch);
    if (diff) await writeAudit(db, { at: now(), user, action: 'settings_changed', reason: Object.keys(diff.after).join(','), ip: request.ip, ...diff });
    await cases.recomputeDeadlines(db, await loadCalendar(db), s);
    return { settings: s };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/calendar', access: 'admin:settings' }, async () => {
    const cal = await loadCalendar(db);
    return { years: cal.knownYears().filter((y) => y.year >= 2024), overrides: await db.selectFrom('calendar_overrides').selectAll().orderBy('date').execute() };
  });
  staffRoute(app, sc, {
    method: 'PUT', url: '/staff/api/admin/calendar', access: 'admin:settings',
    body: z.object({
      overrides: z.array(z.object({ date: DateParam, kind: z.enum(['holiday', 'workday', 'normal']), name: z.string().max(40).default('') })).max(400).default([]),
      confirmYears: z.array(z.number().int().min(2000).max(2100)).max(10).default([]),
    }),
  }, async ({ body, user, request }) => {
    const iso = new Date(now()).toISOString();
    const dates = body.overrides.map((o) => o.date);
    const old = dates.length ? await db.selectFrom('calendar_overrides').select(['date', 'kind', 'name']).where('date', 'in', dates).execute() : [];
    const oldYears = (await db.selectFrom('calendar_years').select('year').execute()).map((y) => y.year);
    await db.transaction().execute(async (trx) => {
      await writeAudit(trx, {
        at: now(), user, action: 'calendar_changed', reason: [...dates, ...body.confirmYears.map(String)].join(','), ip: request.ip,
        before: { overrides: dates.map((d) => old.find((o) => o.date === d) ?? { date: d, kind: 'normal', name: '' }), confirmedYears: body.confirmYears.filter((y) => oldYears.includes(y)) },
        after: { overrides: body.overrides, confirmedYears: body.confirmYears },
      });
      for (const o of body.overrides) {
        await trx.insertInto('calendar_overrides').values({ ...o, updated_by: user.username, updated_at: iso })
          .onConflict((oc) => oc.column('date').doUpdateSet({ kind: o.kind, name: o.name, updated_by: user.username, updated_at: iso })).execute();
      }
      for (const year of body.confirmYears) {
        await trx.insertInto('calendar_years').values({ year, confirmed_by: user.username, confirmed_at: iso }).onConflict((oc) => oc.column('year').doNothing()).execute();
      }
    });
    const recomputed = await cases.recomputeDeadlines(db, await loadCalendar(db), await readSettings(db));
    return { ok: true, recomputed };
  });
}

