// The booth API's OpenAPI document: 3.1 with JSON Schema 2020-12 throughout, every route of the
// route table documented with the very schema that validates it, every $ref resolving, and the
// document's schemas accepting and refusing what the intake's zod schemas accept and refuse.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BOOTH_ROUTES } from '../../intake/boothRoutes.ts';
import { Heartbeat, SubmissionManifest } from '../../contract/booth.ts';
import { componentSchema, JSON_SCHEMA_DIALECT, openApiDocument } from '../../intake/openapi.ts';

interface Doc {
  openapi: string;
  jsonSchemaDialect: string;
  components: { schemas: Record<string, Record<string, unknown>> };
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>>;
}
const doc = openApiDocument() as Doc;

/** Every value in the document with the JSON pointer it sits at. */
function* walk(value: unknown, pointer = '#'): Generator<[string, unknown]> {
  yield [pointer, value];
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) yield* walk(v, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`);
  }
}

function resolve(ref: string): unknown {
  if (!ref.startsWith('#/')) throw new Error(`not a local reference: ${ref}`);
  return ref
    .slice(2)
    .split('/')
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), doc);
}

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats.default(ajv);
// zod writes z.base64() as `format: base64`, which is not among JSON Schema's formats; unknown
// formats are errors in strict mode, so it is declared here as zod checks it.
ajv.addFormat('base64', /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/);
/** Compiled on first use, so a schema that is not valid 2020-12 fails a test, not the file's import. */
const validators = new Map<string, ValidateFunction>();
function validator(name: string): ValidateFunction {
  const known = validators.get(name);
  if (known) return known;
  const compiled = ajv.compile(doc.components.schemas[name]!);
  validators.set(name, compiled);
  return compiled;
}

describe('OpenAPI document', () => {
  it('is 3.1 and says its schemas are JSON Schema 2020-12', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.jsonSchemaDialect).toBe(JSON_SCHEMA_DIALECT);
  });

  it.each(Object.entries(BOOTH_ROUTES))('documents route %s with the schema that validates it', (_name, route) => {
    const operation = doc.paths[route.path]?.[route.method];
    expect(operation, `${route.method} ${route.path}`).toBeDefined();
    const ref = operation!.requestBody!.content['application/json']!.schema.$ref;
    expect(ref).toBe(`#/components/schemas/${route.schemaName}`);
    expect(resolve(ref)).toEqual(componentSchema(route.body, 'input'));
  });

  it('every $ref resolves', () => {
    const refs = [...walk(doc)].filter(([pointer]) => pointer.endsWith('/$ref')).map(([, v]) => v as string);
    expect(refs.length).toBeGreaterThan(5);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();
  });

  it('has no OpenAPI 3.0 schema keywords (nullable, boolean exclusive bounds) and no per-schema $schema', () => {
    const offending = [...walk(doc.components)].filter(
      ([pointer, v]) => /\/(nullable|\$schema)$/.test(pointer) || (/\/exclusive(Minimum|Maximum)$/.test(pointer) && typeof v === 'boolean'),
    );
    expect(offending.map(([p]) => p)).toEqual([]);
  });

  it('every component schema compiles as strict JSON Schema 2020-12', () => {
    expect(Object.keys(doc.components.schemas).sort()).toEqual(['Heartbeat', 'IntakeError', 'SubmissionAck', 'SubmissionManifest']);
    for (const name of Object.keys(doc.components.schemas)) expect(() => validator(name), name).not.toThrow();
  });
});

describe("the document's schemas agree with zod", () => {
  const now = new Date().toISOString();
  const item = {
    index: 0,
    itemId: randomUUID(),
    kind: 'photo',
    mime: 'image/jpeg',
    camera: 'document',
    size: 1000,
    sha256: 'a'.repeat(64),
    durationSec: null,
  };
  const manifest = {
    submissionId: randomUUID(),
    caseNumber: 'FT01-20261125-0001',
    boothCode: 'FT01',
    language: 'zh-CN',
    startedAt: now,
    savedAt: now,
    details: { category: null, location: null },
    contact: { phone: null },
    identity: null,
    items: [item],
  };
  const heartbeat = {
    boothCode: 'FT01',
    sentAt: now,
    version: '0.1.0',
    queueDepth: 0,
    oldestUnsentSec: null,
    bytesWaiting: 0,
    disk: { freeBytes: 1, totalBytes: 2 },
    devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' },
    lastError: null,
    alerts: [],
  };
  const { identity: _identity, ...withoutIdentity } = manifest;

  it.each([
    ['a manifest', 'SubmissionManifest', SubmissionManifest, manifest],
    ['a manifest without the defaulted identity', 'SubmissionManifest', SubmissionManifest, withoutIdentity],
    [
      'a manifest with a phone and a category',
      'SubmissionManifest',
      SubmissionManifest,
      { ...manifest, contact: { phone: '13800000000' }, details: { category: 'noise', location: '村口' } },
    ],
    ['a bad submission id', 'SubmissionManifest', SubmissionManifest, { ...manifest, submissionId: 'not-a-uuid' }],
    ['a null booth code', 'SubmissionManifest', SubmissionManifest, { ...manifest, boothCode: null }],
    ['no items', 'SubmissionManifest', SubmissionManifest, { ...manifest, items: [] }],
    [
      '21 items',
      'SubmissionManifest',
      SubmissionManifest,
      { ...manifest, items: Array.from({ length: 21 }, (_, i) => ({ ...item, index: i })) },
    ],
    [
      'a video of 16 minutes',
      'SubmissionManifest',
      SubmissionManifest,
      { ...manifest, items: [{ ...item, kind: 'video', mime: 'video/webm', durationSec: 960 }] },
    ],
    ['a text/plain item', 'SubmissionManifest', SubmissionManifest, { ...manifest, items: [{ ...item, mime: 'text/plain' }] }],
    ['a time without a zone', 'SubmissionManifest', SubmissionManifest, { ...manifest, savedAt: '2026-11-25T10:00:00' }],
    ['a heartbeat', 'Heartbeat', Heartbeat, heartbeat],
    ['a heartbeat with a negative queue', 'Heartbeat', Heartbeat, { ...heartbeat, queueDepth: -1 }],
    [
      'a heartbeat with an unknown device state',
      'Heartbeat',
      Heartbeat,
      { ...heartbeat, devices: { ...heartbeat.devices, microphone: 'fine' } },
    ],
    ['a heartbeat with a null disk', 'Heartbeat', Heartbeat, { ...heartbeat, disk: null }],
  ] as const)('%s', (_label, name, zodSchema, body) => {
    const byZod = zodSchema.safeParse(body).success;
    const validate = validator(name);
    expect(validate(body), JSON.stringify(validate.errors)).toBe(byZod);
  });
});
