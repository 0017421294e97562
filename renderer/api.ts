// The renderer's only way to reach the booth core: typed from contract/kiosk.ts, responses
// validated with the same schemas. The per-boot token comes in the URL fragment (#token=…).
import { endpoints, envelope, TOKEN_HEADER, type ApiError, type EndpointName, type InputOf, type OutputOf } from '../contract/kiosk.ts';

const TOKEN_KEY = 'booth-token';

function readToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

const token = readToken();

export class CoreError extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

export async function call<N extends EndpointName>(name: N, input: InputOf<N>, media?: Blob): Promise<OutputOf<N>> {
  const def = endpoints[name];
  const fields = { ...(input as Record<string, unknown>) };
  const url = def.path.replace(/:(\w+)/g, (_m, key: string) => {
    const v = String(fields[key]);
    delete fields[key];
    return encodeURIComponent(v);
  });
  const headers: Record<string, string> = { [TOKEN_HEADER]: token };
  let body: BodyInit | undefined;
  let query = '';
  if ('body' in def && def.body === 'binary') {
    query =
      '?' +
      new URLSearchParams(
        Object.entries(fields)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => [k, String(v)]),
      ).toString();
    headers['content-type'] = media?.type.split(';')[0] || 'application/octet-stream';
    body = media;
  } else if (def.method !== 'GET' && def.method !== 'DELETE') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(fields);
  } else {
    // GET/DELETE carry their remaining input in the query string (the core merges query and params).
    const q = new URLSearchParams(
      Object.entries(fields)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, String(v)]),
    ).toString();
    if (q) query = `?${q}`;
  }
  let res: Response;
  try {
    res = await fetch(url + query, { method: def.method, headers, body });
  } catch {
    throw new CoreError({ code: 'internal', message: 'booth core unreachable' });
  }
  const parsed = envelope(def.output).safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new CoreError({ code: 'internal', message: `unexpected answer (${res.status})` });
  if (!parsed.data.ok) throw new CoreError(parsed.data.error);
  return parsed.data.value as OutputOf<N>;
}
