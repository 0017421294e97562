// The staff API's OpenAPI document: a valid OpenAPI 3.1 document (checked against the official
// schema), every schema in it compiling as JSON Schema 2020-12, served at /staff/api/openapi.json,
// and listing exactly the staff routes the intake registers: the route list comes from Fastify
// itself (onRoute), so a route added without its description in contract/staff/ fails here.
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { openApiPath, staffOpenApiDocument } from '../../../intake/staff/openapi.ts';
import { STAFF_OPENAPI_PATH } from '../../../contract/staff/index.ts';

interface Operation {
  parameters?: { schema: unknown }[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
const doc = staffOpenApiDocument() as { paths: Record<string, Record<string, Operation>> };
const isStaffApi = (url: string) => url.startsWith('/staff/api/') || url.startsWith('/staff/media/');

let dir: string;
let intake: Intake;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'staff-openapi-'));
  intake = await createIntake({ dataDir: dir });
  await intake.app.ready(); // plugins register their routes at ready
});

afterAll(async () => {
  await intake?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('staff API OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(structuredClone(doc) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect((doc as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('has schemas that compile as JSON Schema 2020-12 (strict)', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats.default(ajv);
    let n = 0;
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [m, op] of Object.entries(ops)) {
        const schemas = [
          ...(op.parameters ?? []).map((x) => x.schema),
          ...Object.values(op.requestBody?.content ?? {}).map((c) => c.schema),
          ...Object.values(op.responses[200]?.content ?? {}).map((c) => c.schema),
        ];
        for (const s of schemas) {
          expect(() => ajv.compile(s as object), `${m} ${p}`).not.toThrow();
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(60);
  });

  it('lists every staff route the intake registers, and no other', () => {
    const registered = intake.routes.filter((r) => r.method !== 'HEAD' && isStaffApi(r.url));
    expect(registered.length).toBeGreaterThanOrEqual(40);
    const missing = registered.filter((r) => !doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing, 'routes registered but not in contract/staff/').toEqual([]);
    const known = new Set(registered.map((r) => `${r.method.toLowerCase()} ${openApiPath(r.url)}`));
    const phantom = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .filter((x) => !known.has(x));
    expect(phantom, 'documented but not registered').toEqual([]);
  });

  it('is served next to the booth API and Open311 documents', async () => {
    for (const url of [STAFF_OPENAPI_PATH, '/api/v1/openapi.json', '/open311/v2/openapi.json']) {
      const res = await intake.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.json<{ openapi: string }>().openapi, url).toBe('3.1.0');
    }
    expect((await intake.app.inject({ method: 'GET', url: STAFF_OPENAPI_PATH })).json()).toEqual(doc);
  });
});
