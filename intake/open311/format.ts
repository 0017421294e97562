// GeoReport v2's two wire forms (docs/OPEN311.md): XML (required by the spec: UTF-8 declaration,
// no namespace, one element per field, lists as repeated elements) and JSON (the "Spark
// convention" mapping of the same XML: the root list becomes an array of objects). A null field
// is an empty element in XML and null in JSON. Errors: <errors><error><code/><description/>.
import type { FastifyReply } from 'fastify';

export type Format = 'json' | 'xml';
export type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

export const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** "requests.json" → { name: "requests", format: "json" }; no or another suffix → format null. */
export function splitFormat(file: string): { name: string; format: Format | null } {
  const m = /^(.*)\.(json|xml)$/i.exec(file);
  return m ? { name: m[1]!, format: m[2]!.toLowerCase() as Format } : { name: file, format: null };
}

const escapeXml = (s: string) =>
  s
    .replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot carry at all (C0 controls except tab / LF / CR) are dropped.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '');

function element(tag: string, v: Value, indent: string, singular?: (tag: string) => string): string {
  if (v === null || v === '') return `${indent}<${tag}/>\n`;
  if (Array.isArray(v)) {
    const child = singular?.(tag) ?? 'item';
    return `${indent}<${tag}>\n${v.map((x) => element(child, x, `${indent}  `, singular)).join('')}${indent}</${tag}>\n`;
  }
  if (typeof v === 'object') {
    return `${indent}<${tag}>\n${Object.entries(v)
      .map(([k, x]) => element(k, x, `${indent}  `, singular))
      .join('')}${indent}</${tag}>\n`;
  }
  return `${indent}<${tag}>${escapeXml(String(v))}</${tag}>\n`;
}

const SINGULAR: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  notes: 'note',
  jurisdictions: 'jurisdiction',
  villages: 'village',
  attributes: 'attribute',
  values: 'value',
};
const singular = (tag: string) => SINGULAR[tag] ?? 'item';

/** A root element holding a list (<services><service>…) or one object (<discovery>…). */
export function toXml(root: string, body: Value, itemTag?: string): string {
  const inner = Array.isArray(body)
    ? body.map((x) => element(itemTag ?? 'item', x, '  ', singular)).join('')
    : Object.entries(body as Record<string, Value>)
        .map(([k, x]) => element(k, x, '  ', singular))
        .join('');
  return `<?xml version="1.0" encoding="utf-8"?>\n<${root}>\n${inner}</${root}>\n`;
}

export function send(reply: FastifyReply, format: Format, status: number, root: string, body: Value, itemTag?: string): FastifyReply {
  reply.code(status).header('content-type', CONTENT_TYPE[format]);
  return reply.send(format === 'json' ? JSON.stringify(body) : toXml(root, body, itemTag));
}

export interface Open311Error {
  /** HTTP status: 404 not found, 403 api_key, 400 anything else (429 too many, our addition). */
  status: number;
  /** Machine-readable reason (an extension beside the spec's code and description). */
  reason: string;
  description: string;
}

export class Open311Failure extends Error {
  constructor(readonly err: Open311Error) {
    super(err.description);
  }
}

export const fail = (status: number, reason: string, description: string): Open311Failure =>
  new Open311Failure({ status, reason, description });

/** The spec's error list: one element per error, `code` = the HTTP status, our `reason` beside it. */
export function sendError(reply: FastifyReply, format: Format, e: Open311Error): FastifyReply {
  return send(reply, format, e.status, 'errors', [{ code: e.status, description: e.description, reason: e.reason }], 'error');
}
