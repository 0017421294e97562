// The booth core's local HTTP server on 127.0.0.1: the built kiosk UI and the contract's API.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS_PATH, Language } from '../contract/kiosk.ts';
import { installGuard } from './api/guard.ts';
import { registerRoute } from './api/route.ts';
import type { BoothStatus, DoctorReport, KioskConfig, Receipt } from '../contract/kiosk.ts';
import type { EventHub } from './events.ts';
import type { KioskPresence } from './kiosk/presence.ts';
import type { RealNameService } from './realname.ts';
import { summaryOf, type SessionStore } from './sessions.ts';
import { registerServiceRoutes, type ServiceDeps } from './technician/serviceApi.ts';

export const RENDERER_DIST = fileURLToPath(new URL('../dist/renderer', import.meta.url));
export const PROMPTS_DIST = fileURLToPath(new URL('../dist/prompts', import.meta.url));

/**
 * What the server needs, and nothing more: the core (core.ts) hands these over, so the server
 * neither sees nor writes the rest of the core, and the two do not import each other.
 */
export interface BoothServerPorts {
  token: string;
  /** Opens only GET on the contract's DIAGNOSTIC_PATHS (booth doctor, booth status). */
  diagnosticsToken: string;
  /** Whether a token of an earlier boot may be renewed (main/kiosk/tokenHistory.ts). */
  renewableKioskToken(presented: string): boolean;
  doctor(): Promise<DoctorReport>;
  allowedHosts(): string[];
  itemBytes: number;
  now(): number;
  /** Measured afresh for each request (free disk is never a cached figure). */
  kioskConfig(): Promise<KioskConfig>;
  status(): Promise<BoothStatus>;
  sessions: SessionStore;
  submit(
    sessionId: string,
    details: { phone: string | null; category: string | null; location: string | null; realnameRef?: string | null },
  ): Promise<Receipt>;
  printReceipt(submissionId: string, language: Language): Promise<void>;
  discard(sessionId: string): Promise<boolean>;
  realname: Pick<RealNameService, 'start' | 'state' | 'retry' | 'confirm' | 'cancel' | 'info' | 'testCard'>;
  presence: Pick<KioskPresence, 'ping'>;
  events: Pick<EventHub, 'attach'>;
  bootId: string;
  promptsOverrideDir: string;
  /** The technician's service desk API (technician/serviceApi.ts). */
  service: ServiceDeps;
}

export async function buildBoothServer(core: BoothServerPorts): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  installGuard(app, {
    token: core.token,
    diagnosticsToken: core.diagnosticsToken,
    allowedHosts: () => core.allowedHosts(),
    renewable: (presented) => core.renewableKioskToken(presented),
  });

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

  registerRoute(app, 'config', () => core.kioskConfig());
  registerRoute(app, 'status', () => core.status());
  registerRoute(app, 'startSession', ({ language }) => core.sessions.info(core.sessions.start(language, core.now())));
  registerRoute(app, 'getSession', ({ sessionId }) => core.sessions.info(core.sessions.get(sessionId)));
  registerRoute(app, 'addItem', async ({ sessionId, kind, mime, camera, replaces }, { body }) => {
    return summaryOf(await core.sessions.addItem(sessionId, kind, mime, camera ?? null, body ?? Buffer.alloc(0), replaces ?? null));
  });
  registerRoute(app, 'checkedItem', async ({ sessionId, itemId }) => summaryOf(await core.sessions.checked(sessionId, itemId)));
  registerRoute(app, 'deleteItem', async ({ sessionId, itemId }) => core.sessions.info(await core.sessions.deleteItem(sessionId, itemId)));
  registerRoute(app, 'submit', ({ sessionId, phone, category, location, realnameRef }) =>
    core.submit(sessionId, { phone, category, location, realnameRef }),
  );
  registerRoute(app, 'printReceipt', async ({ submissionId, language }) => {
    await core.printReceipt(submissionId, language);
    return { printed: true as const };
  });
  registerRoute(app, 'discardSession', async ({ sessionId }) => ({ discarded: await core.discard(sessionId) }));
  registerRoute(app, 'realnameStart', () => core.realname.start());
  registerRoute(app, 'realnameState', ({ ref }) => core.realname.state(ref));
  registerRoute(app, 'realnameRetry', ({ ref }) => core.realname.retry(ref));
  registerRoute(app, 'realnameConfirm', ({ ref }) => core.realname.confirm(ref));
  registerRoute(app, 'realnameCancel', ({ ref }) => core.realname.cancel(ref));
  registerRoute(app, 'reader', () => core.realname.info());
  registerRoute(app, 'doctor', () => core.doctor());
  registerRoute(app, 'readerTestCard', ({ card }) => core.realname.testCard(card));
  registerRoute(app, 'renewKioskToken', () => ({ token: core.token }));
  registerRoute(app, 'kioskAlive', ({ atStart }) => {
    core.presence.ping(atStart, core.now());
    return { alive: true as const };
  });

  registerServiceRoutes(app, core.service);

  // Spoken prompts: a village's own recording first, else the generated one (scripts/setup.d/prompts.sh).
  // Outside /api like the UI itself (an <audio> element cannot send the token); nothing secret.
  app.get('/prompts/:lang/:file', async (request, reply) => {
    const { lang, file } = request.params as { lang: string; file: string };
    if (!Language.safeParse(lang).success || !/^[a-z0-9_]{1,40}\.ogg$/.test(file)) return reply.code(404).send();
    for (const dir of [core.promptsOverrideDir, PROMPTS_DIST]) {
      const f = path.join(dir, lang, file);
      if (existsSync(f)) return reply.type('audio/ogg').header('cache-control', 'no-cache').send(createReadStream(f));
    }
    return reply.code(404).send();
  });

  app.get(EVENTS_PATH, (request, reply) => {
    reply.hijack();
    core.events.attach(reply.raw, { type: 'hello', bootId: core.bootId });
    request.raw.on('close', () => reply.raw.end());
  });
  return app;
}
