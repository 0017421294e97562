// 立即上传: make the session durable and issue the receipt. Order matters (STYLE.md habit 9):
// 1. each item file is already durable (temp, fsync, rename) in sessions/<id>/;
// 2. move the directory into media/<id>/ and fsync;
// 3. commit the outbox row in one SQLite transaction (WAL, synchronous=FULL);
// only then answer with the case number. A crash before 3 leaves an orphan directory that the
// boot sweep removes (no receipt was shown); after 3 the submission is the outbox's.
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { moveDurably } from '../lib/durableFile.ts';
import { sealJson } from '../lib/sealed.ts';
import type { SealedIdentity } from '../lib/identitySeal.ts';
import type { Outbox } from '../uploader/outbox.ts';
import type { Receipt } from '../contract/kiosk.ts';
import type { Session } from './sessions.ts';
import { BoothError } from './api/errors.ts';

export interface SubmitDeps {
  outbox: Outbox;
  mediaDir: string;
  boothCode: string;
  sealingKey: Buffer;
  now: () => number;
}

export interface SubmitDetails {
  phone: string | null;
  category: string | null;
  location: string | null;
  /** Real-name identity, already sealed to the intake's key (main/core.ts). */
  identity?: SealedIdentity | null;
}

export async function submitSession(deps: SubmitDeps, session: Session, details: SubmitDetails): Promise<Receipt> {
  const already = deps.outbox.get(session.id);
  if (already) {
    return { submissionId: already.id, caseNumber: already.caseNumber, savedAt: already.savedAt, itemCount: deps.outbox.items(already.id).length };
  }
  if (session.items.length === 0) throw new BoothError('no_items', 'nothing has been recorded yet');
  const items = [];
  for (const [idx, it] of session.items.entries()) {
    const rel = path.join(session.id, path.basename(it.file));
    await moveDurably(it.file, path.join(deps.mediaDir, rel));
    items.push({ idx, itemId: it.itemId, kind: it.kind, mime: it.mime, camera: it.camera, file: rel, size: it.size, sha256: it.sha256, durationSec: it.durationSec });
  }
  // Phone and identity are sealed at rest with the booth key; the identity inside is itself sealed to
  // the intake, so the booth cannot read it back. Both are dropped once the intake acknowledged.
  const identity = details.identity ?? null;
  const personal = details.phone || identity ? sealJson({ phone: details.phone, identity }, deps.sealingKey) : null;
  const { caseNumber, savedAt } = deps.outbox.commit(
    {
      id: session.id,
      boothCode: deps.boothCode,
      language: session.language,
      startedAt: session.startedAt,
      details: { category: details.category, location: details.location },
      personalSealed: personal,
      items,
    },
    deps.now(),
  );
  return { submissionId: session.id, caseNumber, savedAt, itemCount: items.length };
}

/** Boot sweep: media directories without an outbox row were never receipted; remove them. */
export async function sweepOrphanMedia(mediaDir: string, known: Set<string>): Promise<number> {
  let removed = 0;
  for (const d of await readdir(mediaDir).catch(() => [] as string[])) {
    if (!known.has(d)) {
      await rm(path.join(mediaDir, d), { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
