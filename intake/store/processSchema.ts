// Kysely types of the 接诉即办 process tables and of the columns it adds to `cases` (migration 142).
import type { Generated } from 'kysely';

export interface ProcessColumns {
  ack_due_at: string | null; // 签收 due
  acknowledged_at: string | null; // 签收
  returned_at: string | null; // 退单: back to dispatch
  extended_due_date: string | null; // 延期 approved (YYYY-MM-DD, due by its 24:00)
  escalation_level: number | null; // 渐次升级 level (ESCALATION_LEVELS index)
  escalation_owner_id: string | null; // the named owner at that level
  escalated_at: string | null;
}

export interface CaseExtensionsTable {
  id: Generated<number>;
  case_id: string;
  requested_by: string;
  requested_at: string;
  reason: string;
  new_due_date: string;
  old_due_at: string | null;
  state: Generated<string>; // pending | approved | rejected
  decided_by: string | null;
  decided_at: string | null;
  decision_note: string | null;
}

export interface EscalationProposalsTable {
  id: Generated<number>;
  case_id: string;
  reason: string; // overdue | reopened | repeat
  trigger_key: string;
  proposed_level: number;
  created_at: string;
  state: Generated<string>; // open | accepted | dismissed
  decided_by: string | null;
  decided_at: string | null;
}

export interface NoticesTable {
  id: Generated<number>;
  at: string;
  kind: string;
  case_id: string | null;
  case_number: string | null;
  user_id: string | null;
  unit_id: string | null;
  min_role: string | null;
  detail: string;
  dedupe_key: string | null;
  webhook_state: Generated<string>; // pending | sent | none
  webhook_at: string | null;
}

export interface NoticeReadsTable {
  notice_id: number;
  user_id: string;
  read_at: string;
}

export interface ProcessTables {
  case_extensions: CaseExtensionsTable;
  escalation_proposals: EscalationProposalsTable;
  notices: NoticesTable;
  notice_reads: NoticeReadsTable;
}
