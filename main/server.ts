// The booth core's local HTTP server on 127.0.0.1: the built kiosk UI and the contract's API.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { installGuard, type GuardOptions } from './api/guard.ts';
import { registerKioskRoutes, type KioskPorts } from './api/kioskRoutes.ts';
import { registerRealnameRoutes, type RealnamePorts } from './api/realnameRoutes.ts';
import { registerSessionRoutes, type SessionPorts } from './api/sessionRoutes.ts';
import { registerServiceRoutes, type ServiceDeps } from './technician/serviceApi.ts';

export const RENDERER_DIST = fileURLToPath(new URL('../dist/renderer', import.meta.url));
export const PROMPTS_DIST = fileURLToPath(new URL('../dist/prompts', import.meta.url));

/**
 * What the server needs, one narrow port per route group, and nothing more: the core (core.ts)
 * hands these over, so the server neither sees nor writes the rest of the core, and the two do
 * not import each other.
 */
export interface BoothServerPorts {
  /** Token, diagnostics token, renewable earlier tokens and the allowed hosts (api/guard.ts). */
  guard: GuardOptions;
  /** The kiosk page's own routes (api/kioskRoutes.ts). */
  kiosk: KioskPorts;
  /** The resident's session, submission and receipt (api/sessionRoutes.ts). */
  sessions: SessionPorts;
  /** The real-name attempt and the reader (api/realnameRoutes.ts). */
  realname: RealnamePorts;
  /** The technician's service desk API (technician/serviceApi.ts). */
  service: ServiceDeps;
}

export async function buildBoothServer(ports: BoothServerPorts): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  installGuard(app, ports.guard);

  // Media from the recorder arrives as raw bytes: the handler gets the request stream and writes it
  // to disk as it arrives (sessions.ts addItem), bounded there by the item size limit.
  app.addContentTypeParser(
    [
      'video/webm',
      'video/mp4',
      'video/x-matroska',
      'audio/webm',
      'audio/mp4',
      'audio/ogg',
      'image/jpeg',
      'image/png',
      'image/webp',
      'application/octet-stream',
    ],
    (_req, payload, done) => done(null, payload),
  );
  app.setErrorHandler((error: { statusCode?: number; message: string }, _request, reply) => {
    const status = error.statusCode ?? 500;
    const code = status === 413 ? 'media_too_large' : status < 500 ? 'bad_request' : 'internal';
    return reply.code(status).send({ ok: false, error: { code, message: status < 500 ? error.message : 'internal error' } });
  });

  if (existsSync(RENDERER_DIST)) {
    await app.register(fastifyStatic, { root: RENDERER_DIST, prefix: '/', index: 'index.html' });
  } else {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain; charset=utf-8').send('The kiosk UI is not built: run npm start (it builds it).'),
    );
  }

  registerKioskRoutes(app, ports.kiosk, PROMPTS_DIST);
  registerSessionRoutes(app, ports.sessions);
  registerRealnameRoutes(app, ports.realname);
  registerServiceRoutes(app, ports.service);
  return app;
}

/** The server on its port on 127.0.0.1, known once it listens. */
export class LocalServer {
  private port = 0;

  constructor(readonly app: FastifyInstance) {}

  async listen(port: number): Promise<string> {
    await this.app.listen({ host: '127.0.0.1', port });
    const addr = this.app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Host values the guard lets in (api/guard.ts). */
  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  close(): Promise<void> {
    return this.app.close();
  }
}
