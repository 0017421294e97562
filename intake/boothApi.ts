// The booth API (/api/v1). Every route but health and the OpenAPI document is authenticated with
// the booth credential (boothCredentials.ts). Media arrive over tus (tusEndpoint.ts) and are
// verified by sha256 when the last byte lands; the manifest then turns them into a case, in one
// transaction. Idempotent on the submission UUID (idempotency.ts, draft-ietf-httpapi-idempotency-
// key-header): same key and body → the stored answer (status and body as first given); different
// body → 422; still running → 409. The key records are in the store (store/idempotencyKeys.ts).
import type { Locker } from '@tus/utils';
import { statusTokenHash } from '../lib/statusToken.ts';
import { addStatusToken } from './store/residentStatus.ts';
import type { KeyObject } from 'node:crypto';
import { openBoothIdentity, sealForStaff } from './identity.ts';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { API_PREFIX, LIMITS, type IntakeErrorCode, type SubmissionAck, type SubmissionManifest } from '../contract/booth.ts';
import { BOOTH_ROUTES } from './boothRoutes.ts';
import { extensionFor } from '../lib/mediaTypes.ts';
import { sealJson } from '../lib/sealed.ts';
import type { CaseStore } from './store/cases.ts';
import type { DeliveryStore } from './store/delivery.ts';
import type { PlaybackQueue } from './media/playback.ts';
import type { MediaStore } from './media/mediaStore.ts';
import type { UploadBackend } from './media/uploadBackend.ts';
import { createLogger } from '../lib/log.ts';
import { verifyCredential } from './boothCredentials.ts';
import { fingerprint, parseIdempotencyKey, type StoredResponse } from './idempotency.ts';
import { systemClock } from '../lib/clock.ts';
import { IdempotencyStore, LeaseLostError } from './store/idempotencyKeys.ts';
import { NumberStore } from './store/numbers.ts';
import type { IntakeDatabase } from './store/schema.ts';
import { mountTusEndpoint, type TusEndpoint } from './tusEndpoint.ts';
import { openApiDocument } from './openapi.ts';

const log = createLogger('booth-api');

const STATUS: Record<IntakeErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  items_missing: 422,
  item_mismatch: 422,
  idempotency_conflict: 422,
  in_progress: 409,
  internal: 500,
};

export function intakeError(reply: FastifyReply, code: IntakeErrorCode, message: string, details?: unknown): FastifyReply {
  return reply.code(STATUS[code]).send({ error: { code, message, details } });
}

export interface BoothApiDeps {
  store: CaseStore;
  delivery: DeliveryStore;
  /** Where case media live (a folder, or the object store). */
  media: MediaStore;
  /** Where partial uploads live, matched to the media store. */
  uploads: UploadBackend;
  contactKey: Buffer;
  /** The key pair booths seal real-name identities to (lib/identitySeal.ts). */
  identityPublicPem: string;
  identityPrivateKey: KeyObject;
  playback: PlaybackQueue;
  now?: () => number;
  /** Upload locks across processes (intake/delivery/pgLocker.ts); the library's in-memory one if unset. */
  locker?: Locker;
  /** Told once per case created (metrics). */
  onCaseCreated?: () => void;
}

declare module 'fastify' {
  interface FastifyRequest {
    boothCode?: string;
    /** The staff user a request acted as (staff/http.ts), for the request log line. */
    staffUserId?: string;
  }
}

/** Answers 401 unless the request carries a valid, unrevoked booth credential. */
export async function authenticateBooth(delivery: DeliveryStore, request: FastifyRequest, reply: FastifyReply): Promise<string | null> {
  const result = await verifyCredential(delivery, request.headers.authorization);
  if (result.ok) {
    request.boothCode = result.boothId;
    return result.boothId;
  }
  log.warn({ reason: result.reason }, 'booth request refused');
  await intakeError(
    reply,
    'unauthorized',
    result.reason === 'revoked' ? 'this booth has been revoked' : 'a valid booth credential is required',
  );
  return null;
}

