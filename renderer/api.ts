// The renderer's only way to reach the booth core: typed from contract/kiosk.ts, responses
// validated with the same schemas. The per-boot token comes in the URL fragment (#token=…).
import type { ApiError, EndpointName, InputOf, OutputOf } from '../contract/kiosk.ts';
import { callCore } from '../contract/kioskClient.ts';

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
      const answer = await callCore('', token, 'renewKioskToken', {});
      if (!answer.ok) return false;
      token = answer.value.token;
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
  // The token is read per send: a renewal in between must reach the second attempt.
  let answer = await callCore('', token, name, input, media);
  // A refused token: renew it once and ask again (a media body that was a stream cannot be resent;
  // the kiosk's bodies are Blobs, which can).
  if (!answer.ok && answer.error.code === 'unauthorized' && name !== 'renewKioskToken') {
    const renewed = await renewToken();
    refusedListeners.forEach((l) => l(!renewed));
    if (renewed) answer = await callCore('', token, name, input, media);
  }
  if (!answer.ok) throw new CoreError(answer.error);
  return answer.value;
}
