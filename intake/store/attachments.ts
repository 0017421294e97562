// Staff attachments on a case (issue 15; table of migration 160): the row, its case history line
// and its audit row are written in one transaction. The file itself is already in the media store
// (intake/staff/routes/attachments.ts puts it there first and removes it if this fails).
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from './schema.ts';
import { writeCaseHistory } from './caseHistory.ts';
import { writeAudit } from './audit.ts';

type DB = Kysely<IntakeDatabase>;

export interface NewAttachment {
  id: string;
  caseId: string;
  caseNumber: string;
  kind: 'photo' | 'document';
  mime: string;
  size: number;
  sha256: string;
  /** The media store key. */
  file: string;
  title: string;
}

export async function addAttachment(
  db: DB,
  a: NewAttachment,
  user: { id: string; username: string },
  ip: string | null,
  now: number,
): Promise<void> {
  const at = new Date(now).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('case_attachments')
      .values({
        id: a.id,
        case_id: a.caseId,
        kind: a.kind,
        mime: a.mime,
        size: a.size,
        sha256: a.sha256,
        file: a.file,
        title: a.title,
        uploaded_by: user.id,
        uploaded_at: at,
      })
      .execute();
    await writeCaseHistory(trx, { caseId: a.caseId, userId: user.id, action: 'attachment', detail: { title: a.title }, at: now });
    await writeAudit(trx, {
      at: now,
      user,
      action: 'attachment_added',
      caseId: a.caseId,
      caseNumber: a.caseNumber,
      ip,
      before: null,
      after: { id: a.id, title: a.title, kind: a.kind, mime: a.mime, size: a.size, sha256: a.sha256 },
    });
  });
}

/** A case's attachments, oldest first, with the uploader's display name. */
export function attachmentsOf(db: DB, caseId: string) {
  return db
    .selectFrom('case_attachments')
    .leftJoin('staff_users', 'staff_users.id', 'case_attachments.uploaded_by')
    .select([
      'case_attachments.id',
      'case_attachments.kind',
      'case_attachments.mime',
      'case_attachments.size',
      'case_attachments.title',
      'case_attachments.file',
      'case_attachments.uploaded_at',
      'staff_users.display_name',
    ])
    .where('case_attachments.case_id', '=', caseId)
    .orderBy('case_attachments.uploaded_at')
    .orderBy('case_attachments.id')
    .execute();
}

export function attachmentOf(db: DB, caseId: string, id: string) {
  return db.selectFrom('case_attachments').selectAll().where('case_id', '=', caseId).where('id', '=', id).executeTakeFirst();
}
