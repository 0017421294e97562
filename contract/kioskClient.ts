// The one way to call the booth core's kiosk API (kiosk.ts): the request is built from the
// endpoint's method and path, the answer checked with the endpoint's schema. The renderer
// (renderer/api.ts, which adds the token renewal) and the Electron shell (main/electron/main.ts,
// which reads the settings and checks the core after an update) both call the core through it.
import { endpoints, envelope, TOKEN_HEADER, type ApiError, type EndpointName, type InputOf, type OutputOf } from './kiosk.ts';

/** The core's answer: the endpoint's value, or its error (a core that does not answer, or answers nonsense, is an `internal` error). */
export type CoreAnswer<N extends EndpointName> = { ok: true; value: OutputOf<N> } | { ok: false; error: ApiError };

const queryOf = (fields: Record<string, unknown>): string => {
  const q = new URLSearchParams(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]): [string, string] => [k, String(v)]),
  ).toString();
  return q ? `?${q}` : '';
};

/**
 * Calls endpoint `name` of the core at `base` ('' = the page's own origin) with the per-boot token.
 * Path parameters come out of `input`; the rest goes in the JSON body, or in the query string for
 * GET/DELETE and for endpoints whose body is the `media` itself.
 */
export async function callCore<N extends EndpointName>(
  base: string,
  token: string,
  name: N,
  input: InputOf<N>,
  media?: Blob,
): Promise<CoreAnswer<N>> {
  const def = endpoints[name];
  const fields = { ...(input as Record<string, unknown>) };
  const path = def.path.replace(/:(\w+)/g, (_m, key: string) => {
    const v = String(fields[key]);
    delete fields[key];
    return encodeURIComponent(v);
  });
  const headers: Record<string, string> = { [TOKEN_HEADER]: token };
  let body: Blob | string | undefined;
  let query = '';
  if ('body' in def && def.body === 'binary') {
    query = queryOf(fields);
    headers['content-type'] = media?.type.split(';')[0] || 'application/octet-stream';
    body = media;
  } else if (def.method !== 'GET' && def.method !== 'DELETE') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else {
    // GET/DELETE carry their remaining input in the query string (the core merges query and params).
    query = queryOf(fields);
  }
  let res: Response;
  try {
    res = await fetch(base + path + query, { method: def.method, headers, body });
  } catch {
    return { ok: false, error: { code: 'internal', message: 'booth core unreachable' } };
  }
  const parsed = envelope(def.output).safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, error: { code: 'internal', message: `unexpected answer (${res.status})` } };
  return parsed.data as CoreAnswer<N>;
}
