// API keys for partner systems (issue 19): scopes and the staff app's admin API for keys and
// webhook endpoints. Keys are shown once at creation; only their SHA-256 is stored.
import { z } from 'zod';
import { CaseEventType } from './caseEvents.ts';

export const API_KEY_SCOPES = ['cases:read', 'cases:write', 'rates:read'] as const;
export const ApiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;

/** sbk_ + 32 base64url characters (24 random bytes). */
export const API_KEY_PATTERN = /^sbk_[A-Za-z0-9_-]{32}$/;

export const CreateApiKey = z.object({
  name: z.string().trim().min(1).max(60),
  scopes: z.array(ApiKeyScope).min(1).max(API_KEY_SCOPES.length),
  expiresInDays: z.number().int().min(1).max(730).nullable().default(365),
  ratePerMinute: z.number().int().min(1).max(6000).default(60),
  jurisdictionId: z.string().max(100).nullable().default(null),
});

export const ApiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('the first characters of the key, to recognise it'),
  scopes: z.array(ApiKeyScope),
  jurisdictionId: z.string().nullable(),
  ratePerMinute: z.number(),
  createdAt: z.string(),
  createdBy: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  useCount: z.number(),
  lastUsedAt: z.string().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
});
export type ApiKeyView = z.infer<typeof ApiKeyView>;

export const CreateWebhookEndpoint = z.object({
  name: z.string().trim().min(1).max(60),
  url: z.url({ protocol: /^https?$/ }),
  eventTypes: z.array(CaseEventType).max(20).default([]).describe('empty = every event type'),
});

export const WebhookEndpointView = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  eventTypes: z.array(CaseEventType),
  active: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  pending: z.number(),
  failed: z.number(),
});

export const WebhookDeliveryView = z.object({
  id: z.number(),
  endpointId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  caseNumber: z.string().nullable(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
