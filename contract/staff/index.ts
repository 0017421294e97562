// The staff API (the back office's web app ↔ the intake), one object per route, grouped by
// resource like intake/staff/routes/. A new staff route is described here first; the server
// registers it from the description, the client calls it by name, the OpenAPI document lists it.
import { sessionRoutes } from './session.ts';
import { caseRoutes } from './cases.ts';
import { reportRoutes } from './reports.ts';
import { adminRoutes } from './admin.ts';
import { partnerRoutes } from './partners.ts';
import { fleetRoutes } from './fleet.ts';
import { processRoutes } from './process.ts';
import { repeatRoutes } from './repeats.ts';
import { rankingRoutes } from './ranking.ts';
import { homeRoutes } from './home.ts';
import { attachmentRoutes } from './attachments.ts';

export const staffApi = {
  session: sessionRoutes,
  cases: caseRoutes,
  process: processRoutes,
  reports: reportRoutes,
  admin: adminRoutes,
  partners: partnerRoutes,
  fleet: fleetRoutes,
  repeats: repeatRoutes,
  ranking: rankingRoutes,
  home: homeRoutes,
  attachments: attachmentRoutes,
};
export type StaffApi = typeof staffApi;

export const STAFF_OPENAPI_PATH = '/staff/api/openapi.json';
