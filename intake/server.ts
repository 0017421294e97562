// The intake service: booth API under /api/v1, staff app under /staff/. Embedded in `npm start`,
// or run alone with `npm run intake` on a back-office server.
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { loadOrCreateKey } from '../lib/sealed.ts';
import { registerBoothApi } from './boothApi.ts';
import { PlaybackQueue } from './media/playback.ts';
import { registerStaffApi } from './staffApi.ts';
import { CaseStore } from './store/cases.ts';
import { openSqliteStore } from './store/db.ts';
import type { IntakeDatabase } from './store/schema.ts';

export const STAFF_DIST = fileURLToPath(new URL('../dist/staff', import.meta.url));

export interface IntakeOptions {
  dataDir: string;
  now?: () => number;
}

export interface Intake {
  app: FastifyInstance;
  store: CaseStore;
  db: Kysely<IntakeDatabase>;
  playback: PlaybackQueue;
  mediaRoot: string;
  close(): Promise<void>;
}

export async function createIntake(options: IntakeOptions): Promise<Intake> {
  const dataDir = path.resolve(options.dataDir);
  const mediaRoot = path.join(dataDir, 'media');
  const db = await openSqliteStore(path.join(dataDir, 'intake.db'));
  const store = new CaseStore(db);
  const contactKey = await loadOrCreateKey(path.join(dataDir, 'keys', 'contact.key'));
  const playback = new PlaybackQueue(store, mediaRoot);

  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
  await app.register(fastifyStatic, { root: existsSync(STAFF_DIST) ? STAFF_DIST : dataDir, prefix: '/staff/', serve: existsSync(STAFF_DIST), decorateReply: true });
  app.get('/', async (_req, reply) => reply.redirect('/staff/'));
  registerBoothApi(app, { store, dataDir, mediaRoot, contactKey, playback, ...(options.now ? { now: options.now } : {}) });
  registerStaffApi(app, { store, mediaRoot });
  await playback.resume();

  return {
    app,
    store,
    db,
    playback,
    mediaRoot,
    async close() {
      await app.close();
      await playback.idle();
      await db.destroy();
    },
  };
}
