// The booth API's routes that take a JSON body, declared once with the schema that validates the
// body: boothApi.ts parses each request with the schema named here, and openapi.ts documents the
// same schema for the same method and path, so the description cannot drift from the validation.
import type { z } from 'zod';
import { Heartbeat, LIMITS, paths, SubmissionManifest } from '../contract/booth.ts';

export interface BoothJsonRoute {
  method: 'post';
  /** Full path, under API_PREFIX. */
  path: string;
  /** Name of the body's schema in the OpenAPI document's components. */
  schemaName: string;
  body: z.ZodType;
  bodyLimit: number;
}

export const BOOTH_ROUTES = {
  submit: {
    method: 'post',
    path: paths.submit(),
    schemaName: 'SubmissionManifest',
    body: SubmissionManifest,
    bodyLimit: LIMITS.manifestBytes,
  },
  heartbeat: { method: 'post', path: paths.heartbeats(), schemaName: 'Heartbeat', body: Heartbeat, bodyLimit: LIMITS.heartbeatBytes },
} as const satisfies Record<string, BoothJsonRoute>;
