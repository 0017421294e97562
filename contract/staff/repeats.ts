// Repeats (重复诉求) of a case (issue 15): its original or its repeats (反映 N 次), likely repeats,
// linking and unlinking.
import { z } from 'zod';
import { Id, Ok, route } from './route.ts';

const CaseRef = z.object({ id: z.string(), caseNumber: z.string(), receivedAt: z.string(), status: z.string() });
const Suggestion = CaseRef.extend({
  category: z.string().nullable(),
  location: z.string().nullable(),
  summary: z.string(),
  reasons: z.array(z.enum(['place', 'phone'])).describe("'place': same category and place; 'phone': same callback phone (keyed hash)"),
});

export const repeatRoutes = {
  get: route({
    method: 'GET',
    path: '/staff/api/cases/:id/repeats',
    summary: "a case's original or its repeats (反映 N 次), and likely repeats for those who link",
    params: Id,
    response: z.object({
      original: CaseRef.nullable(),
      repeats: z.array(CaseRef),
      timesRaised: z.number(),
      suggestions: z.array(Suggestion),
    }),
  }),
  link: route({
    method: 'POST',
    path: '/staff/api/cases/:id/repeats',
    summary: 'link two cases as one matter: the earlier (or its original) is the original',
    params: Id,
    body: z.object({ otherId: z.uuid() }),
    response: z.object({ originalId: z.string(), repeatId: z.string() }),
  }),
  unlink: route({ method: 'DELETE', path: '/staff/api/cases/:id/repeats', summary: 'undo the link of a repeat', params: Id, response: Ok }),
};
