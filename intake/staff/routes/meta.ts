// Reference data for the staff app's forms and filters: statuses, units, categories, territories, booths.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { CASE_STATUSES, STATUS_LABELS } from '../../casework/status.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings } from '../settings.ts';
import { listUnits } from '../../store/units.ts';
import { boothCodesWithCases } from '../../store/staffCases.ts';

export function registerMetaRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  staffRoute(app, sc, { route: staffApi.session.meta, access: 'case:read' }, async () => {
    const s = await readSettings(db);
    const units = await listUnits(db);
    const booths = await boothCodesWithCases(db);
    return {
      statuses: CASE_STATUSES.map((s) => ({ id: s, ...STATUS_LABELS[s] })),
      units: units.map((u) => ({ id: u.id, name: u.name, active: u.active === 1 })),
      categories: s.categories,
      territories: s.territories,
      booths,
      settings: { listCutoff: s.listCutoff, meetingTime: s.meetingTime, timeZone: s.timeZone },
    };
  });
}
