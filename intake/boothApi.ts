// The booth API (/api/v1): items are staged first, then the manifest turns them into a case.
// Idempotent on the submission UUID: the same manifest again → the stored answer; a different
// manifest under the same UUID → 422; a manifest still being ingested → 409.
import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { API_PREFIX, LIMITS, SubmissionManifest, type IntakeErrorCode, type SubmissionAck } from './contract.ts';
import { moveDurably, writeFileDurably } from '../lib/durableFile.ts';
import { extensionFor } from '../lib/mediaTypes.ts';
import { sealJson } from '../lib/sealed.ts';
import type { KeyObject } from 'node:crypto';
import { openIdentity } from '../lib/identitySeal.ts';
import type { CaseStore } from './store/cases.ts';
import type { PlaybackQueue } from './media/playback.ts';
import { createLogger } from '../lib/log.ts';

const log = createLogger('booth-api');

const STATUS: Record<IntakeErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
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
  dataDir: string;
  mediaRoot: string;
  contactKey: Buffer;
  /** The key pair booths seal real-name identities to (lib/identitySeal.ts). */
  identityPublicPem: string;
  identityPrivateKey: KeyObject;
  playback: PlaybackQueue;
  now?: () => number;
}

const ItemParams = z.object({ submissionId: z.uuid(), index: z.coerce.number().int().min(0).max(LIMITS.itemsPerSubmission - 1) });

/** Canonical form of a parsed manifest: zod's output has a fixed key order. */
export const manifestHash = (m: SubmissionManifest): string => createHash('sha256').update(JSON.stringify(m)).digest('hex');

