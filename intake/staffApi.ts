// The staff app's read API (skeleton: the case list with playable media).
// Login, roles and the case workflow are the back-office issue's; this listens on 127.0.0.1.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { CaseStore } from './store/cases.ts';
import { intakeError } from './boothApi.ts';

export const StaffCaseItem = z.object({
  idx: z.number(),
  kind: z.string(),
  mime: z.string(),
  durationSec: z.number().nullable(),
  playbackState: z.string(),
  originalUrl: z.string(),
  playbackUrl: z.string().nullable(),
  posterUrl: z.string().nullable(),
});

export interface StaffApiDeps {
  store: CaseStore;
  mediaRoot: string;
}

const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });
const MediaParams = z.object({ caseId: z.uuid(), idx: z.coerce.number().int().min(0).max(99), variant: z.enum(['original', 'playback', 'poster']) });

export function registerStaffApi(app: FastifyInstance, deps: StaffApiDeps): void {
  const { store } = deps;

  app.get('/staff/api/cases', async (request, reply) => {
    const q = ListQuery.safeParse(request.query);
    if (!q.success) return intakeError(reply, 'bad_request', z.prettifyError(q.error));
    const cases = await store.listCases(q.data.limit);
    const items = await store.itemsOfCases(cases.map((c) => c.id));
    return {
      cases: cases.map((c) => ({
        id: c.id,
        caseNumber: c.case_number,
        boothCode: c.booth_code,
        receivedAt: c.received_at,
        status: c.status,
        category: c.category,
        location: c.location,
        items: items
          .filter((i) => i.case_id === c.id)
          .map((i) => ({
            idx: i.idx,
            kind: i.kind,
            mime: i.mime,
            durationSec: i.duration_sec,
            playbackState: i.playback_state,
            originalUrl: `/staff/media/${c.id}/${i.idx}/original`,
            playbackUrl: i.playback_file ? `/staff/media/${c.id}/${i.idx}/playback` : null,
            posterUrl: i.poster_file ? `/staff/media/${c.id}/${i.idx}/poster` : null,
          })),
      })),
    };
  });

  app.get('/staff/media/:caseId/:idx/:variant', async (request, reply) => {
    const p = MediaParams.safeParse(request.params);
    if (!p.success) return intakeError(reply, 'bad_request', z.prettifyError(p.error));
    const item = (await store.items(p.data.caseId)).find((i) => i.idx === p.data.idx);
    const file = item && { original: item.file, playback: item.playback_file, poster: item.poster_file }[p.data.variant];
    if (!item || !file) return intakeError(reply, 'not_found', 'no such media');
    // Paths come from our own rows, relative to the media root; @fastify/static refuses escapes and serves ranges.
    return reply.sendFile(file, deps.mediaRoot, { contentType: true });
  });
}
