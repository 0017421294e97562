// Kysely table types for the intake store. One SQL toolkit for SQLite (embedded) and Postgres (scale-out).
import type { Generated } from 'kysely';
import type { CaseworkColumns, StaffTables } from '../staff/schema.ts';

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

export interface StagedItemsTable {
  submission_id: string;
  idx: number;
  size: number;
  sha256: string;
  file: string;
  received_at: string;
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

export interface BoothSettingsTable {
  scope: string;
  settings_json: string;
  updated_at: number;
}

// The back office's tables and case columns (migration 003_casework) live in staff/schema.ts.
export interface IntakeDatabase extends StaffTables {
  cases: CasesTable & CaseworkColumns;
  case_items: CaseItemsTable;
  staged_items: StagedItemsTable;
  booths: BoothsTable;
  enrolment_codes: EnrolmentCodesTable;
  booth_settings: BoothSettingsTable;
}
