// Back-office settings, for admins: read, and change some of them (audited; deadlines recomputed).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { readSettings, writeSettings, loadCalendar } from '../settings.ts';
import { recomputeDeadlines } from '../cases.ts';
import { changedKeys, writeAudit } from '../../store/audit.ts';

export function registerSettingsRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.admin.settings, access: 'admin:settings' }, async () => ({ settings: await readSettings(db) }));
  staffRoute(app, sc, { route: staffApi.admin.changeSettings, access: 'admin:settings' }, async ({ body, request, user }) => {
    // zod fills a partial's absent fields with their defaults: keep only what the admin sent, so
    // saving one setting never resets the others.
    const sent = (request.body ?? {}) as Record<string, unknown>;
    const patch = Object.fromEntries(Object.entries(body).filter(([k]) => k in sent));
    const before = await readSettings(db);
    const s = await writeSettings(db, patch);
    const diff = changedKeys(before, patch);
    if (diff)
      await writeAudit(db, {
        at: now(),
        user,
        action: 'settings_changed',
        reason: Object.keys(diff.after).join(','),
        ip: request.ip,
        ...diff,
      });
    await recomputeDeadlines(db, await loadCalendar(db), s);
    return { settings: s };
  });
}
