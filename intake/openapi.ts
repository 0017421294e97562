// The OpenAPI 3.1 description of the booth API, generated from the same zod schemas that validate
// the requests (intake/contract.ts), so the document cannot drift from the code.
import { z } from 'zod';
import { API_PREFIX, Heartbeat, IntakeError, LIMITS, SubmissionAck, SubmissionManifest, UPLOADS_PATH } from './contract.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any' });

let cached: unknown = null;

export function openApiDocument(): unknown {
  if (cached) return cached;
  const error = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/IntakeError' } } } });
  const auth = [{ boothCredential: [] }];
  cached = {
    openapi: '3.1.0',
    info: {
      title: '说吧 intake: booth API',
      version: '1',
      description:
        'Delivery from booths. Media items are tus 1.0 uploads; the manifest turns them into a case. See docs/DELIVERY.md.',
    },
    components: {
      securitySchemes: { boothCredential: { type: 'http', scheme: 'bearer', description: 'sb1.<boothCode>.<secret>, issued at enrolment' } },
      schemas: {
        SubmissionManifest: schema(SubmissionManifest),
        SubmissionAck: schema(SubmissionAck),
        Heartbeat: schema(Heartbeat),
        IntakeError: schema(IntakeError),
      },
    },
    paths: {
      [`${API_PREFIX}/health`]: { get: { summary: 'liveness', responses: { 200: { description: 'up' } } } },
      [`${API_PREFIX}/submissions`]: {
        post: {
          summary: 'Create the case from uploaded items (idempotent on the submission UUID)',
          security: auth,
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: true, description: 'The submission UUID as a structured-field string: "<uuid>"', schema: { type: 'string' } },
          ],
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmissionManifest' } } } },
          responses: {
            201: { description: 'case created', content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmissionAck' } } } },
            200: { description: 'the stored answer of an earlier identical request', content: { 'application/json': { schema: { $ref: '#/components/schemas/SubmissionAck' } } } },
            400: error('malformed body, or Idempotency-Key missing or not the submission id'),
            401: error('no, wrong or revoked booth credential'),
            403: error('the manifest belongs to another booth'),
            409: error('a request with this key is still being processed: wait (Retry-After)'),
            413: error(`body larger than ${LIMITS.manifestBytes} bytes`),
            422: error('items_missing (re-send those items) or idempotency_conflict (same key, different body)'),
          },
        },
      },
      [`${API_PREFIX}/heartbeats`]: {
        post: {
          summary: 'Booth health, every few minutes',
          security: auth,
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Heartbeat' } } } },
          responses: { 204: { description: 'stored' }, 400: error('malformed'), 401: error('not authenticated'), 403: error('another booth') },
        },
      },
      [UPLOADS_PATH]: {
        post: {
          summary: 'tus 1.0 creation of one media item',
          description: `Upload-Length ≤ ${LIMITS.itemBytes}; Upload-Metadata: submissionId (UUID), index, sha256 (hex). Extensions: creation, creation-with-upload, expiration, termination.`,
          security: auth,
          responses: { 201: { description: 'created; Location is the upload URL' }, 400: { description: 'bad metadata' }, 401: { description: 'not authenticated' }, 413: { description: 'too large' } },
        },
      },
      [`${UPLOADS_PATH}/{uploadId}`]: {
        parameters: [{ name: 'uploadId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{32}$' } }],
        head: { summary: 'tus: current Upload-Offset (a retry starts here)', security: auth, responses: { 200: { description: 'offset in Upload-Offset' }, 404: { description: 'unknown, expired or another booth’s' } } },
        patch: {
          summary: 'tus: append bytes at Upload-Offset (application/offset+octet-stream)',
          security: auth,
          responses: { 204: { description: 'stored; new Upload-Offset' }, 409: { description: 'offset mismatch: HEAD again' }, 460: { description: 'sha256 mismatch on the last byte: the upload was deleted' } },
        },
        delete: { summary: 'tus: terminate', security: auth, responses: { 204: { description: 'deleted' } } },
      },
    },
  };
  return cached;
}
