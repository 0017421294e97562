// The tus 1.0 endpoint of the booth API (/api/v1/uploads), @tus/server + @tus/file-store mounted in
// Fastify. What it adds to the library:
//  - every request is authenticated by the booth credential, and an upload belongs to the booth
//    that created it (another booth gets 404, as if it did not exist);
//  - upload ids are server-made 32-hex names, and an id from a URL that is not one is refused, so a
//    client-supplied name never reaches a path;
//  - creation must declare submission UUID, item index, size and sha256 in Upload-Metadata (values
//    are checked by pattern; none of them ever becomes a path);
//  - a PATCH cut mid-body keeps every byte that arrived (keptBody.ts), as the tus spec asks: the
//    next HEAD reports all of them and the booth sends none twice;
//  - when the last byte arrives the file's sha256 is computed and compared; a mismatch deletes the
//    upload (the next HEAD says 404 and the booth starts that item again);
//  - partial uploads live in a directory (files + .json info) or on the object store (multipart
//    uploads: intake/media/uploadBackend.ts), so they survive a restart and any process can resume
//    them, and expire after `expiryDays` (default 7: a booth offline over a long weekend still resumes).
import { Server, EVENTS } from '@tus/server';
import type { Locker } from '@tus/utils';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage } from 'node:http';
import { createLogger } from '../lib/log.ts';
import { keptBody } from './keptBody.ts';
import { UPLOAD_ID, type UploadBackend } from './media/uploadBackend.ts';

const log = createLogger('intake.tus');

export { UPLOAD_ID };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const UPLOADS_PATH = '/api/v1/uploads';

export interface UploadRecord {
  uploadId: string;
  boothId: string;
  submissionId: string;
  index: number;
  size: number;
  sha256: string;
  /** Set when the bytes were checked against sha256 and size. */
  verifiedAt: number | null;
}

/** What the endpoint needs from the intake's store. */
export interface UploadRegistry {
  recordUpload(record: UploadRecord): Promise<void>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  markVerified(uploadId: string, at: number): Promise<void>;
  forgetUpload(uploadId: string): Promise<void>;
}

export interface TusEndpointOptions {
  /** Where partial uploads live (a folder, or the object store). */
  backend: UploadBackend;
  maxItemBytes: number;
  maxItems: number;
  registry: UploadRegistry;
  /** Authenticates a raw request; returns the booth id or null (the caller already answered 401). */
  authenticate(req: FastifyRequest, reply: FastifyReply): Promise<string | null>;
  now?: () => number;
  /** Upload locks shared by processes (a Postgres advisory-lock locker); in-memory when unset. */
  locker?: Locker;
}

export interface TusEndpoint {
  server: Server;
  backend: UploadBackend;
  /** Verifies a finished upload (again) if the verification was interrupted; returns the record. */
  ensureVerified(uploadId: string): Promise<UploadRecord | undefined>;
  /** Deletes expired partial uploads and orphans (info without data, stale data without info); returns how many. */
  cleanUpExpired(): Promise<number>;
  /** Removes an upload's data (if still there) and its info. */
  discard(uploadId: string): Promise<void>;
}

type TusError = { status_code: number; body: string };
const fail = (status_code: number, body: string): TusError => ({ status_code, body: `${body}\n` });

