// Admin routes for partner webhooks (issue 19): endpoints (the signing secret is in the creation
// answer once), the delivery log with each attempt, manual resend, and the partner settings
// (townships served as Open311 jurisdictions, discovery contact lines). Changes are audited.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import {
  createEndpoint,
  deliveryAttempts,
  listDeliveries,
  listEndpoints,
  resendDelivery,
  setEndpointActive,
} from '../../store/webhooks.ts';
import { auditPartnerAction } from '../../store/partnerAudit.ts';
import { readPartnerSettings, writePartnerSettings } from '../../store/partnerSettings.ts';
import { newWebhookSecret } from '../../partners/signature.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';

export function registerWebhookRoutes(app: FastifyInstance, sc: StaffContext & { contactKey: Buffer }): void {
  const { db, now } = sc;
  staffRoute(app, sc, { route: staffApi.partners.webhooks, access: 'admin:settings' }, async () => ({
    endpoints: await listEndpoints(db),
  }));

  staffRoute(app, sc, { route: staffApi.partners.createWebhook, access: 'admin:settings' }, async ({ body, user, request }) => {
    const secret = newWebhookSecret();
    const t = now();
    const id = await createEndpoint(
      db,
      { name: body.name, url: body.url, eventTypes: [...new Set(body.eventTypes)], secret, createdBy: user.username },
      sc.contactKey,
      t,
    );
    await auditPartnerAction(db, user, 'webhook_created', `${body.name} ${body.url}`, request.ip, t);
    return { endpoint: (await listEndpoints(db)).find((e) => e.id === id), secret };
  });

  staffRoute(app, sc, { route: staffApi.partners.changeWebhook, access: 'admin:settings' }, async ({ params, body, user, request }) => {
    if (!(await setEndpointActive(db, params.id, body.active))) throw new StaffError('not_found', 'no such endpoint');
    await auditPartnerAction(db, user, body.active ? 'webhook_enabled' : 'webhook_disabled', params.id, request.ip, now());
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.partners.deliveries, access: 'admin:settings' }, async ({ query }) => ({
    deliveries: await listDeliveries(db, {
      ...(query.endpointId ? { endpointId: query.endpointId } : {}),
      ...(query.state ? { state: query.state } : {}),
      ...(query.before ? { beforeId: query.before } : {}),
      limit: query.limit,
    }),
  }));

  staffRoute(app, sc, { route: staffApi.partners.attempts, access: 'admin:settings' }, async ({ params }) => ({
    attempts: await deliveryAttempts(db, params.id),
  }));

  staffRoute(app, sc, { route: staffApi.partners.resend, access: 'admin:settings' }, async ({ params, user, request }) => {
    const t = now();
    if (!(await resendDelivery(db, params.id, t))) throw new StaffError('not_found', 'no such delivery');
    await auditPartnerAction(db, user, 'webhook_resend', `delivery ${params.id}`, request.ip, t);
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.partners.partnerSettings, access: 'admin:settings' }, async () => ({
    settings: await readPartnerSettings(db),
  }));
  staffRoute(app, sc, { route: staffApi.partners.changePartnerSettings, access: 'admin:settings' }, async ({ body, user, request }) => {
    const ids = body.jurisdictions.map((j) => j.id);
    if (new Set(ids).size !== ids.length) throw new StaffError('bad_request', 'two townships have the same jurisdiction_id');
    const s = await writePartnerSettings(db, body);
    await auditPartnerAction(db, user, 'partner_settings', ids.join(', ') || '—', request.ip, now());
    return { settings: s };
  });
}
