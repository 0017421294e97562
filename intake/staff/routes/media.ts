// A case's media files (original, playback copy, poster), behind the staff login; byte ranges for
// the player's seeking, from a folder or the object store (intake/media/serveMedia.ts).
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { caseItem } from '../../store/staffCases.ts';
import type { MediaStore } from '../../media/mediaStore.ts';
import { sendMedia } from '../../media/serveMedia.ts';

export function registerMediaRoutes(app: FastifyInstance, sc: StaffContext, media: MediaStore): void {
  staffRoute(app, sc, { route: staffApi.cases.media, access: 'case:read' }, async ({ params, reply, request }) => {
    const item = await caseItem(sc.db, params.caseId, params.idx);
    const file = item && { original: item.file, playback: item.playback_file, poster: item.poster_file }[params.variant];
    if (!item || !file) throw new StaffError('not_found', 'no such media');
    return sendMedia(request, reply, media, file);
  });
}
