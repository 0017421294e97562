// The one way to register a core API handler (STYLE.md habit 2): the input is parsed with the
// contract before the handler runs, and every answer is the typed envelope. A handler cannot see
// unvalidated input, and cannot forget the envelope.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { ApiError, EndpointName, Endpoints, OutputOf, ParsedInputOf } from '../../contract/kiosk.ts';
import { endpoints } from '../../contract/kiosk.ts';
import { BoothError, statusOf } from './errors.ts';
import { createLogger } from '../../lib/log.ts';
import { isDiskFull } from '../../lib/diskFull.ts';

const log = createLogger('api');

export interface HandlerContext {
  request: FastifyRequest;
  /** The request body as it arrives (not read yet), for `body: 'binary'` endpoints. */
  body: { stream: Readable; length: number | null } | null;
}

export type Handler<N extends EndpointName> = (input: ParsedInputOf<N>, ctx: HandlerContext) => Promise<OutputOf<N>> | OutputOf<N>;

export function sendError(reply: FastifyReply, error: ApiError): FastifyReply {
  return reply.code(statusOf(error.code)).send({ ok: false, error });
}

export function registerRoute<N extends EndpointName>(app: FastifyInstance, name: N, handler: Handler<N>): void {
  const def: Endpoints[N] = endpoints[name];
  const isBinary = 'body' in def && def.body === 'binary';
  app.route({
    method: def.method,
    url: def.path,
    handler: async (request, reply) => {
      const bodyObject = !isBinary && request.body && typeof request.body === 'object' ? request.body : {};
      const merged = { ...(request.query as object), ...bodyObject, ...(request.params as object) };
      const parsed = def.input.safeParse(merged);
      if (!parsed.success) {
        return sendError(reply, { code: 'bad_request', message: z.prettifyError(parsed.error), details: parsed.error.issues });
      }
      const body = isBinary ? binaryBody(request) : null;
      try {
        const value = await handler(parsed.data as ParsedInputOf<N>, { request, body });
        return reply.send({ ok: true, value: def.output.parse(value) });
      } catch (e) {
        if (e instanceof BoothError) return sendError(reply, { code: e.code, message: e.message, details: e.details });
        if (isDiskFull(e)) {
          // Any write path that reaches here without its own mapping (outbox, settings, …).
          log.error({ err: e, endpoint: name }, 'TECHNICIAN ALERT: disk full');
          return sendError(reply, { code: 'disk_full', message: 'the booth is out of disk space' });
        }
        log.error({ err: e, endpoint: name }, 'handler failed');
        return sendError(reply, { code: 'internal', message: 'internal error' });
      }
    },
  });
}

/** The body of a binary endpoint: the request stream its content-type parser passed on (server.ts). */
function binaryBody(request: FastifyRequest): { stream: Readable; length: number | null } {
  const declared = Number(request.headers['content-length']);
  const length = Number.isFinite(declared) && request.headers['content-length'] !== undefined ? declared : null;
  if (request.body instanceof Readable) return { stream: request.body, length };
  const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  return { stream: Readable.from([bytes]), length: bytes.length };
}
