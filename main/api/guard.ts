// Every API call must carry the per-boot token, and come from the booth's own origin.
// Why both: the token stops other local programs and pages; the Host check stops DNS rebinding
// (a remote page resolving its name to 127.0.0.1); the Origin check stops cross-site requests.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { DIAGNOSTIC_PATHS, DIAGNOSTICS_TOKEN_HEADER, EVENTS_PATH, KIOSK_RENEW_PATH, TOKEN_HEADER } from '../../contract/kiosk.ts';
import { sendError } from './route.ts';

export interface GuardOptions {
  token: string;
  /** host:port values the booth answers to, e.g. 127.0.0.1:4100 and localhost:4100. */
  allowedHosts: () => string[];
  /** Opens only GET on DIAGNOSTIC_PATHS (booth doctor / booth status; main/doctor/runtime.ts). */
  diagnosticsToken?: string;
  /** A token of an earlier boot (main/kiosk/tokenHistory.ts): opens only POST KIOSK_RENEW_PATH. */
  renewable?: (presented: string) => boolean;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function installGuard(app: FastifyInstance, options: GuardOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const hosts = options.allowedHosts();
    const host = request.headers.host ?? '';
    if (!hosts.includes(host)) return sendError(reply, { code: 'forbidden', message: 'unknown Host' });
    const origin = request.headers.origin;
    if (origin !== undefined && !hosts.some((h) => origin === `http://${h}`)) {
      return sendError(reply, { code: 'forbidden', message: 'cross-origin request refused' });
    }
    if (!request.url.startsWith('/api/')) return; // the static UI is not secret
    const url = new URL(request.url, 'http://x');
    const fromQuery = url.pathname === EVENTS_PATH ? url.searchParams.get('token') : null;
    const presented = (request.headers[TOKEN_HEADER] as string | undefined) ?? fromQuery ?? '';
    if (sameSecret(presented, options.token)) return;
    if (request.method === 'POST' && url.pathname === KIOSK_RENEW_PATH && options.renewable?.(presented)) return;
    const diagnostics = request.headers[DIAGNOSTICS_TOKEN_HEADER] as string | undefined;
    if (
      options.diagnosticsToken &&
      diagnostics &&
      request.method === 'GET' &&
      DIAGNOSTIC_PATHS.includes(url.pathname) &&
      sameSecret(diagnostics, options.diagnosticsToken)
    )
      return;
    return sendError(reply, { code: 'unauthorized', message: 'missing or wrong booth token' });
  });
}
