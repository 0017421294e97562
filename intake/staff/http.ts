// The one way a staff route is registered: staffRoute() takes the route's description from the
// contract (contract/staff/: method, path, zod schemas of params, query, body and answer), names
// the permission the route needs, parses params / query / body before the handler runs (the
// handler's answer is type-checked against the answer's schema, and checked at run time in tests), checks the session cookie, and
// on any state-changing method checks the CSRF token and the Origin. Every route is recorded in
// the app's registry so the route × role test can walk all of them.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Method, StaffErrorCode, StaffRouteShape } from '../../contract/staff/route.ts';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../store/schema.ts';
import { type StaffUser, userById } from './accounts.ts';
import { type Permission, can } from './roles.ts';
import { SESSION, resolveSession, sameToken } from './sessions.ts';

export type { StaffErrorCode };
const STATUS: Record<StaffErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  locked: 423,
  too_many: 429,
  internal: 500,
};

export class StaffError extends Error {
  constructor(
    readonly code: StaffErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A message that is itself a machine code ('unknown_category') is also the error's reason. */
const REASON = /^[a-z][a-z0-9_]*$/;

/**
 * `{ error: { code, message, reason } }`: `reason` is machine-readable (a snake_case message, else
 * the code); the staff app shows it through its catalogue (err_<reason>), never the message.
 */
export function sendError(reply: FastifyReply, code: StaffErrorCode, message: string): FastifyReply {
  return reply.code(STATUS[code]).send({ error: { code, message, reason: REASON.test(message) ? message : code } });
}

export type Access = Permission | 'authenticated' | 'public';

export interface RouteDef {
  method: Method;
  url: string;
  access: Access;
}

export interface StaffContext {
  db: Kysely<IntakeDatabase>;
  now: () => number;
  /** The configured public origin (IntakeOptions.publicUrl), accepted as Origin besides the request's own. */
  publicOrigin?: string;
}

export interface Ctx<P, Q, B> {
  user: StaffUser;
  csrf: string;
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

const routesOf = new WeakMap<FastifyInstance, RouteDef[]>();

/** Every staff route registered on `app` (for the route × role table test and the docs). */
export function staffRoutes(app: FastifyInstance): RouteDef[] {
  return routesOf.get(app) ?? [];
}

const UNSAFE = new Set<Method>(['POST', 'PUT', 'PATCH', 'DELETE']);

type Parsed<S> = S extends z.ZodType ? z.output<S> : unknown;

/** In tests every JSON answer is checked against its schema: a contract that drifts from the code fails there. */
const CHECK_ANSWERS = process.env.NODE_ENV === 'test';

export function staffRoute<R extends StaffRouteShape>(
  app: FastifyInstance,
  sc: StaffContext,
  def: { route: R; access: Access; rateLimit?: { max: number; timeWindow: string }; bodyLimit?: number },
  handler: (ctx: Ctx<Parsed<R['params']>, Parsed<R['query']>, Parsed<R['body']>>) => Promise<z.input<R['response']> | FastifyReply>,
): void {
  const { method, path: url, params, query, body } = def.route;
  const list = routesOf.get(app) ?? [];
  list.push({ method, url, access: def.access });
  routesOf.set(app, list);
  app.route({
    method,
    url,
    ...(def.rateLimit ? { config: { rateLimit: def.rateLimit } } : {}),
    ...(def.bodyLimit ? { bodyLimit: def.bodyLimit } : {}),
    handler: async (request, reply) => {
      let user: StaffUser | null = null;
      let csrf = '';
      if (def.access !== 'public') {
        const token = request.cookies[SESSION.cookie];
        const session = token ? await resolveSession(sc.db, token, sc.now()) : null;
        user = session ? await userById(sc.db, session.userId) : null;
        if (user) request.staffUserId = user.id; // for the request log line (intake/server.ts)
        if (!session || !user) return sendError(reply, 'unauthorized', 'please log in');
        csrf = session.csrf;
        if (UNSAFE.has(method)) {
          const sent = request.headers['x-csrf-token'];
          if (typeof sent !== 'string' || !sameToken(sent, session.csrf))
            return sendError(reply, 'forbidden', 'missing or wrong CSRF token');
        }
        if (def.access !== 'authenticated' && !can(user.role, def.access)) {
          return sendError(reply, 'forbidden', `your role (${user.role}) may not do this`);
        }
      }
      if (UNSAFE.has(method)) {
        // Same-origin only: a browser always sends Origin on a cross-site POST.
        const origin = request.headers.origin;
        // request.protocol/host follow X-Forwarded-Proto/-Host only from trusted proxies.
        if (origin && origin !== `${request.protocol}://${request.host}` && origin !== sc.publicOrigin)
          return sendError(reply, 'forbidden', 'cross-origin request refused');
      }
      const parse = <T extends z.ZodType | undefined>(schema: T, value: unknown, what: string) => {
        if (!schema) return value;
        const r = schema.safeParse(value);
        if (!r.success) throw new StaffError('bad_request', `${what}: ${z.prettifyError(r.error)}`);
        return r.data;
      };
      try {
        const ctx = {
          user: user as StaffUser,
          csrf,
          request,
          reply,
          params: parse(params, request.params, 'params'),
          query: parse(query, request.query, 'query'),
          body: parse(body, request.body ?? {}, 'body'),
        } as Ctx<Parsed<R['params']>, Parsed<R['query']>, Parsed<R['body']>>;
        const answer = await handler(ctx);
        if (CHECK_ANSWERS && answer !== reply && !def.route.produces) {
          const r = def.route.response.safeParse(answer);
          if (!r.success) throw new Error(`${method} ${url}: the answer does not match contract/staff: ${z.prettifyError(r.error)}`);
        }
        return answer;
      } catch (e) {
        if (e instanceof StaffError) return sendError(reply, e.code, e.message);
        throw e;
      }
    },
  });
}
