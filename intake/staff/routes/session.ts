// Staff sessions: log in (throttled per account + client and per address), log out, who am I.
import type { FastifyInstance } from 'fastify';
import { staffApi } from '../../../contract/staff/index.ts';
import { createLogger } from '../../../lib/log.ts';
import { checkLogin } from '../accounts.ts';
import { createSession, destroySession, SESSION } from '../sessions.ts';
import { LoginThrottle } from '../loginThrottle.ts';
import type { Post } from '../reminders.ts';
import { sendError, staffRoute, type StaffContext } from '../http.ts';
import { PERMISSIONS, can } from '../roles.ts';

const log = createLogger('staff-api');

export interface SessionOptions {
  /** Set the Secure flag on the session cookie: 'auto' = when the request came over HTTPS. */
  secureCookie?: boolean | 'auto';
  /** Login attempts per client address per minute (on top of the per account + client throttle). */
  loginsPerMinute?: number;
  /** How admin alerts reach the webhook (tests); fetch by default. */
  post?: Post;
}

export function registerSessionRoutes(app: FastifyInstance, sc: StaffContext, opts: SessionOptions): void {
  const { db, now } = sc;
  const throttle = new LoginThrottle(db, opts.post);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: opts.secureCookie ?? 'auto' };

  staffRoute(
    app,
    sc,
    {
      route: staffApi.session.login,
      access: 'public',
      rateLimit: { max: opts.loginsPerMinute ?? 10, timeWindow: '1 minute' },
    },
    async ({ body, reply, request }) => {
      const client = request.ip;
      const wait = await throttle.check(body.username, client, now());
      if (!wait.allowed) {
        reply.header('retry-after', String(wait.retryAfterSec));
        return sendError(reply, 'too_many', `too many failed attempts from this address; try again in ${wait.retryAfterSec} s`);
      }
      const r = await checkLogin(db, body.username, body.password);
      if (!r.ok) {
        const f = await throttle.fail(body.username, client, now());
        log.info({ reason: r.reason, ip: client, failures: f.failures }, 'login refused');
        if (f.retryAfterSec > 0) reply.header('retry-after', String(f.retryAfterSec));
        return sendError(reply, 'unauthorized', 'wrong user name or password');
      }
      await throttle.succeed(body.username, client);
      const s = await createSession(db, r.user.id, now());
      reply.setCookie(SESSION.cookie, s.token, { ...cookieOptions, maxAge: SESSION.absoluteHours * 3600 });
      return { user: r.user, csrf: s.csrf };
    },
  );

  staffRoute(app, sc, { route: staffApi.session.logout, access: 'authenticated' }, async ({ request, reply }) => {
    const token = request.cookies[SESSION.cookie];
    if (token) await destroySession(db, token);
    reply.clearCookie(SESSION.cookie, { path: '/' });
    return { ok: true as const };
  });

  staffRoute(app, sc, { route: staffApi.session.me, access: 'authenticated' }, async ({ user, csrf }) => ({
    user,
    csrf,
    permissions: Object.keys(PERMISSIONS).filter((p) => can(user.role, p as keyof typeof PERMISSIONS)),
  }));
}
