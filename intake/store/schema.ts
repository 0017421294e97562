// Kysely table types for the intake store. One SQL toolkit for SQLite (embedded) and Postgres (scale-out).
import type { RateTables } from './rateSchema.ts';
import type { ColumnType, Generated } from 'kysely';
import type { CaseworkColumns, StaffTables } from './staffSchema.ts';
import type { ProcessColumns, ProcessTables } from './processSchema.ts';
import type { CaseSourceColumns, PartnerTables } from './partnerSchema.ts';

export interface CasesTable {
  id: string;
  case_number: string;
  booth_code: string;
  language: string;
  started_at: string;
  saved_at: string;
  received_at: string;
  category: string | null;
  location: string | null;
  contact_sealed: string | null;
  status: Generated<string>;
  manifest_hash: string;
}

export interface CaseItemsTable {
  case_id: string;
  idx: number;
  kind: string;
  mime: string;
  camera: string | null;
  size: number;
  sha256: string;
  duration_sec: number | null;
  file: string;
  playback_file: string | null;
  poster_file: string | null;
  playback_state: Generated<string>;
}

export interface BoothCredentialsTable {
  booth_code: string;
  secret_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface DeliveryUploadsTable {
  upload_id: string;
  booth_code: string;
  submission_id: string;
  idx: number;
  size: number;
  sha256: string;
  created_at: number;
  verified_at: number | null;
}

export interface BoothHeartbeatsTable {
  id: Generated<number>;
  booth_code: string;
  received_at: number;
  sent_at: string;
  version: string;
  queue_depth: number;
  oldest_unsent_sec: number | null;
  bytes_waiting: number;
  disk_free_bytes: number;
  disk_total_bytes: number;
  /** Migration 240: what the booth needs free to take one more full recording (null from older booths). */
  disk_need_bytes?: number | null;
  devices_json: string;
  last_error: string | null;
  alerts_json: string;
}

/** Booth API idempotency keys (migration 007); see intake/store/idempotencyKeys.ts. */
export interface IdempotencyKeysTable {
  booth_code: string;
  idem_key: string;
  fingerprint: string;
  state: 'in_progress' | 'done';
  lease_owner: string | null;
  lease_until: number | null;
  response_status: number | null;
  response_body: string | null;
  created_at: number;
}

export interface BoothsTable {
  booth_code: string;
  village: string;
  location: string;
  created_at: number;
  enrolled_at: number | null;
  revoked_at: number | null;
}

export interface EnrolmentCodesTable {
  code_hash: string;
  booth_code: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  withdrawn: Generated<number>;
}

/** Migration 200: the status page's secret per case (sha256 only) and the resident's own rating. */
export interface ResidentStatusTokensTable {
  token_hash: string;
  case_id: string;
}
export interface ResidentRatingsTable {
  case_id: string;
  rating: string; // 'satisfied' | 'basically' | 'unsatisfied'
  rated_at: string;
}

/** Migration 120 (issue 14 item 3, issue 18): the intake as the authority for a booth's numbers. */
export interface CaseNumberAliasesTable {
  alias: string;
  case_id: string;
  booth_code: string;
  created_at: number;
  /** Migration 270: 'case' (a BOOTH-DAY-SEQ number) or 'resident' (an 8-digit receipt number). */
  kind: ColumnType<'case' | 'resident', 'case' | 'resident' | undefined, never>;
}

export interface ResidentNumberBlocksTable {
  start: number;
  size: number;
  booth_code: string;
  issued_at: number;
}

export interface IntakeAlertsTable {
  id: Generated<number>;
  booth_code: string;
  kind: string;
  message: string;
  created_at: number;
}

export interface BoothSettingsTable {
  scope: string;
  settings_json: string;
  updated_at: number;
}

// The back office's tables and case columns (migration 003_casework) live in staff/schema.ts.
export interface IntakeDatabase extends StaffTables, PartnerTables, ProcessTables, RateTables {
  cases: CasesTable & CaseworkColumns & CaseSourceColumns & ProcessColumns & { resident_number: Generated<string | null> };
  case_number_aliases: CaseNumberAliasesTable;
  resident_number_blocks: ResidentNumberBlocksTable;
  intake_alerts: IntakeAlertsTable;
  case_items: CaseItemsTable;
  booths: BoothsTable;
  enrolment_codes: EnrolmentCodesTable;
  booth_settings: BoothSettingsTable;
  booth_credentials: BoothCredentialsTable;
  delivery_uploads: DeliveryUploadsTable;
  booth_heartbeats: BoothHeartbeatsTable;
  idempotency_keys: IdempotencyKeysTable;
  login_throttle: LoginThrottleTable;
  work_leases: WorkLeasesTable;
  rate_limit_hits: RateLimitHitsTable;
  resident_status_tokens: ResidentStatusTokensTable;
  resident_ratings: ResidentRatingsTable;
}

// Migration 170_district: several intake processes on one store.
export interface LoginThrottleTable {
  username: string;
  client: string;
  failures: number;
  last_failure_at: number;
  next_allowed_at: number;
}

export interface WorkLeasesTable {
  kind: string;
  item: string;
  owner: string;
  until: number;
}

export interface RateLimitHitsTable {
  key: string;
  hits: number;
  window_ends_at: number;
}
