// The staff app's HTTP client, typed from the staff API contract (contract/staff/): `staff.<group>.<name>(input)`
// calls that route; its params, query and body are checked against the route's schemas by the
// compiler and its answer is typed from the answer's schema. Same origin, session cookie, CSRF
// token on every change.
import type { z } from 'zod';
import { staffApi, type StaffApi } from '../../contract/staff/index.ts';
import type { AnswerOf, BodyOf, StaffRouteShape } from '../../contract/staff/route.ts';

let csrf = '';
export function setCsrf(token: string): void {
  csrf = token;
}

export class ApiError extends Error {
  /** `reason`: the server's machine-readable reason (error.reason), else its code; the app shows it through i18n (err_*). */
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reason: string = code,
  ) {
    super(message);
  }
}

/** One HTTP exchange with the intake: the only `fetch` of the staff app (lint refuses any other).
 * Pages never call it: they call `staff.<group>.<name>()`, which builds method and URL from the route. */
async function request<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrf;
  const r = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
  const data = (await r.json().catch(() => ({}))) as { error?: { code: string; message: string; reason?: string } };
  if (!r.ok)
    throw new ApiError(
      r.status,
      data.error?.code ?? 'internal',
      data.error?.message ?? String(r.status),
      data.error?.reason ?? data.error?.code ?? 'internal',
    );
  return data as T;
}

function qs(params: Record<string, QueryValue>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

type QueryValue = string | number | boolean | undefined | null;
/** What a call of route R takes: its path params, its query (every field optional: the server fills defaults) and its body. */
export type CallInput<R extends StaffRouteShape> = (R['params'] extends z.ZodType
  ? { params: { [K in keyof z.input<R['params']>]: string | number } }
  : unknown) &
  (R['query'] extends z.ZodType ? { query?: { [K in keyof z.input<R['query']>]?: QueryValue } } : unknown) &
  (R['body'] extends z.ZodType ? { body: z.input<R['body']> } : unknown);
type Args<R extends StaffRouteShape> = object extends CallInput<R> ? [input?: CallInput<R>] : [input: CallInput<R>];

/** The URL of a route with its params and query filled in (also for links: CSV downloads, media). */
export function href<R extends StaffRouteShape>(r: R, ...[input]: Args<R>): string {
  const i = (input ?? {}) as { params?: Record<string, string | number>; query?: Record<string, QueryValue> };
  const path = r.path.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => encodeURIComponent(String(i.params?.[name] ?? '')));
  return path + qs(i.query ?? {});
}

function call<R extends StaffRouteShape>(r: R, ...args: Args<R>): Promise<AnswerOf<R>> {
  const body = (args[0] as { body?: unknown } | undefined)?.body;
  return request<AnswerOf<R>>(r.method, href(r, ...args), r.method === 'GET' ? undefined : (body ?? {}));
}

type Client<A> = {
  [G in keyof A]: { [N in keyof A[G]]: A[G][N] extends StaffRouteShape ? (...args: Args<A[G][N]>) => Promise<AnswerOf<A[G][N]>> : never };
};

/** The typed client: one function per route of contract/staff/, e.g. `staff.cases.get({ params: { id } })`. */
export const staff = Object.fromEntries(
  Object.entries(staffApi).map(([g, routes]) => [
    g,
    Object.fromEntries(
      Object.entries(routes).map(([n, r]) => [n, (...args: unknown[]) => call(r as StaffRouteShape, ...(args as [never]))]),
    ),
  ]),
) as Client<StaffApi>;

export type Me = AnswerOf<StaffApi['session']['me']>;
export type Meta = AnswerOf<StaffApi['session']['meta']>;
/** The answer of a staff route, for pages that keep it in state: `Answer<'cases', 'get'>`. */
export type Answer<G extends keyof StaffApi, N extends keyof StaffApi[G]> = StaffApi[G][N] extends StaffRouteShape
  ? AnswerOf<StaffApi[G][N]>
  : never;
/** The body a staff route takes, for pages that build it in parts: `Body<'cases', 'event'>['event']`. */
export type Body<G extends keyof StaffApi, N extends keyof StaffApi[G]> = StaffApi[G][N] extends StaffRouteShape
  ? BodyOf<StaffApi[G][N]>
  : never;
