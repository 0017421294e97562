// Admin routes for partner webhooks (issue 19): endpoints (the signing secret is in the creation
// answer once), the delivery log with each attempt, manual resend, and the partner settings
// (townships served as Open311 jurisdictions, discovery contact lines). Changes are audited.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { CreateWebhookEndpoint } from '../../../contract/partnerKeys.ts';
import { createEndpoint, deliveryAttempts, listDeliveries, listEndpoints, resendDelivery, setEndpointActive } from '../../store/webhooks.ts';
import { auditPartnerAction } from '../../store/partnerAudit.ts';
import { readPartnerSettings, writePartnerSettings } from '../../store/partnerSettings.ts';
import { PartnerSettings } from '../../open311/vocabulary.ts';
import { newWebhookSecret } from '../../partners/signature.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';

const Id = z.object({ id: z.uuid() });
const NumId = z.object({ id: z.coerce.number().int().positive() });

export function registerWebhookRoutes(app: FastifyInstance, sc: StaffContext & { contactKey: Buffer }): void {
  const { db, now } = sc;
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/webhooks', access: 'admin:settings' }, async () => ({ endpoints: await listEndpoints(db) }));

  staffRoute(app, sc, { method: 'POST', url: '/staff/api/admin/webhooks', access: 'admin:settings', body: CreateWebhookEndpoint }, async ({ body, user, request }) => {
    const secret = newWebhookSecret();
    const t = now();
    const id = await createEndpoint(db, { name: body.name, url: body.url, eventTypes: [...new Set(body.eventTypes)], secret, createdBy: user.username }, sc.contactKey, t);
    await auditPartnerAction(db, user, 'webhook_created', `${body.name} ${body.url}`, request.ip, t);
    return { endpoint: (await listEndpoints(db)).find((e) => e.id === id), secret };
  });

  staffRoute(app, sc, { method: 'PATCH', url: '/staff/api/admin/webhooks/:id', access: 'admin:settings', params: Id, body: z.object({ active: z.boolean() }) }, async ({ params, body, user, request }) => {
    if (!(await setEndpointActive(db, params.id, body.active))) throw new StaffError('not_found', 'no such endpoint');
    await auditPartnerAction(db, user, body.active ? 'webhook_enabled' : 'webhook_disabled', params.id, request.ip, now());
    return { ok: true };
  });

  staffRoute(app, sc, {
    method: 'GET', url: '/staff/api/admin/webhook-deliveries', access: 'admin:settings',
    query: z.object({ endpointId: z.uuid().optional(), state: z.enum(['pending', 'delivered', 'failed']).optional(), before: z.coerce.number().int().positive().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) }),
  }, async ({ query }) => ({ deliveries: await listDeliveries(db, { ...(query.endpointId ? { endpointId: query.endpointId } : {}), ...(query.state ? { state: query.state } : {}), ...(query.before ? { beforeId: query.before } : {}), limit: query.limit }) }));

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/webhook-deliveries/:id/attempts', access: 'admin:settings', params: NumId }, async ({ params }) => ({ attempts: await deliveryAttempts(db, params.id) }));

  staffRoute(app, sc, { method: 'POST', url: '/staff/api/admin/webhook-deliveries/:id/resend', access: 'admin:settings', params: NumId }, async ({ params, user, request }) => {
    const t = now();
    if (!(await resendDelivery(db, params.id, t))) throw new StaffError('not_found', 'no such delivery');
    await auditPartnerAction(db, user, 'webhook_resend', `delivery ${params.id}`, request.ip, t);
    return { ok: true };
  });

  staffRoute(app, sc, { method: 'GET', url: '/staff/api/admin/partner-settings', access: 'admin:settings' }, async () => ({ settings: await readPartnerSettings(db) }));
  staffRoute(app, sc, { method: 'PUT', url: '/staff/api/admin/partner-settings', access: 'admin:settings', body: PartnerSettings }, async ({ body, user, request }) => {
    const ids = body.jurisdictions.map((j) => j.id);
    if (new Set(ids).size !== ids.length) throw new StaffError('bad_request', 'two townships have the same jurisdiction_id');
    const s = await writePartnerSettings(db, body);
    await auditPartnerAction(db, user, 'partner_settings', ids.join(', ') || '—', request.ip, now());
    return { settings: s };
  });
}
