// Every page of the staff app, once: its path, nav label, the permission it needs, its component.
// Permissions mirror intake/staff/roles.ts; the server checks them again on every API route.
import type { ComponentType } from 'react';
import type { Key } from './i18n.ts';
import { CaseList } from './pages/CaseList.tsx';
import { Home } from './pages/Home.tsx';
import { CaseView } from './pages/CaseView.tsx';
import { DueSoon } from './pages/DueSoon.tsx';
import { Inbox } from './pages/Inbox.tsx';
import { Mine } from './pages/Mine.tsx';
import { Approvals } from './pages/Approvals.tsx';
import { ProcessSettings } from './pages/ProcessSettings.tsx';
import { Lists } from './pages/Lists.tsx';
import { Rates } from './pages/Rates.tsx';
import { Recurring } from './pages/Recurring.tsx';
import { Audit } from './pages/Audit.tsx';
import { Admin } from './pages/Admin.tsx';
import { FleetPage } from './pages/Fleet.tsx';
import { BoothSettingsPage } from './pages/BoothSettings.tsx';
import { PartnersPage } from './pages/Partners.tsx';

export interface PageDef {
  path: string;
  label: Key | { zh: string; en: string };
  permission: string;
  nav: boolean;
  component: ComponentType<{ params: string[] }>;
}

export const PAGES: PageDef[] = [
  { path: '/home', label: 'navHome', permission: 'case:read', nav: true, component: Home },
  { path: '/cases', label: 'navCases', permission: 'case:read', nav: true, component: CaseList },
  { path: '/case', label: 'navCases', permission: 'case:read', nav: false, component: CaseView },
  { path: '/due', label: 'navDue', permission: 'case:read', nav: true, component: DueSoon },
  { path: '/inbox', label: 'navInbox', permission: 'case:read', nav: true, component: Inbox },
  { path: '/mine', label: 'navMine', permission: 'case:read', nav: true, component: Mine },
  { path: '/approvals', label: 'navApprovals', permission: 'case:assign', nav: true, component: Approvals },
  { path: '/lists', label: 'navLists', permission: 'list:read', nav: true, component: Lists },
  { path: '/rates', label: 'navRates', permission: 'report:read', nav: true, component: Rates },
  { path: '/recurring', label: 'navRecurring', permission: 'report:read', nav: true, component: Recurring },
  { path: '/audit', label: 'navAudit', permission: 'audit:read', nav: true, component: Audit },
  { path: '/admin', label: 'navAdmin', permission: 'admin:users', nav: true, component: Admin },
  { path: '/process-settings', label: 'navProcessSettings', permission: 'admin:settings', nav: true, component: ProcessSettings },
  { path: '/fleet', label: { zh: '设备', en: 'Fleet' }, permission: 'admin:booths', nav: true, component: FleetPage },
  {
    path: '/booth-settings',
    label: { zh: '设备设置', en: 'Booth settings' },
    permission: 'admin:booths',
    nav: true,
    component: BoothSettingsPage,
  },
  { path: '/partners', label: { zh: '系统对接', en: 'Partner systems' }, permission: 'admin:settings', nav: true, component: PartnersPage },
];

/** '/case/abc' → the /case page with params ['abc']. */
export function matchPage(hash: string): { page: PageDef | undefined; params: string[] } {
  const [path, ...rest] = hash.split('?')[0]!.split('/').filter(Boolean);
  return { page: PAGES.find((p) => p.path === `/${path}`), params: rest.map(decodeURIComponent) };
}
