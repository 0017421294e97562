// A case's media files (original, playback copy, poster), behind the staff login.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { StaffError, staffRoute, type StaffContext } from '../http.ts';
import { caseItem } from '../../store/staffCases.ts';

export function registerMediaRoutes(app: FastifyInstance, sc: StaffContext, mediaRoot: string): void {
  staffRoute(app, sc, {
    method: 'GET', url: '/staff/media/:caseId/:idx/:variant', access: 'case:read',
    params: z.object({ caseId: z.uuid(), idx: z.coerce.number().int().min(0).max(99), variant: z.enum(['original', 'playback', 'poster']) }),
  }, async ({ params, reply }) => {
    const item = await caseItem(sc.db, params.caseId, params.idx);
    const file = item && { original: item.file, playback: item.playback_file, poster: item.poster_file }[params.variant];
    if (!item || !file) throw new StaffError('not_found', 'no such media');
    return reply.sendFile(file, mediaRoot, { contentType: true });
  });
}
