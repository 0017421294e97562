// The in-app inbox (issue 15): each user sees the notices addressed to them, to their units, or to
// their role, and marks them read.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { inbox, markRead, unreadCount } from '../../store/notices.ts';

export function registerNoticeRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  staffRoute(app, sc, { route: staffApi.process.notices, access: 'authenticated' }, async ({ user }) => ({
    notices: await inbox(db, user),
    unread: await unreadCount(db, user),
  }));
  staffRoute(app, sc, { route: staffApi.process.readNotices, access: 'authenticated' }, async ({ user, body }) => ({
    marked: await markRead(db, user, 'all' in body ? 'all' : body.ids, sc.now()),
  }));
}
