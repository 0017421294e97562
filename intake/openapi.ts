// The OpenAPI 3.1 description of the booth API, generated from the same zod schemas that validate
// the requests (the route table in boothRoutes.ts, schemas in contract/booth.ts), so the document cannot
// drift from the code. OpenAPI 3.1's schema objects are JSON Schema draft 2020-12 (nullable is
// `anyOf [..., {type: null}]`, not 3.0's `nullable: true`), hence the 2020-12 target. Request
// bodies are described as zod accepts them (io: input: a field with a default may be left out),
// responses as the intake sends them.
import { z } from 'zod';
import { IntakeError, LIMITS, paths, SubmissionAck, UPLOADS_PATH } from '../contract/booth.ts';
import { BOOTH_ROUTES } from './boothRoutes.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A component schema: draft 2020-12, without its own `$schema` (the document's jsonSchemaDialect says it). */
export function componentSchema(s: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(s, { target: 'draft-2020-12', unrepresentable: 'any', io }) as Record<
    string,
    unknown
  >;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ 'application/json': { schema: ref(name) } });

let cached: unknown = null;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const error = (description: string) => ({ description, content: json('IntakeError') });
  const auth = [{ boothCredential: [] }];
  const { submit, heartbeat } = BOOTH_ROUTES;
  const requestSchemas = Object.fromEntries(Object.values(BOOTH_ROUTES).map((r) => [r.schemaName, componentSchema(r.body, 'input')]));
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: '说吧 intake: booth API',
      version: '1',
      description: 'Delivery from booths. Media items are tus 1.0 uploads; the manifest turns them into a case. See docs/DELIVERY.md.',
    },
    components: {
      securitySchemes: {
        boothCredential: { type: 'http', scheme: 'bearer', description: 'sb1.<boothCode>.<secret>, issued at enrolment' },
      },
      schemas: {
        ...requestSchemas,
        SubmissionAck: componentSchema(SubmissionAck, 'output'),
        IntakeError: componentSchema(IntakeError, 'output'),
      },
    },
    paths: {
      [paths.health()]: { get: { summary: 'liveness', responses: { 200: { description: 'up' } } } },
      [paths.openapi()]: {
        get: { summary: 'this document', responses: { 200: { description: 'OpenAPI 3.1, schemas in JSON Schema 2020-12' } } },
      },
      [paths.identityKey()]: {
        get: {
          summary: "the intake's X25519 public key, to which booths seal real-name identities",
          responses: {
            200: {
              description: 'PEM',
              content: {
                'application/json': {
                  schema: { type: 'object', properties: { publicKeyPem: { type: 'string' } }, required: ['publicKeyPem'] },
                },
              },
            },
          },
        },
      },
      [submit.path]: {
        [submit.method]: {
          summary: 'Create the case from uploaded items (idempotent on the submission UUID)',
          security: auth,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: true,
              description: 'The submission UUID as a structured-field string: "<uuid>"',
              schema: { type: 'string' },
            },
          ],
          requestBody: { required: true, content: json(submit.schemaName) },
          responses: {
            201: {
              description: 'case created; an identical request later gets this same answer again (status and body)',
              content: json('SubmissionAck'),
            },
            400: error('malformed body, or Idempotency-Key missing or not the submission id'),
            401: error('no, wrong or revoked booth credential'),
            403: error('the manifest belongs to another booth'),
            409: error('a request with this key is still being processed: wait (Retry-After)'),
            413: error(`body larger than ${submit.bodyLimit} bytes`),
            422: error('items_missing (re-send those items) or idempotency_conflict (same key, different body)'),
          },
        },
      },
      [heartbeat.path]: {
        [heartbeat.method]: {
          summary: 'Booth health, every few minutes',
          security: auth,
          requestBody: { required: true, content: json(heartbeat.schemaName) },
          responses: {
            204: { description: 'stored' },
            400: error('malformed'),
            401: error('not authenticated'),
            403: error('another booth'),
            413: error(`body larger than ${heartbeat.bodyLimit} bytes`),
          },
        },
      },
      [UPLOADS_PATH]: {
        post: {
          summary: 'tus 1.0 creation of one media item',
          description: `Upload-Length ≤ ${LIMITS.itemBytes}; Upload-Metadata: submissionId (UUID), index, sha256 (hex). Extensions: creation, creation-with-upload, expiration, termination.`,
          security: auth,
          responses: {
            201: { description: 'created; Location is the upload URL' },
            400: { description: 'bad metadata' },
            401: { description: 'not authenticated' },
            413: { description: 'too large' },
          },
        },
      },
      [`${UPLOADS_PATH}/{uploadId}`]: {
        parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } }],
        head: {
          summary: 'tus: current Upload-Offset (a retry starts here)',
          security: auth,
          responses: { 200: { description: 'offset in Upload-Offset' }, 404: { description: 'unknown, expired or another booth’s' } },
        },
        patch: {
          summary: 'tus: append bytes at Upload-Offset (application/offset+octet-stream)',
          security: auth,
          responses: {
            204: { description: 'stored; new Upload-Offset' },
            409: { description: 'offset mismatch: HEAD again' },
            460: { description: 'sha256 mismatch on the last byte: the upload was deleted' },
          },
        },
        delete: { summary: 'tus: terminate', security: auth, responses: { 204: { description: 'deleted' } } },
      },
    },
  };
  return cached;
}
