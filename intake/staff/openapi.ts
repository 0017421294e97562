// The OpenAPI 3.1 description of the staff API, generated from the route descriptions in
// contract/staff/ (the very objects staffRoute() registers and validates with), served at
// /staff/api/openapi.json next to the booth API's (/api/v1/openapi.json) and Open311's
// (/open311/v2/openapi.json). Request schemas as zod accepts them (io: input), answers as sent.
import type { z } from 'zod';
import { componentSchema, JSON_SCHEMA_DIALECT } from '../openapi.ts';
import { staffApi, STAFF_OPENAPI_PATH } from '../../contract/staff/index.ts';
import { StaffErrorBody, type StaffRouteShape } from '../../contract/staff/route.ts';

/** Fastify's `/cases/:id` as OpenAPI's `/cases/{id}`. */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

const ERRORS: Record<number, string> = {
  400: 'bad_request: the input does not match the schema, or a rule refused it',
  401: 'unauthorized: not logged in',
  403: 'forbidden: the role may not do this, or a missing CSRF token / foreign Origin',
  404: 'not_found',
  409: 'conflict: changed meanwhile (version), or exists already',
};

/** The parameters of a zod object schema (path or query) as OpenAPI parameter objects. */
function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): unknown[] {
  if (!schema) return [];
  const json = componentSchema(schema, 'input') as { properties?: Record<string, Record<string, unknown>>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => {
    const { description, ...rest } = s;
    return {
      name,
      in: where,
      required: where === 'path' || (json.required ?? []).includes(name),
      schema: rest,
      ...(description ? { description } : {}),
    };
  });
}

let cached: unknown = null;

export function staffOpenApiDocument(): unknown {
  if (cached) return cached;
  const error = { description: 'an error', content: { 'application/json': { schema: { $ref: '#/components/schemas/StaffError' } } } };
  const paths: Record<string, Record<string, unknown>> = {
    [STAFF_OPENAPI_PATH]: {
      get: {
        summary: 'this document',
        operationId: 'openapi',
        responses: { 200: { description: 'OpenAPI 3.1, schemas in JSON Schema 2020-12' } },
      },
    },
  };
  for (const [group, routes] of Object.entries(staffApi)) {
    for (const [name, r] of Object.entries(routes) as [string, StaffRouteShape][]) {
      const answer =
        r.produces === 'text/csv'
          ? { 'text/csv': { schema: { type: 'string' } } }
          : r.produces === 'file'
            ? { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } }
            : { 'application/json': { schema: componentSchema(r.response, 'output') } };
      const public_ = r.path === '/staff/api/login';
      const op = {
        operationId: `${group}.${name}`,
        tags: [group],
        summary: r.summary,
        ...(public_ ? { security: [] } : {}),
        parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
        ...(r.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: componentSchema(r.body, 'input') } } } }
          : {}),
        responses: {
          200: { description: 'done', content: answer },
          ...Object.fromEntries(Object.keys(ERRORS).map((c) => [c, { ...error, description: ERRORS[Number(c)] }])),
        },
      };
      (paths[openApiPath(r.path)] ??= {})[r.method.toLowerCase()] = op;
    }
  }
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: '说吧 intake: staff API',
      version: '1',
      description:
        'The back office web app’s API. Session cookie from /staff/api/login; every change needs the CSRF token (X-CSRF-Token) and a same-origin request. Each route needs one permission of the user’s role (docs/BACKOFFICE.md).',
    },
    security: [{ session: [] }],
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sb_staff', description: 'the session cookie set by /staff/api/login' },
      },
      schemas: { StaffError: componentSchema(StaffErrorBody, 'output') },
    },
    paths,
  };
  return cached;
}
