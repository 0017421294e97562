// Kysely types of the tables issue 19 adds (migration 220_partners): API keys, the case event
// outbox, webhook endpoints, deliveries and their attempts. Times are ISO-8601 UTC text.
import type { Generated } from 'kysely';

export interface ApiKeysTable {
  id: string;
  name: string;
  prefix: string;
  secret_hash: string; // sha256 hex of the whole key; the key itself is shown once and never stored
  scopes: string; // JSON array of contract/partnerKeys.ts ApiKeyScope
  jurisdiction_id: string | null; // a key may be limited to one township
  rate_per_minute: Generated<number>;
  created_at: string;
  created_by: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  use_count: Generated<number>;
  last_used_at: string | null;
  last_used_ip: string | null;
}

export interface CaseEventsTable {
  seq: Generated<number>;
  event_id: string;
  case_id: string;
  history_id: number | null;
  type: string;
  occurred_at: string;
  body: string;
}

export interface WebhookEndpointsTable {
  id: string;
  name: string;
  url: string;
  secret_sealed: string;
  event_types: string;
  active: Generated<number>;
  created_at: string;
  created_by: string;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  event_seq: number;
  case_id: string;
  state: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: string;
  lease_owner: string | null;
  lease_until: string | null;
  last_status: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: string;
  status: number | null;
  error: string | null;
  duration_ms: number;
  by: string;
}

export interface PartnerTables {
  api_keys: ApiKeysTable;
  case_events: CaseEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
}

/** Columns migration 220 adds to `cases`. */
export interface CaseSourceColumns {
  source: Generated<string>; // 'booth' | 'partner'
  source_ref: string | null; // for a partner case: the API key's id
  jurisdiction_id: string | null; // migration 221: the township a partner named when filing
}
