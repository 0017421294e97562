// Staff attachments on a case (issue 15): an after-photo or a document. A handler of the case's
// unit adds one (supervisors and above: any case; staff/cases.ts assertMayWork), everyone who may
// read the case lists and opens them. The type is read from the content (media/fileType.ts), never
// from what the browser declared; the file goes to the intake's media store (a folder or the object
// store) under `<case>/attachments/<id><ext>`, then the row, the history line and the audit row are
// written in one transaction (store/attachments.ts); if that fails the stored file is removed.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { ATTACHMENT_BODY_LIMIT, ATTACHMENT_MAX_BYTES } from '../../../contract/staff/attachments.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { assertMayWork, caseOrThrow } from '../cases.ts';
import { can } from '../roles.ts';
import type { MediaStore } from '../../media/mediaStore.ts';
import { sendMedia } from '../../media/serveMedia.ts';
import { sniffFileType } from '../../media/fileType.ts';
import { addAttachment, attachmentOf, attachmentsOf } from '../../store/attachments.ts';

const fileUrl = (caseId: string, id: string) => `/staff/api/cases/${caseId}/attachments/${id}`;

export function registerAttachmentRoutes(app: FastifyInstance, sc: StaffContext, media: MediaStore): void {
  const { db } = sc;

  staffRoute(app, sc, { route: staffApi.attachments.list, access: 'case:read' }, async ({ user, params }) => {
    const row = await caseOrThrow(db, params.id);
    const mayAdd = can(user.role, 'case:assign') || (can(user.role, 'case:work') && !!row.unit_id && user.unitIds.includes(row.unit_id));
    return {
      mayAdd,
      attachments: (await attachmentsOf(db, row.id)).map((a) => ({
        id: a.id,
        kind: a.kind as 'photo' | 'document',
        mime: a.mime,
        size: Number(a.size),
        title: a.title,
        uploadedBy: a.display_name,
        uploadedAt: a.uploaded_at,
        url: fileUrl(row.id, a.id),
      })),
    };
  });

  staffRoute(
    app,
    sc,
    { route: staffApi.attachments.add, access: 'case:work', bodyLimit: ATTACHMENT_BODY_LIMIT },
    async ({ user, params, body, request }) => {
      const row = await caseOrThrow(db, params.id);
      assertMayWork(user, row);
      const bytes = Buffer.from(body.data, 'base64');
      if (bytes.length === 0) throw new StaffError('bad_request', 'file_type');
      if (bytes.length > ATTACHMENT_MAX_BYTES) throw new StaffError('bad_request', 'file_too_large');
      const type = sniffFileType(bytes);
      if (!type) throw new StaffError('bad_request', 'file_type');
      const id = randomUUID();
      const key = `${row.id}/attachments/${id}${type.ext}`;
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const dir = await mkdtemp(path.join(os.tmpdir(), 'staff-attachment-'));
      try {
        const tmp = path.join(dir, `upload${type.ext}`);
        await writeFile(tmp, bytes);
        await media.putFile(key, tmp);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      const at = sc.now();
      try {
        await addAttachment(
          db,
          {
            id,
            caseId: row.id,
            caseNumber: row.case_number,
            kind: type.kind,
            mime: type.mime,
            size: bytes.length,
            sha256,
            file: key,
            title: body.title,
          },
          user,
          request.ip,
          at,
        );
      } catch (e) {
        await media.delete(key).catch(() => {});
        throw e;
      }
      return {
        id,
        kind: type.kind,
        mime: type.mime,
        size: bytes.length,
        title: body.title,
        uploadedBy: user.displayName,
        uploadedAt: new Date(at).toISOString(),
        url: fileUrl(row.id, id),
      };
    },
  );

  staffRoute(app, sc, { route: staffApi.attachments.file, access: 'case:read' }, async ({ params, query, request, reply }) => {
    const a = await attachmentOf(db, params.id, params.attachmentId);
    if (!a) throw new StaffError('not_found', 'no such attachment');
    // Served as the type found in its content; a download carries the staff-typed title as its name.
    const name = `${a.title}${path.extname(a.file)}`;
    reply.header(
      'content-disposition',
      `${query.download === '1' ? 'attachment' : 'inline'}; filename*=UTF-8''${encodeURIComponent(name)}`,
    );
    return sendMedia(request, reply, media, a.file);
  });
}
