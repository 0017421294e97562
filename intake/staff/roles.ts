// Staff roles and what each may do. Roles are cumulative (admin ⊇ supervisor ⊇ handler ⊇ viewer):
// a village office is small and the admin is usually also a supervisor. Every staff route names
// the one permission it needs (routes/); the table test walks every route × every role.

import { ROLES, type Role } from '../../contract/staff/session.ts';
export { ROLES, type Role };

export const PERMISSIONS = {
  'case:read': 'viewer', // case list and case view, identity masked
  'list:read': 'viewer', // daily / weekly / monthly lists and their CSV
  'case:work': 'handler', // categorise, notes, summary, advance status, callback (own units only)
  'case:assign': 'supervisor', // dispatch to a unit, reassign, escalate, any unit's case
  'report:read': 'supervisor', // three rates, recurring problems
  'contact:reveal': 'handler', // the callback phone of a case of the handler's own units, with a typed reason, audited
  'identity:reveal': 'supervisor', // show a real name, with a typed reason, audited
  'audit:read': 'admin', // reveal audit log, export
  'admin:users': 'admin',
  'admin:units': 'admin',
  'admin:settings': 'admin', // list window, meeting time, webhook, calendar
  'admin:booths': 'admin', // booth enrolment and fleet (issue 8)
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

export function roleRank(r: Role): number {
  return ROLES.indexOf(r);
}

export function can(role: Role, permission: Permission): boolean {
  return roleRank(role) >= roleRank(PERMISSIONS[permission]);
}

export function isRole(s: unknown): s is Role {
  return typeof s === 'string' && (ROLES as readonly string[]).includes(s);
}

export const ROLE_LABELS: Record<Role, { zh: string; en: string }> = {
  viewer: { zh: '查看员', en: 'Viewer' },
  handler: { zh: '承办人', en: 'Handler' },
  supervisor: { zh: '主管', en: 'Supervisor' },
  admin: { zh: '管理员', en: 'Admin' },
};