export async function registerBoothApi(app: FastifyInstance, deps: BoothApiDeps): Promise<TusEndpoint> {
  const { store, delivery, media } = deps;
  const now = deps.now ?? Date.now;
  // Idempotency records live in the store, so several intake processes on one database agree.
  const keys = new IdempotencyStore(store.db);
  const numbers = new NumberStore(store.db);

  const tus = await mountTusEndpoint(app, {
    backend: deps.uploads,
    maxItemBytes: LIMITS.itemBytes,
    maxItems: LIMITS.itemsPerSubmission,
    registry: delivery,
    authenticate: (req, reply) => authenticateBooth(delivery, req, reply),
    now,
    ...(deps.locker ? { locker: deps.locker } : {}),
  });

  await app.register(
    async (api) => {
      api.get('/health', async () => ({ ok: true }));
      api.get('/openapi.json', async () => openApiDocument());
      api.get('/identity-key', async () => ({ publicKeyPem: deps.identityPublicPem }));

      api.register(async (authed) => {
        authed.addHook('preHandler', async (request, reply) => {
          if ((await authenticateBooth(delivery, request, reply)) === null) return reply;
        });

        authed.post(relative(BOOTH_ROUTES.heartbeat.path), { bodyLimit: BOOTH_ROUTES.heartbeat.bodyLimit }, async (request, reply) => {
          const parsed = BOOTH_ROUTES.heartbeat.body.safeParse(request.body);
          if (!parsed.success) return intakeError(reply, 'bad_request', z.prettifyError(parsed.error));
          const hb = parsed.data;
          if (hb.boothCode !== request.boothCode) return intakeError(reply, 'forbidden', 'heartbeat for another booth');
          await delivery.addHeartbeat({
            booth_code: hb.boothCode,
            received_at: now(),
            sent_at: hb.sentAt,
            version: hb.version,
            queue_depth: hb.queueDepth,
            oldest_unsent_sec: hb.oldestUnsentSec,
            bytes_waiting: hb.bytesWaiting,
            disk_free_bytes: hb.disk.freeBytes,
            disk_total_bytes: hb.disk.totalBytes,
            disk_need_bytes: hb.disk.needBytes ?? null,
            devices_json: JSON.stringify(hb.devices),
            last_error: hb.lastError,
            alerts_json: JSON.stringify(hb.alerts),
          });
          // The intake is the authority for the booth's numbers: every answer carries its marks,
          // and a new block of resident numbers when the booth runs low (docs/DELIVERY.md "Numbers").
          return reply.code(200).send({ numbers: await numbers.authority(hb.boothCode, now(), hb.residentNumbersLeft ?? null) });
        });

        authed.post(relative(BOOTH_ROUTES.submit.path), { bodyLimit: BOOTH_ROUTES.submit.bodyLimit }, async (request, reply) => {
          const key = parseIdempotencyKey(request.headers['idempotency-key']);
          const parsed = BOOTH_ROUTES.submit.body.safeParse(request.body);
          if (!parsed.success) return intakeError(reply, 'bad_request', z.prettifyError(parsed.error), parsed.error.issues);
          const manifest = parsed.data;
          const boothCode = request.boothCode!;
          if (manifest.boothCode !== boothCode) return intakeError(reply, 'forbidden', 'a booth may only deliver its own submissions');
          if (key === null) return intakeError(reply, 'bad_request', 'Idempotency-Key header is required');
          if (key !== manifest.submissionId) return intakeError(reply, 'bad_request', 'Idempotency-Key must equal submissionId');
          const fp = fingerprint(manifest);

          const claim = await keys.claim(boothCode, key, fp, now());
          if (claim.kind === 'replay') return reply.code(claim.response.status).send(claim.response.body);
          if (claim.kind === 'reject') {
            if (claim.status === 409) reply.header('retry-after', '5');
            return intakeError(
              reply,
              claim.status === 409 ? 'in_progress' : claim.status === 422 ? 'idempotency_conflict' : 'bad_request',
              claim.message,
            );
          }
          // This request holds the key (renewing its lease while it runs). It completes it with the
          // case, or gives it up.
          let completed = false;
          try {
            const answer = await keys.whileHeld(
              boothCode,
              key,
              claim.owner,
              () => ingest(manifest, boothCode, fp, (trx, response) => keys.complete(trx, boothCode, key, claim.owner, response)),
              { ...systemClock, now },
            );
            completed = answer.stored;
            return reply.code(answer.status).send(answer.body);
          } catch (e) {
            // The lease ran out and another request took the key over: that one answers; wait for it.
            if (!(e instanceof LeaseLostError)) throw e;
            reply.header('retry-after', '5');
            return intakeError(reply, 'in_progress', 'this submission is being ingested by another request');
          } finally {
            if (!completed) await keys.release(boothCode, key, claim.owner);
          }
        });
      });
    },
    { prefix: API_PREFIX },
  );

  /** What ingest answers; `stored` when the answer was stored with the case (replayed from now on). */
  type Answer = StoredResponse & { stored: boolean };
  const refuse = (code: IntakeErrorCode, message: string, details?: unknown): Answer => ({
    status: STATUS[code],
    body: { error: { code, message, details } },
    stored: false,
  });
  type Complete = (trx: Kysely<IntakeDatabase>, response: StoredResponse) => Promise<void>;

  async function ingest(manifest: SubmissionManifest, boothCode: string, fp: string, complete: Complete): Promise<Answer> {
    // A case with this id and no idempotency record: made before the records existed (migration
    // 007), or another booth's. Same body → its answer, stored now; otherwise a conflict.
    const existing = await store.caseById(manifest.submissionId);
    if (existing) {
      if (existing.manifest_hash !== fp)
        return refuse('idempotency_conflict', 'Idempotency-Key was already used with a different request body');
      const response = { status: 201, body: await ackFor(manifest.submissionId) };
      await complete(store.db, response);
      return { ...response, stored: true };
    }

    const items = manifest.items.map((it) => ({
      case_id: manifest.submissionId,
      idx: it.index,
      kind: it.kind,
      mime: it.mime,
      camera: it.camera,
      size: it.size,
      sha256: it.sha256,
      duration_sec: it.durationSec,
      // Server-made name: never a client file name.
      file: path.join(manifest.submissionId, `${it.index}.original.${extensionFor(it.mime)}`),
    }));

    // Every item must have a verified upload of this booth with the declared size and sha256, or
    // already be in place: moved there by an earlier attempt whose transaction then failed.
    const sources: { idx: number; upload: string | null }[] = [];
    const missing: number[] = [];
    for (const it of manifest.items) {
      const candidates = await delivery.uploadsFor(boothCode, manifest.submissionId, it.index);
      let found: string | null = null;
      for (const c of candidates) {
        if (c.size !== it.size || c.sha256 !== it.sha256) continue;
        const verified = await tus.ensureVerified(c.uploadId);
        if (verified && (await deps.uploads.exists(c.uploadId))) {
          found = c.uploadId;
          break;
        }
      }
      if (found) sources.push({ idx: it.index, upload: found });
      else if (await media.holds(items[it.index]!.file, it.size, it.sha256)) sources.push({ idx: it.index, upload: null });
      else missing.push(it.index);
    }
    if (missing.length) return refuse('items_missing', `items not received intact: ${missing.join(', ')}`, { missing });

    // The identity arrives sealed to our identity key; it is opened, checked against the contract
    // and kept sealed with the contact key in the shape the staff app reveals (identity.ts). It is
    // never in clear on disk.
    let identity: string | null = null;
    if (manifest.identity) {
      const opened = openBoothIdentity(manifest.identity, deps.identityPrivateKey, manifest.submissionId);
      if (!opened.ok) {
        return refuse(
          'bad_request',
          opened.reason === 'unopenable'
            ? "the identity block cannot be opened with this intake's key"
            : 'the identity record does not match contract/identity.ts',
          { reason: `identity_${opened.reason}` },
        );
      }
      identity = sealForStaff(opened.record, deps.contactKey);
    }

    // Media first (durable renames in a folder, copies inside the object store), then the rows in
    // one transaction: a crash or a failed transaction in between leaves the media in place, and the
    // booth's retry adopts them above.
    for (const it of items) {
      const src = sources.find((s) => s.idx === it.idx)!;
      if (src.upload !== null) await deps.uploads.moveToMedia(src.upload, it.file);
    }
    const contact = manifest.contact.phone ? sealJson(manifest.contact, deps.contactKey).toString('base64') : null;
    const receivedAt = new Date(now()).toISOString();
    // The numbers it is filed under: the booth's when free; otherwise unique ones (never a refusal:
    // the resident holds a receipt). A concurrent ingest taking the same number between the check
    // and the insert makes the insert fail on the unique index: then the numbers are chosen again.
    let ack: SubmissionAck | null = null;
    for (let attempt = 0; ack === null; attempt++) {
      const filed = await numbers.file(boothCode, manifest.caseNumber, manifest.residentNumber, now());
      // The acknowledgement is what the rows below say, so it is stored with them and replayed as is.
      const answer: SubmissionAck = {
        submissionId: manifest.submissionId,
        caseNumber: filed.caseNumber,
        residentNumber: filed.residentNumber,
        boothCaseNumber: filed.alias,
        caseId: manifest.submissionId,
        receivedAt,
        items: items.map((i) => ({ index: i.idx, size: i.size, sha256: i.sha256 })),
      };
      try {
        await store.createCase(
          {
            id: manifest.submissionId,
            case_number: filed.caseNumber,
            resident_number: filed.residentNumber,
            booth_code: manifest.boothCode,
            language: manifest.language,
            started_at: manifest.startedAt,
            saved_at: manifest.savedAt,
            received_at: receivedAt,
            category: manifest.details.category,
            location: manifest.details.location,
            contact_sealed: contact,
            manifest_hash: fp,
            ...(identity ? { identity_sealed: identity, real_name: 1 } : {}),
          },
          items,
          async (trx) => {
            await numbers.recordAliases(trx, manifest.submissionId, boothCode, filed, now());
            for (const a of filed.alerts) await numbers.recordAlert(trx, boothCode, 'numbers', a, now());
            await complete(trx, { status: 201, body: answer });
            if (manifest.statusToken) await addStatusToken(trx, manifest.submissionId, statusTokenHash(manifest.statusToken));
          },
        );
        ack = answer;
        if (filed.alerts.length)
          log.warn(
            { boothCode, caseNumber: filed.caseNumber, boothCaseNumber: manifest.caseNumber, alerts: filed.alerts },
            'case filed under another number',
          );
      } catch (e) {
        if (!isUniqueViolation(e) || attempt >= 3 || (await store.caseById(manifest.submissionId))) throw e;
      }
    }
    for (const s of sources) {
      if (s.upload === null) continue;
      await tus.discard(s.upload).catch(() => undefined); // the data was moved or copied; the upload's info goes too
      await delivery.forgetUpload(s.upload);
    }
    for (const it of await store.items(manifest.submissionId)) deps.playback.add(it);
    deps.onCaseCreated?.();
    log.info({ caseNumber: ack.caseNumber, items: items.length }, 'case created');
    return { status: 201, body: ack, stored: true };
  }

  async function ackFor(caseId: string): Promise<SubmissionAck> {
    const c = (await store.caseById(caseId))!;
    const items = await store.items(caseId);
    const alias = await store.db
      .selectFrom('case_number_aliases')
      .select('alias')
      .where('case_id', '=', caseId)
      .where('kind', '=', 'case')
      .executeTakeFirst();
    return {
      submissionId: c.id,
      caseNumber: c.case_number,
      residentNumber: (c as { resident_number?: string | null }).resident_number ?? null,
      boothCaseNumber: alias?.alias ?? null,
      caseId: c.id,
      receivedAt: c.received_at,
      items: items.map((i) => ({ index: i.idx, size: i.size, sha256: i.sha256 })),
    };
  }

  return tus;
}

/** A unique index said no (SQLite or Postgres): another case took the number first. */
function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** A route table path as registered under the API_PREFIX plugin. */
function relative(fullPath: string): string {
  if (!fullPath.startsWith(`${API_PREFIX}/`)) throw new Error(`${fullPath} is not under ${API_PREFIX}`);
  return fullPath.slice(API_PREFIX.length);
}
