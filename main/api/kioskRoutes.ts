// The kiosk page's own routes: its configuration, the booth's status, doctor, the token renewal,
// the page's sign of life, the spoken prompts and the event stream.
import type { FastifyInstance } from 'fastify';
import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { EVENTS_PATH, Language, type BoothStatus, type DoctorReport, type KioskConfig } from '../../contract/kiosk.ts';
import type { EventHub } from '../events.ts';
import type { KioskPresence } from '../kiosk/presence.ts';
import { registerRoute } from './route.ts';

export interface KioskPorts {
  /** This boot's kiosk token, handed to a page that renews an earlier one. */
  token: string;
  bootId: string;
  now(): number;
  /** Measured afresh for each request (free disk is never a cached figure). */
  kioskConfig(): Promise<KioskConfig>;
  status(): Promise<BoothStatus>;
  doctor(): Promise<DoctorReport>;
  presence: Pick<KioskPresence, 'ping'>;
  events: Pick<EventHub, 'attach'>;
  /** Where a village's own prompt recordings are looked up first. */
  promptsOverrideDir: string;
}

/** `promptsDist`: the generated prompts, used where the village has no recording of its own. */
export function registerKioskRoutes(app: FastifyInstance, p: KioskPorts, promptsDist: string): void {
  registerRoute(app, 'config', () => p.kioskConfig());
  registerRoute(app, 'status', () => p.status());
  registerRoute(app, 'doctor', () => p.doctor());
  registerRoute(app, 'renewKioskToken', () => ({ token: p.token }));
  registerRoute(app, 'kioskAlive', ({ atStart }) => {
    p.presence.ping(atStart, p.now());
    return { alive: true as const };
  });

  // Spoken prompts: a village's own recording first, else the generated one (scripts/setup.d/prompts.sh).
  // Outside /api like the UI itself (an <audio> element cannot send the token); nothing secret.
  app.get('/prompts/:lang/:file', async (request, reply) => {
    const { lang, file } = request.params as { lang: string; file: string };
    if (!Language.safeParse(lang).success || !/^[a-z0-9_]{1,40}\.ogg$/.test(file)) return reply.code(404).send();
    for (const dir of [p.promptsOverrideDir, promptsDist]) {
      const f = path.join(dir, lang, file);
      if (existsSync(f)) return reply.type('audio/ogg').header('cache-control', 'no-cache').send(createReadStream(f));
    }
    return reply.code(404).send();
  });

  app.get(EVENTS_PATH, (request, reply) => {
    reply.hijack();
    p.events.attach(reply.raw, { type: 'hello', bootId: p.bootId });
    request.raw.on('close', () => reply.raw.end());
  });
}
