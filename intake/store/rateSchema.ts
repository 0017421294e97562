// Tables of migration 160_case_repeats (issue 15, helper "rates"): repeats, phone hashes, staff attachments.

export interface CaseRepeatsTable {
  repeat_id: string;
  original_id: string;
  linked_by: string | null;
  linked_at: string;
}

export interface CasePhoneHashesTable {
  case_id: string;
  phone_hash: string | null;
}

export interface CaseAttachmentsTable {
  id: string;
  case_id: string;
  kind: string;
  mime: string;
  size: number;
  sha256: string;
  file: string;
  title: string;
  uploaded_by: string;
  uploaded_at: string;
}

export interface RateTables {
  case_repeats: CaseRepeatsTable;
  case_phone_hashes: CasePhoneHashesTable;
  case_attachments: CaseAttachmentsTable;
}
