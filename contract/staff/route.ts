// How a staff API route is described: method, path (Fastify's `:param` form), the zod schemas of
// its params, query, body and answer. The intake registers each route from this description
// (intake/staff/http.ts staffRoute parses the input with these schemas and type-checks the answer),
// the staff app calls it through the typed client (intake/web/api.ts), and the OpenAPI document
// (intake/staff/openapi.ts) is generated from the same objects.
import { z } from 'zod';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface StaffRouteShape {
  method: Method;
  path: string;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The JSON answer; for `produces` other than JSON, a string schema that only documents the body. */
  response: z.ZodType;
  /** Not JSON: a CSV download or a media file. */
  produces?: 'text/csv' | 'file';
}

/** Keeps the literal types of a route description (the typed client and staffRoute read them). */
export const route = <const R extends StaffRouteShape>(r: R): R => r;

export type ParamsOf<R extends StaffRouteShape> = R['params'] extends z.ZodType ? z.input<R['params']> : undefined;
export type QueryOf<R extends StaffRouteShape> = R['query'] extends z.ZodType ? z.input<R['query']> : undefined;
export type BodyOf<R extends StaffRouteShape> = R['body'] extends z.ZodType ? z.input<R['body']> : undefined;
export type AnswerOf<R extends StaffRouteShape> = z.output<R['response']>;

/** Every error answer of the staff API. */
export const StaffErrorCode = z.enum([
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'conflict',
  'locked',
  'too_many',
  'internal',
]);
export type StaffErrorCode = z.infer<typeof StaffErrorCode>;
export const StaffErrorBody = z.object({
  error: z.object({
    code: StaffErrorCode,
    message: z.string(),
    reason: z.string().describe('machine-readable: a snake_case reason, else the code'),
  }),
});

export const Ok = z.object({ ok: z.literal(true) });
export const Id = z.object({ id: z.uuid() });
/** A numeric row id in a path (extension requests, proposals, webhook deliveries). */
export const NumericId = z.object({ id: z.coerce.number().int().positive() });
export const Version = z.number().int().min(0).describe("the case's version the change was made on (a newer one: 409)");

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === s;
}
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine(isIsoDate, 'a date YYYY-MM-DD');
/** A yes/no query parameter. */
export const QueryBool = z.enum(['1', '0', 'true', 'false']).transform((v) => v === '1' || v === 'true');
