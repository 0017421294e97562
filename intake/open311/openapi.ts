// The OpenAPI 3.1 description of the partner-facing routes (issue 19): Open311 GeoReport v2
// under /open311/v2, the partner rates route, and the signed case-event webhooks (OpenAPI 3.1's
// top-level `webhooks`). Generated from the zod schemas in contract/ like the booth API's document
// (intake/openapi.ts), served at /open311/v2/openapi.json.
import { componentSchema, JSON_SCHEMA_DIALECT } from '../openapi.ts';
import { CaseEventBody, CASE_EVENT_TYPES, SIGNATURE_TOLERANCE_SEC, WEBHOOK_HEADERS } from '../../contract/caseEvents.ts';
import {
  OPEN311_PREFIX,
  Open311Discovery,
  Open311Error,
  Open311PostAnswer,
  Open311PostForm,
  Open311Request,
  Open311Service,
  Open311ServiceDefinition,
  Open311TokenAnswer,
} from '../../contract/open311.ts';
import { PARTNER_PREFIX, RatesQuery } from '../partners/routes.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const list = (name: string) => ({ type: 'array', items: ref(name) });

let cached: unknown = null;

export function partnerOpenApiDocument(): unknown {
  if (cached) return cached;
  const both = (schema: unknown) => ({
    'application/json': { schema },
    'text/xml': { schema: { type: 'string', description: 'the same fields as XML elements (GeoReport v2)' } },
  });
  const errors = (description: string) => ({ description, content: both(list('Open311Error')) });
  const format = {
    name: 'format',
    in: 'path',
    required: true,
    schema: { type: 'string', enum: ['json', 'xml'] },
    description: 'written as a suffix: /requests.json',
  };
  const jurisdiction = {
    name: 'jurisdiction_id',
    in: 'query',
    required: false,
    schema: { type: 'string' },
    description: 'the township; required when this intake serves several (see discovery)',
  };
  const lang = {
    name: 'lang',
    in: 'query',
    required: false,
    schema: { type: 'string', enum: ['zh-CN', 'en'] },
    description: 'names and labels; else Accept-Language; default zh-CN (extension)',
  };
  const key = [{}, { apiKeyQuery: [] }, { bearer: [] }];
  const common = {
    400: errors('bad request (spec: 400 for anything else)'),
    403: errors('api_key invalid, revoked, expired, missing a scope or for another township'),
    404: errors('no such resource, service_code, jurisdiction_id or token'),
    429: errors('the key’s requests per minute are used up (Retry-After)'),
  };
  cached = {
    openapi: '3.1.0',
    jsonSchemaDialect: JSON_SCHEMA_DIALECT,
    info: {
      title: '说吧 intake: partner systems (Open311 GeoReport v2, rates, webhooks)',
      version: '1',
      description:
        'GeoReport v2 with JSON and XML by suffix. Public answers carry no personal data and no media; a key with cases:read adds the demand, the place and the status steps. See docs/OPEN311.md.',
    },
    components: {
      securitySchemes: {
        apiKeyQuery: { type: 'apiKey', in: 'query', name: 'api_key', description: 'as GeoReport v2 (POST: a form field); also X-Api-Key' },
        bearer: { type: 'http', scheme: 'bearer', description: 'sbk_… issued by an admin; scopes cases:read, cases:write, rates:read' },
      },
      schemas: {
        Open311Service: componentSchema(Open311Service, 'output'),
        Open311ServiceDefinition: componentSchema(Open311ServiceDefinition, 'output'),
        Open311Request: componentSchema(Open311Request, 'output'),
        Open311PostForm: componentSchema(Open311PostForm, 'input'),
        Open311PostAnswer: componentSchema(Open311PostAnswer, 'output'),
        Open311TokenAnswer: componentSchema(Open311TokenAnswer, 'output'),
        Open311Error: componentSchema(Open311Error, 'output'),
        Open311Discovery: componentSchema(Open311Discovery, 'output'),
        CaseEvent: componentSchema(CaseEventBody, 'output'),
      },
    },
    paths: {
      '/open311/discovery.{format}': {
        get: {
          summary: 'service discovery (also under /open311/v2/)',
          parameters: [format],
          responses: { 200: { description: 'endpoints and the townships served', content: both(ref('Open311Discovery')) } },
        },
      },
      [`${OPEN311_PREFIX}/services.{format}`]: {
        get: {
          summary: 'the category vocabulary',
          parameters: [format, jurisdiction, lang],
          security: key,
          responses: { 200: { description: 'services', content: both(list('Open311Service')) }, ...common },
        },
      },
      [`${OPEN311_PREFIX}/services/{service_code}.{format}`]: {
        get: {
          summary: 'service definition (no attributes: metadata is false)',
          parameters: [{ name: 'service_code', in: 'path', required: true, schema: { type: 'string' } }, format, jurisdiction],
          security: key,
          responses: { 200: { description: 'definition', content: both(ref('Open311ServiceDefinition')) }, ...common },
        },
      },
      [`${OPEN311_PREFIX}/requests.{format}`]: {
        get: {
          summary: 'service requests, newest first; at most 90 days and 1000 requests',
          parameters: [
            format,
            jurisdiction,
            lang,
            {
              name: 'service_request_id',
              in: 'query',
              schema: { type: 'string' },
              description: 'comma-separated case numbers; overrides the other filters',
            },
            { name: 'service_code', in: 'query', schema: { type: 'string' }, description: 'comma-separated' },
            { name: 'status', in: 'query', schema: { type: 'string' }, description: 'open, closed or open,closed' },
            { name: 'start_date', in: 'query', schema: { type: 'string', format: 'date-time' } },
            { name: 'end_date', in: 'query', schema: { type: 'string', format: 'date-time' } },
          ],
          security: key,
          responses: { 200: { description: 'requests', content: both(list('Open311Request')) }, ...common },
        },
        post: {
          summary: 'file a case (a partner system: scope cases:write); source "partner"',
          parameters: [
            format,
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              schema: { type: 'string', maxLength: 255 },
              description:
                'per API key: a repeat with the same body replays the first answer; with another body 422; while the first runs 409',
            },
          ],
          security: [{ apiKeyQuery: [] }, { bearer: [] }],
          requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: ref('Open311PostForm') } } },
          responses: {
            201: { description: 'created; service_request_id is the case number', content: both(list('Open311PostAnswer')) },
            200: {
              description: 'the same request from the same key within 10 minutes and no Idempotency-Key: the first case, not a new one',
              content: both(list('Open311PostAnswer')),
            },
            ...common,
          },
        },
      },
      [`${OPEN311_PREFIX}/requests/{service_request_id}.{format}`]: {
        get: {
          summary: 'one request',
          parameters: [{ name: 'service_request_id', in: 'path', required: true, schema: { type: 'string' } }, format, jurisdiction, lang],
          security: key,
          responses: { 200: { description: 'a list of one', content: both(list('Open311Request')) }, ...common },
        },
      },
      [`${OPEN311_PREFIX}/tokens/{token}.{format}`]: {
        get: {
          summary: 'the case number of a token (a booth submission id)',
          parameters: [{ name: 'token', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, format, jurisdiction],
          responses: { 200: { description: 'a list of one', content: both(list('Open311TokenAnswer')) }, ...common },
        },
      },
      [`${OPEN311_PREFIX}/openapi.json`]: { get: { summary: 'this document', responses: { 200: { description: 'OpenAPI 3.1' } } } },
      [`${PARTNER_PREFIX}/rates`]: {
        get: {
          summary: 'the three rates (响应率, 解决率, 满意率) per unit or village, per week or month (scope rates:read)',
          parameters: Object.entries((componentSchema(RatesQuery, 'input') as { properties: Record<string, unknown> }).properties).map(
            ([name, schema]) => ({ name, in: 'query', required: false, schema }),
          ),
          security: [{ apiKeyQuery: [] }, { bearer: [] }],
          responses: {
            200: { description: 'rows and totals with their definitions' },
            400: { description: '{ error: { code, message } }' },
            403: { description: 'key missing, invalid or without rates:read' },
            429: { description: 'rate limited' },
          },
        },
      },
    },
    webhooks: {
      caseEvent: {
        post: {
          summary: `a case step: ${CASE_EVENT_TYPES.join(', ')}`,
          description: `Signed: ${WEBHOOK_HEADERS.signature}: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>; refuse |now − t| > ${SIGNATURE_TOLERANCE_SEC} s. At least once, in order per case; de-duplicate on the event id. Answer 2xx within 10 s; anything else is retried with backoff.`,
          parameters: Object.values(WEBHOOK_HEADERS).map((name) => ({ name, in: 'header', required: true, schema: { type: 'string' } })),
          requestBody: { required: true, content: { 'application/json': { schema: ref('CaseEvent') } } },
          responses: { 200: { description: 'received (any 2xx)' } },
        },
      },
    },
  };
  return cached;
}
