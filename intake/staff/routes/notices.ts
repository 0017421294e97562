// The in-app inbox (issue 15): each user sees the notices addressed to them, to their units, or to
// their role, and marks them read.
import type { FastifyInstance } from 'fastify';
import { NoticesReadBody } from '../../../contract/staffProcess.ts';
import { staffRoute, type StaffContext } from '../http.ts';
import { inbox, markRead, unreadCount } from '../../store/notices.ts';

export function registerNoticeRoutes(app: FastifyInstance, sc: StaffContext): void {
  const { db } = sc;
  staffRoute(app, sc, { method: 'GET', url: '/staff/api/notices', access: 'authenticated' }, async ({ user }) => ({
    notices: await inbox(db, user), unread: await unreadCount(db, user),
  }));
  staffRoute(app, sc, { method: 'POST', url: '/staff/api/notices/read', access: 'authenticated', body: NoticesReadBody }, async ({ user, body }) => ({
    marked: await markRead(db, user, 'all' in body ? 'all' : body.ids, sc.now()),
  }));
}
