// Kysely types of the back office's tables and of the columns it adds to `cases`
// (migration 0NN_casework). Times are ISO-8601 UTC strings like the rest of the store, so text
// order is time order in SQLite and Postgres alike.
import type { Generated } from 'kysely';

/** Columns the case workflow adds to the booth's `cases` rows. */
export interface CaseworkColumns {
  summary: Generated<string>; // 诉求内容: the clerk's summary / transcript
  unit_id: string | null; // 承办单位
  territory: string | null; // 责任属地 (the village or community responsible)
  dispatched_at: string | null; // 派单时间: first assignment to a unit
  reminder_at: string | null; // 4th working day, computed at dispatch
  due_at: string | null; // end of the 7th working day
  deadline_warning: string | null; // e.g. "2027:provisional" when the calendar was unsure
  reminder_sent_at: string | null; // webhook delivered
  answered_at: string | null;
  result: string | null; // 办理结果
  escalated_to: string | null; // 吹哨: the agency
  duplicate_of: string | null; // case number of the original
  callback_at: string | null; // the latest callback, denormalised for the rates
  callback_contacted: number | null;
  callback_solved: number | null;
  callback_satisfaction: string | null;
  real_name: Generated<number>; // 1 when an identity block was submitted
  identity_sealed: string | null; // base64 sealed JSON {name, idNumber, address}; never in clear
  search_text: Generated<string>; // lower-cased case number + summary + location, for search
  updated_at: string | null;
  version: Generated<number>; // optimistic concurrency for edits from two browsers
}

export interface UnitsTable {
  id: string;
  name: string;
  active: Generated<number>;
}

export interface StaffUsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  active: Generated<number>;
  created_at: string;
  failed_logins: Generated<number>;
  locked_until: string | null;
}

export interface StaffUserUnitsTable {
  user_id: string;
  unit_id: string;
}

export interface StaffSessionsTable {
  id_hash: string; // sha256 of the cookie value: a leaked database does not leak live sessions
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
}

export interface CaseHistoryTable {
  id: Generated<number>;
  case_id: string;
  at: string;
  user_id: string | null;
  action: string; // status event, 'edit', 'note', 'callback', 'reveal', 'reminder'
  detail: string; // JSON, never personal data in clear
}

export interface CaseCallbacksTable {
  id: Generated<number>;
  case_id: string;
  at: string;
  user_id: string;
  contacted: number;
  solved: number;
  satisfaction: string | null;
  note: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  user_id: string;
  username: string;
  action: string; // 'reveal_identity', 'export_audit', 'login', 'login_failed', 'user_created', ...
  case_id: string | null;
  case_number: string | null;
  reason: string;
  ip: string | null;
  detail: string | null; // JSON {before, after} (migration 141)
}

export interface SettingsTable {
  key: string;
  value: string; // JSON
}

export interface CalendarOverridesTable {
  date: string;
  kind: string; // holiday | workday | normal
  name: string;
  updated_by: string;
  updated_at: string;
}

export interface CalendarYearsTable {
  year: number;
  confirmed_by: string;
  confirmed_at: string;
}

export interface StaffTables {
  units: UnitsTable;
  staff_users: StaffUsersTable;
  staff_user_units: StaffUserUnitsTable;
  staff_sessions: StaffSessionsTable;
  case_history: CaseHistoryTable;
  case_callbacks: CaseCallbacksTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  calendar_overrides: CalendarOverridesTable;
  calendar_years: CalendarYearsTable;
}
