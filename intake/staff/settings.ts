// Back-office settings, stored as JSON in the `settings` table and validated on read and write.
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { WorkCalendar, type CalendarOverride, type OverrideKind } from '../casework/calendar.ts';
import type { IntakeDatabase } from '../store/schema.ts';
import { StaffError } from './http.ts';
import { CategoryEntry, DEFAULT_CATEGORIES } from '../../lib/vocab.ts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

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
  categories: z.array(CategoryEntry).min(1).max(40).default([...DEFAULT_CATEGORIES])
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
  escalationOwners: z.array(z.object({ level: z.number().int().min(0).max(3), userId: z.string().min(1).max(64), territory: z.string().max(40).default('') })).max(400).default([]),
});
export type Settings = z.infer<typeof Settings>;

export async function readSettings(db: Kysely<IntakeDatabase>): Promise<Settings> {
  const rows = await db.selectFrom('settings').selectAll().execute();
  const raw: Record<string, unknown> = {};
  for (const r of rows) raw[r.key] = JSON.parse(r.value);
  return Settings.parse(raw);
}

export async function writeSettings(db: Kysely<IntakeDatabase>, patch: Partial<Settings>): Promise<Settings> {
  const before = await readSettings(db);
  const next = Settings.parse({ ...before, ...patch });
  if (next.workdayStart >= next.workdayEnd) throw new StaffError('bad_request', 'workday_hours');
  // A vocabulary edit bumps its revision so booths pull the new list.
  next.categoriesRevision = before.categoriesRevision + (JSON.stringify(before.categories) === JSON.stringify(next.categories) ? 0 : 1);
  await db.transaction().execute(async (trx) => {
    for (const [key, value] of Object.entries(next)) {
      await trx.insertInto('settings').values({ key, value: JSON.stringify(value) }).onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) })).execute();
    }
  });
  return next;
}

export async function loadCalendar(db: Kysely<IntakeDatabase>): Promise<WorkCalendar> {
  const overrides = await db.selectFrom('calendar_overrides').selectAll().execute();
  const years = await db.selectFrom('calendar_years').select('year').execute();
  return WorkCalendar.standard(
    overrides.map((o): CalendarOverride => ({ date: o.date, kind: o.kind as OverrideKind, name: o.name })),
    years.map((y) => y.year),
  );
}
