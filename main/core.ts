// The booth core: plain Node, no Electron. Owns the data directory, the outbox, the sessions,
// the upload worker, and the local API the kiosk UI talks to.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { loadOrCreateKey } from '../lib/sealed.ts';
import { createLogger } from '../lib/log.ts';
import { openBoothDb } from '../uploader/db.ts';
import { IntakeClient } from '../uploader/intakeClient.ts';
import { Outbox } from '../uploader/outbox.ts';
import { UploadWorker } from '../uploader/worker.ts';
import type { BoothConfig } from './config.ts';
import type { BoothStatus, KioskConfig } from './contract.ts';
import { SessionStore } from './sessions.ts';
import { submitSession, sweepOrphanMedia } from './submit.ts';
import { buildBoothServer } from './server.ts';
import { EventHub } from './events.ts';
import { VERSION } from './version.ts';

const log = createLogger('core');

export interface CoreOptions {
  dataDir: string;
  config: BoothConfig;
  /** Base URL of the intake (http://127.0.0.1:PORT); overrides config.intakeUrl. */
  intakeUrl: string;
  now?: () => number;
}

export class BoothCore {
  readonly token = randomBytes(24).toString('base64url');
  readonly bootId = randomUUID();
  readonly db: Database.Database;
  readonly outbox: Outbox;
  readonly sessions: SessionStore;
  readonly events = new EventHub();
  readonly mediaDir: string;
  worker!: UploadWorker;
  app!: FastifyInstance;
  private sealingKey!: Buffer;
  private port = 0;
  readonly now: () => number;

  private constructor(readonly options: CoreOptions) {
    this.now = options.now ?? Date.now;
    const dataDir = path.resolve(options.dataDir);
    this.mediaDir = path.join(dataDir, 'media');
    mkdirSync(this.mediaDir, { recursive: true });
    this.db = openBoothDb(path.join(dataDir, 'booth.db'));
    this.outbox = new Outbox(this.db, options.config.timeZone);
    this.sessions = new SessionStore(path.join(dataDir, 'sessions'), () => options.config.limits);
  }

  static async create(options: CoreOptions): Promise<BoothCore> {
    const core = new BoothCore(options);
    core.sealingKey = await loadOrCreateKey(path.join(path.resolve(options.dataDir), 'keys', 'booth.key'));
    const left = await core.sessions.clearLeftovers();
    const orphans = await sweepOrphanMedia(core.mediaDir, core.outbox.referencedSubmissionIds());
    if (left || orphans) log.info({ left, orphans }, 'discarded unfinished sessions from before the restart');
    core.worker = new UploadWorker({
      outbox: core.outbox,
      client: new IntakeClient({ baseUrl: options.intakeUrl }),
      mediaDir: core.mediaDir,
      sealingKey: core.sealingKey,
      retryBaseMs: options.config.upload.retryBaseMs,
      pollMs: options.config.upload.pollMs,
      onChange: () => core.events.publish({ type: 'status', status: core.status() }),
    });
    core.app = await buildBoothServer(core);
    return core;
  }

  get config(): BoothConfig {
    return this.options.config;
  }

  async listen(port = this.config.port): Promise<string> {
    await this.app.listen({ host: '127.0.0.1', port });
    const addr = this.app.server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.worker.start();
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The URL the kiosk window opens: the token travels in the fragment, which is never sent to a server. */
  get kioskUrl(): string {
    return `${this.url}/#token=${this.token}`;
  }

  allowedHosts(): string[] {
    return [`127.0.0.1:${this.port}`, `localhost:${this.port}`];
  }

  kioskConfig(): KioskConfig {
    const c = this.config;
    return {
      boothCode: c.boothCode,
      language: c.language,
      idleTimeoutSec: c.idleTimeoutSec,
      limits: { videoSec: c.limits.videoSec, audioSec: c.limits.audioSec, photos: c.limits.photos, itemBytes: c.limits.itemBytes },
    };
  }

  status(): BoothStatus {
    const s = this.outbox.summary();
    return {
      boothCode: this.config.boothCode,
      version: VERSION,
      outbox: {
        waiting: s.waiting,
        failed: s.failed,
        delivered: s.delivered,
        oldestWaitingSec: s.oldestWaitingSavedAt ? Math.max(0, Math.round((this.now() - Date.parse(s.oldestWaitingSavedAt)) / 1000)) : null,
        lastError: s.lastError,
      },
    };
  }

  async submit(sessionId: string, details: { phone: string | null; category: string | null; location: string | null }) {
    const session = this.sessions.get(sessionId);
    const receipt = await submitSession(
      { outbox: this.outbox, mediaDir: this.mediaDir, boothCode: this.config.boothCode, sealingKey: this.sealingKey, now: this.now },
      session,
      details,
    );
    await this.sessions.close(sessionId, true);
    log.info({ caseNumber: receipt.caseNumber, items: receipt.itemCount }, 'submission saved');
    this.worker.wake();
    this.events.publish({ type: 'status', status: this.status() });
    return receipt;
  }

  async close(): Promise<void> {
    await this.worker.stop();
    this.events.closeAll();
    await this.app.close();
    this.db.close();
  }
}
