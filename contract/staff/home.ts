// The home page (issue 15): today's numbers, the user's lists, this week's rates.
import { z } from 'zod';
import { route } from './route.ts';
import { CaseClockView } from './process.ts';

const HomeRow = z.object({
  id: z.string(),
  caseNumber: z.string(),
  summary: z.string(),
  status: z.string(),
  dueAt: z.string().nullable(),
  receivedAt: z.string(),
  unitName: z.string().nullable(),
  clock: CaseClockView.describe('the case clock, as on the case list and the case view'),
});
export const homeRoutes = {
  get: route({
    method: 'GET',
    path: '/staff/api/home',
    summary: "the home page: today's numbers, the lists that are the user's, this week's rates",
    response: z.object({
      counts: z.object({ newToday: z.number(), waitingDispatch: z.number(), dueSoon: z.number(), overdue: z.number() }),
      myUnits: z.array(HomeRow),
      waiting: z.array(HomeRow),
      owned: z.array(HomeRow.extend({ level: z.number().nullable() })),
      week: z
        .object({
          start: z.string(),
          end: z.string(),
          evaluated: z.number(),
          responseRate: z.number().nullable(),
          resolutionRate: z.number().nullable(),
          satisfactionRate: z.number().nullable(),
        })
        .nullable(),
    }),
  }),
};
