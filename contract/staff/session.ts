// Session and reference data: log in, log out, who am I, the lists the forms and filters offer.
import { z } from 'zod';
import { CategoryEntry } from '../../lib/vocab.ts';
import { Ok, route } from './route.ts';

export const ROLES = ['viewer', 'handler', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

export const StaffUserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  unitIds: z.array(z.string()),
});

export const CASE_STATUSES = [
  'new',
  'assigned',
  'in_progress',
  'answered',
  'called_back',
  'closed',
  'escalated',
  'invalid',
  'duplicate',
] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const sessionRoutes = {
  login: route({
    method: 'POST',
    path: '/staff/api/login',
    summary: 'log in: sets the session cookie, answers the CSRF token',
    body: z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) }),
    response: z.object({ user: StaffUserView, csrf: z.string() }),
  }),
  logout: route({ method: 'POST', path: '/staff/api/logout', summary: 'log out', response: Ok }),
  me: route({
    method: 'GET',
    path: '/staff/api/me',
    summary: 'the logged-in user, the CSRF token and the permissions of their role',
    response: z.object({ user: StaffUserView, csrf: z.string(), permissions: z.array(z.string()) }),
  }),
  meta: route({
    method: 'GET',
    path: '/staff/api/meta',
    summary: 'reference data for forms and filters',
    response: z.object({
      statuses: z.array(z.object({ id: CaseStatus, zh: z.string(), en: z.string() })),
      units: z.array(z.object({ id: z.string(), name: z.string(), active: z.boolean() })),
      categories: z.array(CategoryEntry),
      territories: z.array(z.string()),
      booths: z.array(z.string()),
      settings: z.object({ listCutoff: z.string(), meetingTime: z.string(), timeZone: z.string() }),
    }),
  }),
};
