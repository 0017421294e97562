// Open311 GeoReport v2 as this intake speaks it (docs/OPEN311.md): the JSON shapes of each answer
// (XML carries the same fields as elements), the POST form and the error list. Spec fields keep
// the spec's names; this product's detail lives under `extended_attributes`.
import { z } from 'zod';

export const OPEN311_PREFIX = '/open311/v2';
export const OPEN311_SPEC = 'http://wiki.open311.org/GeoReport_v2';

export const Open311Service = z.object({
  service_code: z.string(),
  service_name: z.string(),
  description: z.string(),
  metadata: z.boolean(),
  type: z.enum(['realtime', 'batch', 'blackbox']),
  keywords: z.string(),
  group: z.string(),
});

export const Open311ServiceDefinition = z.object({
  service_code: z.string(),
  attributes: z.array(z.object({ code: z.string() })).describe('none: every service is described by its text alone'),
});

export const Open311Note = z.object({ datetime: z.string(), type: z.string(), description: z.string() });

export const Open311Request = z.object({
  service_request_id: z.string().describe('the case number (工单编号)'),
  status: z.enum(['open', 'closed']),
  status_notes: z.string().nullable().describe("the handling unit's public answer once answered"),
  service_name: z.string().nullable(),
  service_code: z.string().nullable(),
  description: z.string().nullable().describe('the demand (诉求内容): only for a key with cases:read; null in public answers'),
  agency_responsible: z.string().nullable(),
  service_notice: z.string().nullable(),
  requested_datetime: z.string(),
  updated_datetime: z.string(),
  expected_datetime: z.string().nullable(),
  address: z.string().nullable().describe('public: the village (责任属地); with cases:read also the place given'),
  address_id: z.null(),
  zipcode: z.null(),
  lat: z.null(),
  long: z.null(),
  media_url: z.null().describe('never: media stay in the back office'),
  extended_attributes: z.object({
    status_detail: z.string(),
    status_label: z.string(),
    jurisdiction_id: z.string().nullable(),
    source: z.string(),
    dispatched_datetime: z.string().nullable(),
    answered_datetime: z.string().nullable(),
    notes: z.array(Open311Note).optional().describe('status steps, for a key with cases:read'),
  }),
});

export const Open311PostForm = z.object({
  api_key: z.string().optional().describe('or Authorization: Bearer / X-Api-Key; scope cases:write'),
  jurisdiction_id: z.string().optional(),
  service_code: z.string(),
  lat: z.string().optional(),
  long: z.string().optional(),
  address_string: z.string().optional(),
  address_id: z.string().optional(),
  email: z.string().optional(),
  device_id: z.string().optional(),
  account_id: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  phone: z.string().optional(),
  description: z.string().optional().describe('free text, at most 4,000 characters, no HTML'),
  media_url: z.string().optional(),
});

export const Open311PostAnswer = z.object({ service_request_id: z.string(), service_notice: z.string(), account_id: z.null() });
export const Open311TokenAnswer = z.object({ service_request_id: z.string(), token: z.string() });
export const Open311Error = z.object({
  code: z.number().int(),
  description: z.string(),
  reason: z.string().describe('machine-readable (extension)'),
});

export const Open311Discovery = z.object({
  changeset: z.string(),
  contact: z.string(),
  key_service: z.string(),
  endpoints: z.array(
    z.object({
      specification: z.string(),
      url: z.string(),
      changeset: z.string(),
      type: z.enum(['production', 'test']),
      formats: z.array(z.string()),
    }),
  ),
  jurisdictions: z
    .array(z.object({ jurisdiction_id: z.string(), name: z.string(), name_en: z.string() }))
    .describe('extension: the townships this endpoint serves'),
});
