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

let token = readToken();

/**
 * The core refused the page's token (it restarted while the page stayed open, or the token is not
 * its own). The page asks once for the current token with the old one (main/kiosk/tokenHistory.ts);
 * if that works the call is made again, otherwise every listener hears it (App shows out of service
 * and keeps trying; a window the core launched is also relaunched by its supervisor).
 */
type RefusedListener = (refused: boolean) => void;
const refusedListeners = new Set<RefusedListener>();
let renewing: Promise<boolean> | null = null;

export function onTokenRefused(listener: RefusedListener): () => void {
  refusedListeners.add(listener);
  return () => refusedListeners.delete(listener);
}

/** Asks the core for the current token with the page's old one; true when the page has it now. */
export function renewToken(): Promise<boolean> {
  renewing ??= (async () => {
    try {
      const res = await fetch(endpoints.renewKioskToken.path, {
        method: 'POST',
        headers: { [TOKEN_HEADER]: token, 'content-type': 'application/json' },
        body: '{}',
      });
      const parsed = envelope(endpoints.renewKioskToken.output).safeParse(await res.json().catch(() => null));
      if (!parsed.success || !parsed.data.ok) return false;
      token = parsed.data.value.token;
      sessionStorage.setItem(TOKEN_KEY, token);
      return true;
    } catch {
      return false;
    } finally {
      renewing = null;
    }
  })();
  return renewing;
}

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
  // The token is set per send (below): a renewal in between must reach the second attempt.
  const headers: Record<string, string> = {};
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
  const send = async () => {
    let res: Response;
    try {
      res = await fetch(url + query, { method: def.method, headers: { ...headers, [TOKEN_HEADER]: token }, body });
    } catch {
      throw new CoreError({ code: 'internal', message: 'booth core unreachable' });
    }
    const parsed = envelope(def.output).safeParse(await res.json().catch(() => null));
    if (!parsed.success) throw new CoreError({ code: 'internal', message: `unexpected answer (${res.status})` });
    return parsed.data;
  };
  let answer = await send();
  // A refused token: renew it once and ask again (a media body that was a stream cannot be resent;
  // the kiosk's bodies are Blobs, which can).
  if (!answer.ok && answer.error.code === 'unauthorized' && name !== 'renewKioskToken') {
    const renewed = await renewToken();
    refusedListeners.forEach((l) => l(!renewed));
    if (renewed) answer = await send();
  }
  if (!answer.ok) throw new CoreError(answer.error);
  return answer.value as OutputOf<N>;
}
