// 立即上传: make the session durable and issue the receipt. Order matters (STYLE.md habit 9):
// 1. each item file is already durable (temp, fsync, rename) in sessions/<id>/;
// 2. move the directory into media/<id>/ and fsync;
// 3. commit the outbox row in one SQLite transaction (WAL, synchronous=FULL);
// only then answer with the case number. A crash before 3 leaves an orphan directory that the
// boot sweep removes (no receipt was shown, and no session survives a restart); after 3 the
// submission is the outbox's. A failure before 3 while running moves the files back (below).
import { open, readdir, rm, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { moveDurably } from '../lib/durableFile.ts';
import { isSealedMedia, sealJson, sealMediaFile } from '../lib/sealed.ts';
import { statusToken, statusUrl } from '../lib/statusToken.ts';
import type { SealedIdentity } from '../lib/identitySeal.ts';
import type { Outbox } from '../uploader/outbox.ts';
import type { Receipt } from '../contract/kiosk.ts';
import type { Session } from './sessions.ts';
import { BoothError } from './api/errors.ts';
import { isDiskFull } from '../lib/diskFull.ts';
import { createLogger } from '../lib/log.ts';

const log = createLogger('submit');

export interface SubmitDeps {
  outbox: Outbox;
  mediaDir: string;
  boothCode: string;
  sealingKey: Buffer;
  now: () => number;
  /** The intake's public base URL as the settings gave it (null: not known yet). */
  statusBaseUrl: string | null;
}

/** The receipt's QR target: the per-case status page, derived from the booth key (nothing stored). */
function receiptStatusUrl(deps: SubmitDeps, submissionId: string): string | null {
  return deps.statusBaseUrl ? statusUrl(deps.statusBaseUrl, statusToken(deps.sealingKey, submissionId)) : null;
}

export interface SubmitDetails {
  phone: string | null;
  category: string | null;
  location: string | null;
  /** Real-name identity, already sealed to the intake's key (main/submission.ts). */
  identity?: SealedIdentity | null;
}

export async function submitSession(deps: SubmitDeps, session: Session, details: SubmitDetails): Promise<Receipt> {
  const already = deps.outbox.get(session.id);
  if (already) {
    const { id, caseNumber, residentNumber, savedAt } = already;
    return {
      submissionId: id,
      caseNumber,
      residentNumber,
      statusUrl: receiptStatusUrl(deps, id),
      savedAt,
      itemCount: deps.outbox.items(id).length,
    };
  }
  if (session.items.length === 0) throw new BoothError('no_items', 'nothing has been recorded yet');
  // The checks of the last recording may still run (they start at 停止): wait for them, and refuse
  // if one refused its recording (the kiosk drops such an item from review when it learns).
  await Promise.all(session.items.map((i) => i.checked));
  const refused = session.items.find((i) => i.refused);
  if (refused) throw refused.refused!;
  // Atomic across files and database: when the move or the commit fails (a full disk: ENOSPC, or
  // SQLite's "database or disk is full"), every file moved so far goes back to sessions/<id>/, so
  // the session can be submitted again once space is freed and the orphan sweep has nothing of it.
  const items = [];
  const moved: { from: string; to: string }[] = [];
  let committed: { caseNumber: string; savedAt: string; residentNumber: string | null };
  try {
    for (const [idx, it] of session.items.entries()) {
      const rel = path.join(session.id, path.basename(it.file));
      const to = path.join(deps.mediaDir, rel);
      await moveDurably(it.file, to);
      moved.push({ from: it.file, to });
      items.push({
        idx,
        itemId: it.itemId,
        kind: it.kind,
        mime: it.mime,
        camera: it.camera,
        file: rel,
        size: it.size,
        sha256: it.sha256,
        durationSec: it.durationSec,
      });
    }
    // Phone and identity are sealed at rest with the booth key; the identity inside is itself sealed to
    // the intake, so the booth cannot read it back. Both are dropped once the intake acknowledged.
    const identity = details.identity ?? null;
    const personal = details.phone || identity ? sealJson({ phone: details.phone, identity }, deps.sealingKey) : null;
    committed = deps.outbox.commit(
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
  } catch (e) {
    await putBack(moved, path.join(deps.mediaDir, session.id));
    if (isDiskFull(e)) {
      log.error(
        { submissionId: session.id, err: e },
        'TECHNICIAN ALERT: disk full at submit; the session is kept and can be submitted again',
      );
      throw new BoothError('disk_full', 'the booth is out of disk space');
    }
    throw e;
  }
  const { caseNumber, savedAt, residentNumber } = committed;
  return {
    submissionId: session.id,
    caseNumber,
    residentNumber,
    statusUrl: receiptStatusUrl(deps, session.id),
    savedAt,
    itemCount: items.length,
  };
}

async function putBack(moved: { from: string; to: string }[], dir: string): Promise<void> {
  for (const m of moved.reverse()) {
    // A rename within one file system needs no space; if even that fails, leave the file where it is
    // (the session's item points at `from`, so a retry will fail loudly rather than lose it).
    await moveDurably(m.to, m.from).catch((e: unknown) => log.error({ err: e }, 'could not move an item back into its session'));
  }
  await rmdir(dir).catch(() => undefined);
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

/**
 * Boot sweep of the outbox's media (after sweepOrphanMedia): removes the temporary files a crash
 * left mid-write (lib/durableFile.ts names them `.<name>.<uuid>.tmp`), and seals in place any file
 * still in clear (media saved by a booth from before recordings were sealed at rest). Sealing in
 * place replaces the clear file by one rename: a kill at any moment leaves the whole clear file
 * (sealed on the next start) or the whole sealed one, so nothing is lost and nothing stays clear.
 */
export async function sealMediaAtRest(mediaDir: string, key: Buffer): Promise<{ sealed: number; tmpRemoved: number }> {
  let sealed = 0;
  let tmpRemoved = 0;
  for (const d of await readdir(mediaDir).catch(() => [] as string[])) {
    const dir = path.join(mediaDir, d);
    for (const f of await readdir(dir).catch(() => [] as string[])) {
      const file = path.join(dir, f);
      if (f.startsWith('.') && f.endsWith('.tmp')) {
        await rm(file, { force: true });
        tmpRemoved++;
        continue;
      }
      const head = Buffer.alloc(8);
      const fh = await open(file, 'r');
      try {
        await fh.read(head, 0, head.length, 0);
      } finally {
        await fh.close();
      }
      if (isSealedMedia(head)) continue;
      await sealMediaFile(file, file, key);
      sealed++;
    }
  }
  return { sealed, tmpRemoved };
}
