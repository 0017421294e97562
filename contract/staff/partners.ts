// Partner systems (issue 19), for admins: API keys, webhook endpoints and their deliveries, and the
// partner settings (townships served as Open311 jurisdictions, discovery contact lines).
import { z } from 'zod';
import { ApiKeyView, CreateApiKey, CreateWebhookEndpoint, WebhookDeliveryView, WebhookEndpointView } from '../partnerKeys.ts';
import { Id, NumericId, Ok, route } from './route.ts';

/** A township served by this intake: its Open311 jurisdiction_id and the villages (责任属地) it holds. */
export const Jurisdiction = z.object({
  id: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash, underscore'),
  nameZh: z.string().trim().min(1).max(40),
  nameEn: z.string().trim().max(80).default(''),
  villages: z.array(z.string().trim().min(1).max(40)).max(500).default([]),
});
export type Jurisdiction = z.infer<typeof Jurisdiction>;

/** The partner settings an admin edits on the 系统对接 page (stored under the settings key `partners`). */
export const PartnerSettings = z.object({
  jurisdictions: z.array(Jurisdiction).max(50).default([]),
  contact: z.string().max(200).default(''),
  keyService: z.string().max(200).default(''),
});
export type PartnerSettings = z.infer<typeof PartnerSettings>;

export const partnerRoutes = {
  apiKeys: route({
    method: 'GET',
    path: '/staff/api/admin/api-keys',
    summary: 'partner API keys',
    response: z.object({ keys: z.array(ApiKeyView) }),
  }),
  createApiKey: route({
    method: 'POST',
    path: '/staff/api/admin/api-keys',
    summary: 'create a key (the secret is in this answer once and never again)',
    body: CreateApiKey,
    response: z.object({ key: ApiKeyView, secret: z.string() }),
  }),
  revokeApiKey: route({
    method: 'POST',
    path: '/staff/api/admin/api-keys/:id/revoke',
    summary: 'revoke a key',
    params: Id,
    response: z.object({ key: ApiKeyView }),
  }),
  webhooks: route({
    method: 'GET',
    path: '/staff/api/admin/webhooks',
    summary: 'webhook endpoints',
    response: z.object({ endpoints: z.array(WebhookEndpointView) }),
  }),
  createWebhook: route({
    method: 'POST',
    path: '/staff/api/admin/webhooks',
    summary: 'add an endpoint (the signing secret is in this answer once)',
    body: CreateWebhookEndpoint,
    response: z.object({ endpoint: WebhookEndpointView.optional(), secret: z.string() }),
  }),
  changeWebhook: route({
    method: 'PATCH',
    path: '/staff/api/admin/webhooks/:id',
    summary: 'pause or resume an endpoint',
    params: Id,
    body: z.object({ active: z.boolean() }),
    response: Ok,
  }),
  deliveries: route({
    method: 'GET',
    path: '/staff/api/admin/webhook-deliveries',
    summary: 'the delivery log, newest first',
    query: z.object({
      endpointId: z.uuid().optional(),
      state: z.enum(['pending', 'delivered', 'failed']).optional(),
      before: z.coerce.number().int().positive().optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
    }),
    response: z.object({ deliveries: z.array(WebhookDeliveryView) }),
  }),
  attempts: route({
    method: 'GET',
    path: '/staff/api/admin/webhook-deliveries/:id/attempts',
    summary: "a delivery's attempts",
    params: NumericId,
    response: z.object({
      attempts: z.array(
        z.object({
          id: z.number(),
          delivery_id: z.number(),
          at: z.string(),
          status: z.number().nullable(),
          error: z.string().nullable(),
          duration_ms: z.number(),
          by: z.string(),
        }),
      ),
    }),
  }),
  resend: route({
    method: 'POST',
    path: '/staff/api/admin/webhook-deliveries/:id/resend',
    summary: 'deliver again now (same event id, same body)',
    params: NumericId,
    response: Ok,
  }),
  partnerSettings: route({
    method: 'GET',
    path: '/staff/api/admin/partner-settings',
    summary: 'the partner settings',
    response: z.object({ settings: PartnerSettings }),
  }),
  changePartnerSettings: route({
    method: 'PUT',
    path: '/staff/api/admin/partner-settings',
    summary: 'change the partner settings',
    body: PartnerSettings,
    response: z.object({ settings: PartnerSettings }),
  }),
};