export function registerBoothApi(app: FastifyInstance, deps: BoothApiDeps): void {
  const { store, mediaRoot } = deps;
  const now = deps.now ?? Date.now;
  const stagingRoot = path.join(deps.dataDir, 'staging');
  const inFlight = new Set<string>();

  app.register(async (api) => {
    // Media bytes arrive as a stream and go straight to disk; never buffered whole in memory.
    api.addContentTypeParser('application/octet-stream', { bodyLimit: LIMITS.itemBytes }, (_req, payload, done) => done(null, payload));

    api.get('/health', async () => ({ ok: true }));
    api.get('/identity-key', async () => ({ publicKeyPem: deps.identityPublicPem }));

    api.put('/submissions/:submissionId/items/:index', { bodyLimit: LIMITS.itemBytes }, async (request, reply) => {
      const params = ItemParams.safeParse(request.params);
      if (!params.success) return intakeError(reply, 'bad_request', z.prettifyError(params.error));
      const { submissionId, index } = params.data;
      if (request.headers['content-type'] !== 'application/octet-stream') {
        return intakeError(reply, 'bad_request', 'items are sent as application/octet-stream');
      }
      const existing = await store.caseById(submissionId);
      if (existing) {
        // Already ingested (the booth crashed before recording delivery): answer from the case.
        (request.body as Readable).resume();
        const it = (await store.items(submissionId)).find((i) => i.idx === index);
        if (!it) return intakeError(reply, 'not_found', `case has no item ${index}`);
        return { index, size: it.size, sha256: it.sha256 };
      }
      const rel = path.join(submissionId, `${index}.bin`);
      const written = await writeFileDurably(path.join(stagingRoot, rel), request.body as Readable);
      if (written.size === 0) {
        await rm(written.path, { force: true });
        return intakeError(reply, 'bad_request', 'empty item');
      }
      await store.stageItem({ submission_id: submissionId, idx: index, size: written.size, sha256: written.sha256, file: rel, received_at: new Date(now()).toISOString() });
      return { index, size: written.size, sha256: written.sha256 };
    });

    api.post('/submissions', { bodyLimit: LIMITS.manifestBytes }, async (request, reply) => {
      const parsed = SubmissionManifest.safeParse(request.body);
      if (!parsed.success) return intakeError(reply, 'bad_request', z.prettifyError(parsed.error), parsed.error.issues);
      const manifest = parsed.data;
      const key = request.headers['idempotency-key'];
      if (key !== manifest.submissionId) return intakeError(reply, 'bad_request', 'Idempotency-Key must equal submissionId');
      const hash = manifestHash(manifest);

      const existing = await store.caseById(manifest.submissionId);
      if (existing) {
        if (existing.manifest_hash !== hash) return intakeError(reply, 'idempotency_conflict', 'this submission was already received with a different body');
        return reply.code(200).send(await ackFor(existing.id));
      }
      if (inFlight.has(manifest.submissionId)) return intakeError(reply, 'in_progress', 'this submission is being ingested');
      inFlight.add(manifest.submissionId);
      try {
        const staged = await store.staged(manifest.submissionId);
        const missing: number[] = [];
        for (const it of manifest.items) {
          const s = staged.find((x) => x.idx === it.index);
          if (!s || !(await exists(path.join(stagingRoot, s.file)))) {
            missing.push(it.index);
          } else if (s.size !== it.size || s.sha256 !== it.sha256) {
            // Different bytes than the booth holds: drop them and ask for the item again.
            await store.unstage(manifest.submissionId, it.index);
            missing.push(it.index);
          }
        }
        if (missing.length) return intakeError(reply, 'items_missing', `items not received intact: ${missing.join(', ')}`, { missing });

        const items = manifest.items.map((it) => ({
          case_id: manifest.submissionId,
          idx: it.index,
          kind: it.kind,
          mime: it.mime,
          camera: it.camera,
          size: it.size,
          sha256: it.sha256,
          duration_sec: it.durationSec,
          file: path.join(manifest.submissionId, `${it.index}.original.${extensionFor(it.mime)}`),
        }));
        // Files first (idempotent renames), then the rows in one transaction: a crash in between
        // leaves files without a case, which the retry adopts; never a case without its files.
        for (const it of items) {
          const s = staged.find((x) => x.idx === it.idx)!;
          await moveDurably(path.join(stagingRoot, s.file), path.join(mediaRoot, it.file));
        }
        const contact = manifest.contact.phone ? sealJson(manifest.contact, deps.contactKey).toString('base64') : null;
        // The identity arrives sealed to our identity key; it is kept sealed with the contact key in
        // the shape the staff app reveals (staff/routes.ts readIdentity). It is never in clear on disk.
        let identity: string | null = null;
        if (manifest.identity) {
          let record: IdentityRecord;
          try {
            record = JSON.parse(openIdentity(manifest.identity, deps.identityPrivateKey, manifest.submissionId).toString('utf8')) as IdentityRecord;
          } catch {
            return intakeError(reply, 'bad_request', 'the identity block cannot be opened with this intake\'s key');
          }
          identity = sealJson(identityForStaff(record), deps.contactKey).toString('base64');
        }
        await store.createCase(
          {
            id: manifest.submissionId,
            case_number: manifest.caseNumber,
            booth_code: manifest.boothCode,
            language: manifest.language,
            started_at: manifest.startedAt,
            saved_at: manifest.savedAt,
            received_at: new Date(now()).toISOString(),
            category: manifest.details.category,
            location: manifest.details.location,
            contact_sealed: contact,
            ...(identity ? { identity_sealed: identity, real_name: 1 } : {}),
            manifest_hash: hash,
          },
          items,
        );
        await rm(path.join(stagingRoot, manifest.submissionId), { recursive: true, force: true });
        for (const it of await store.items(manifest.submissionId)) deps.playback.add(it);
        log.info({ caseNumber: manifest.caseNumber, items: items.length }, 'case created');
        return reply.code(201).send(await ackFor(manifest.submissionId));
      } finally {
        inFlight.delete(manifest.submissionId);
      }
    });
  }, { prefix: API_PREFIX });

  async function ackFor(caseId: string): Promise<SubmissionAck> {
    const c = (await store.caseById(caseId))!;
    const items = await store.items(caseId);
    return {
      submissionId: c.id,
      caseNumber: c.case_number,
      caseId: c.id,
      receivedAt: c.received_at,
      items: items.map((i) => ({ index: i.idx, size: i.size, sha256: i.sha256 })),
    };
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** What the booth seals (main/realname.ts IdentityRecord), as far as the intake reads it. */
interface IdentityRecord {
  card: { name: string; idNumber: string; address: string | null } & Record<string, unknown>;
  appendedAddress: string | null;
  photoWlt: string;
  readAt: string;
}

/** The identity as staff see it on a reveal: name, number, current address, and the rest of the card. */
function identityForStaff(r: IdentityRecord): Record<string, unknown> {
  const { name, idNumber, address, ...rest } = r.card;
  return {
    name, idNumber, address: r.appendedAddress ?? address ?? '',
    registeredAddress: address, card: rest, photoWlt: r.photoWlt, readAt: r.readAt,
  };
}
