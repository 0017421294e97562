// Administration: staff accounts, units, the back-office settings and the working calendar.
import { z } from 'zod';
import { CategoryEntry, DEFAULT_CATEGORIES } from '../../lib/vocab.ts';
import { Role, ROLES, StaffUserView } from './session.ts';
import { Id, IsoDate, Ok, route } from './route.ts';
import { YearStatus } from './cases.ts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** The back-office settings (stored as JSON in the `settings` table, validated on read and write). */
export const Settings = z.object({
  listCutoff: HHMM.default('12:00'), // the daily list's window ends (and starts, the day before) here
  meetingTime: HHMM.default('17:00'),
  reminderTime: HHMM.default('09:00'),
  /** A received case is due for dispatch by the end of this working day after receipt (0 = the same day). */
  dispatchWorkdays: z.number().int().min(0).max(5).default(1),
  timeZone: z.string().default('Asia/Shanghai'),
  webhookUrl: z.union([z.url({ protocol: /^https?$/ }), z.literal('')]).default(''),
  recurThreshold: z.number().int().min(2).max(50).default(3),
  recurDays: z.number().int().min(1).max(365).default(30),
  /** THE category vocabulary (codes, staff names, short resident labels); booths receive it with their settings. */
  categories: z
    .array(CategoryEntry)
    .min(1)
    .max(40)
    .default([...DEFAULT_CATEGORIES])
    .refine((l) => new Set(l.map((c) => c.code)).size === l.length, 'category codes must be unique'),
  /** Grows with every change of `categories` (added to the booth settings' revision). */
  categoriesRevision: z.number().int().min(0).default(0),
  territories: z.array(z.string().min(1).max(40)).max(200).default([]),
  // ---- the 接诉即办 process (issue 15) ----
  /** 签收: the assigned unit acknowledges within this many working hours of dispatch. */
  ackWorkHours: z.number().min(0.5).max(72).default(2),
  /** Office hours on working days: the 签收 clock runs only between these. */
  workdayStart: HHMM.default('08:30'),
  workdayEnd: HHMM.default('17:30'),
  /** The body the notice webhook (webhookUrl) gets: plain JSON, a WeCom group robot, a DingTalk group robot. */
  webhookFormat: z.enum(['json', 'wecom', 'dingtalk']).default('json'),
  /** A DingTalk robot's 加签 secret (SEC…), optional: the URL is then signed with timestamp + sign. */
  dingtalkSecret: z.string().max(200).default(''),
  /** 渐次升级: the named owner (a staff user) of each level, for one territory or for all (''). */
  escalationOwners: z
    .array(
      z.object({ level: z.number().int().min(0).max(3), userId: z.string().min(1).max(64), territory: z.string().max(40).default('') }),
    )
    .max(400)
    .default([]),
});
export type Settings = z.infer<typeof Settings>;

export const UserRow = z.object({
  id: z.string(),
  username: z.string(),
  display_name: z.string(),
  role: z.string(),
  active: z.number(),
  created_at: z.string(),
  locked_until: z.string().nullable(),
  unitIds: z.array(z.string()),
});
export const UnitRow = z.object({ id: z.string(), name: z.string(), active: z.number() });
export const CalendarOverride = z.object({
  date: IsoDate,
  kind: z.enum(['holiday', 'workday', 'normal']),
  name: z.string().max(40).default(''),
});

export const adminRoutes = {
  users: route({
    method: 'GET',
    path: '/staff/api/admin/users',
    summary: 'staff accounts',
    response: z.object({ users: z.array(UserRow) }),
  }),
  createUser: route({
    method: 'POST',
    path: '/staff/api/admin/users',
    summary: 'create a staff account',
    body: z.object({
      username: z.string(),
      displayName: z.string().min(1).max(40),
      role: z.enum(ROLES),
      password: z.string().max(200),
      unitIds: z.array(z.string()).max(50).default([]),
    }),
    response: z.object({ user: StaffUserView }),
  }),
  changeUser: route({
    method: 'PATCH',
    path: '/staff/api/admin/users/:id',
    summary: "change an account's role, state, units or password",
    params: Id,
    body: z.object({
      role: Role.optional(),
      active: z.boolean().optional(),
      unitIds: z.array(z.string()).max(50).optional(),
      password: z.string().max(200).optional(),
      confirmRoleChange: z.boolean().optional(),
    }),
    response: Ok,
  }),
  units: route({ method: 'GET', path: '/staff/api/admin/units', summary: 'units', response: z.object({ units: z.array(UnitRow) }) }),
  createUnit: route({
    method: 'POST',
    path: '/staff/api/admin/units',
    summary: 'create a unit',
    body: z.object({ name: z.string().trim().min(1).max(40) }),
    response: z.object({ unit: z.object({ id: z.string(), name: z.string() }) }),
  }),
  settings: route({
    method: 'GET',
    path: '/staff/api/admin/settings',
    summary: 'the back-office settings',
    response: z.object({ settings: Settings }),
  }),
  changeSettings: route({
    method: 'PUT',
    path: '/staff/api/admin/settings',
    summary: 'change some settings (the others keep their values)',
    body: Settings.omit({ categoriesRevision: true }).partial(),
    response: z.object({ settings: Settings }),
  }),
  calendar: route({
    method: 'GET',
    path: '/staff/api/admin/calendar',
    summary: 'the known years and the day overrides',
    response: z.object({
      years: z.array(z.object({ year: z.number(), status: YearStatus })),
      overrides: z.array(
        z.object({ date: z.string(), kind: z.string(), name: z.string(), updated_by: z.string(), updated_at: z.string() }),
      ),
    }),
  }),
  changeCalendar: route({
    method: 'PUT',
    path: '/staff/api/admin/calendar',
    summary: 'set day overrides and confirm years (deadlines are recomputed)',
    body: z.object({
      overrides: z.array(CalendarOverride).max(400).default([]),
      confirmYears: z.array(z.number().int().min(2000).max(2100)).max(10).default([]),
    }),
    response: z.object({ ok: z.literal(true), recomputed: z.number() }),
  }),
};