export async function mountTusEndpoint(app: FastifyInstance, options: TusEndpointOptions): Promise<TusEndpoint> {
  const now = options.now ?? Date.now;
  const booths = new WeakMap<IncomingMessage, string>();
  const { registry, backend } = options;
  const store = backend.datastore;

  const boothOf = (req: { runtime?: { node?: { req?: IncomingMessage } } }): string => {
    const raw = req.runtime?.node?.req;
    const booth = raw ? booths.get(raw) : undefined;
    if (!booth) throw fail(401, 'unauthenticated');
    return booth;
  };

  async function verify(record: UploadRecord): Promise<boolean> {
    const actual = await backend.hash(record.uploadId);
    if (actual.size !== record.size || actual.sha256 !== record.sha256) {
      log.warn({ uploadId: record.uploadId, size: actual.size }, 'upload does not match its declared sha256/size; deleting it');
      await backend.discard(record.uploadId).catch(() => {});
      await registry.forgetUpload(record.uploadId);
      return false;
    }
    await registry.markVerified(record.uploadId, now());
    return true;
  }

  const server = new Server({
    path: UPLOADS_PATH,
    datastore: store,
    ...(options.locker ? { locker: options.locker } : {}),
    relativeLocation: true,
    maxSize: options.maxItemBytes,
    namingFunction: () => crypto.randomUUID().replaceAll('-', ''),
    getFileIdFromRequest: (req) => {
      const match = /\/([^/?#]+)\/?(?:\?.*)?$/.exec(new URL(req.url).pathname);
      const id = match?.[1];
      return id !== undefined && UPLOAD_ID.test(id) ? id : undefined;
    },
    // Sent by the client on the request, never trusted for paths; checked against the announcement.
    onUploadCreate: async (req, upload) => {
      const boothId = boothOf(req as never);
      const md = upload.metadata ?? {};
      const submissionId = md.submissionId ?? '';
      const index = Number(md.index ?? 'x');
      const sha256 = md.sha256 ?? '';
      if (
        !UUID.test(submissionId) ||
        !Number.isInteger(index) ||
        index < 0 ||
        index >= options.maxItems ||
        !/^[0-9a-f]{64}$/.test(sha256)
      ) {
        throw fail(400, 'Upload-Metadata must carry submissionId (UUID), index and sha256');
      }
      if (upload.size === undefined || upload.size <= 0) throw fail(400, 'Upload-Length is required and must be positive');
      await registry.recordUpload({ uploadId: upload.id, boothId, submissionId, index, size: upload.size, sha256, verifiedAt: null });
      return {};
    },
    onIncomingRequest: async (req, uploadId) => {
      const boothId = boothOf(req as never);
      if (req.method === 'POST') return;
      const record = await registry.getUpload(uploadId);
      // Another booth's upload (or an unknown one) looks exactly like a missing one.
      if (!record || record.boothId !== boothId) throw fail(404, 'not found');
    },
    onUploadFinish: async (_req, upload) => {
      const record = await registry.getUpload(upload.id);
      if (!record) throw fail(404, 'not found');
      if (!(await verify(record))) throw fail(460, 'checksum mismatch');
      return {};
    },
  });
  server.on(EVENTS.POST_TERMINATE, (_req, _res, id) => void registry.forgetUpload(id));

  await app.register(async (scope) => {
    // The body is the raw upload stream: Fastify must not parse it (TOOLCHAIN.md).
    scope.addContentTypeParser('application/offset+octet-stream', (_req, _payload, done) => done(null));
    scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const boothId = await options.authenticate(req, reply);
      if (boothId === null) return reply;
      // A body (PATCH, or POST with creation-with-upload) keeps every byte received when the
      // booth's link breaks mid-body, so the next HEAD says all of them (keptBody.ts).
      const raw = req.method === 'PATCH' || req.method === 'POST' ? keptBody(req.raw) : req.raw;
      booths.set(raw, boothId);
      reply.hijack();
      await server.handle(raw, reply.raw);
      return reply;
    };
    for (const url of [UPLOADS_PATH, `${UPLOADS_PATH}/*`]) {
      scope.route({ method: ['POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'], url, handler, bodyLimit: options.maxItemBytes });
    }
  });

  return {
    server,
    backend,
    async ensureVerified(uploadId) {
      const record = await registry.getUpload(uploadId);
      if (!record) return undefined;
      if (record.verifiedAt !== null) return record;
      let upload;
      try {
        upload = await store.getUpload(uploadId);
      } catch {
        return undefined;
      }
      if (upload.offset !== record.size) return undefined;
      if (!(await verify(record))) return undefined;
      return registry.getUpload(uploadId);
    },
    cleanUpExpired: () => backend.cleanUpExpired(now()),
    discard: (uploadId) => backend.discard(uploadId),
  };
}
