// Staff attachments on a case (issue 15): an after-photo or a document, added by a handler of the
// case's unit (supervisors and above: any case), listed on the case view, opened or downloaded.
// The file travels base64 in the JSON body (one typed client for the whole app); the server checks
// its real type by content (JPEG / PNG / WebP / PDF) and its size.
import { z } from 'zod';
import { Id, route } from './route.ts';

/** The largest attachment, in bytes (a phone photo or a scanned document). */
export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
/** The JSON body's limit: the base64 of the largest file plus the title. */
export const ATTACHMENT_BODY_LIMIT = Math.ceil(ATTACHMENT_MAX_BYTES / 3) * 4 + 64 * 1024;

export const AttachmentView = z.object({
  id: z.string(),
  kind: z.enum(['photo', 'document']),
  mime: z.string(),
  size: z.number(),
  title: z.string(),
  uploadedBy: z.string().nullable().describe("the uploader's display name"),
  uploadedAt: z.string(),
  url: z.string().describe('the file (add ?download=1 to save it)'),
});

export const attachmentRoutes = {
  list: route({
    method: 'GET',
    path: '/staff/api/cases/:id/attachments',
    summary: "a case's staff attachments, oldest first, and whether the caller may add one",
    params: Id,
    response: z.object({ attachments: z.array(AttachmentView), mayAdd: z.boolean() }),
  }),
  add: route({
    method: 'POST',
    path: '/staff/api/cases/:id/attachments',
    summary: 'add a photo (JPEG, PNG, WebP) or a PDF to a case (type checked by content; size limit)',
    params: Id,
    body: z.object({
      title: z.string().trim().min(1).max(100),
      data: z
        .string()
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64')
        .describe(`the file, base64; at most ${ATTACHMENT_MAX_BYTES} bytes`),
    }),
    response: AttachmentView,
  }),
  file: route({
    method: 'GET',
    path: '/staff/api/cases/:id/attachments/:attachmentId',
    summary: 'an attachment file, served as the type found in its content',
    params: z.object({ id: z.uuid(), attachmentId: z.uuid() }),
    query: z.object({ download: z.enum(['1', '0']).optional() }),
    response: z.string().describe('the file'),
    produces: 'file',
  }),
};
