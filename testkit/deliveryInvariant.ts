// The delivery invariant, checked at the end of the chaos, crash and bench runs:
// every receipt the booth issued ⇒ exactly one case at the intake with byte-identical media;
// no case without a receipt.
// Byte-identical: the intake's bytes hash to the sha256 (and have the size) the booth recorded
// when it sealed the clear recording (lib/sealed.ts hashes the clear bytes on the way), and equal
// the booth's copy, opened with the booth key, while the booth still has it. Once the intake has
// confirmed a submission the booth deletes its copy (mediaRetentionDays, default 0: at once), so a
// copy may be missing only for a submission the booth's outbox records as delivered
// (deliveredAt set: `delivered` or `purged`); a missing copy of anything else is a loss.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { IntakeDatabase } from '../intake/store/schema.ts';
import { writeFileDurably } from '../lib/durableFile.ts';
import { isSealedMedia, openSealedMedia, sealMediaBytes } from '../lib/sealed.ts';
import type { Outbox } from '../uploader/outbox.ts';
import { readAll, type MediaStore } from '../intake/media/mediaStore.ts';

export interface BoothReceipt {
  submissionId: string;
  caseNumber: string;
  items: { idx: number; size: number; sha256: string; file: string }[];
  /** The booth had recorded the intake's confirmation (deliveredAt) when the receipt was read from its outbox: its copy may be gone. */
  delivered?: boolean;
}

/** The receipt of `submissionId` as the booth's outbox holds it. */
export function outboxReceipt(outbox: Outbox, submissionId: string): BoothReceipt {
  const row = outbox.get(submissionId);
  if (!row) throw new Error(`no outbox row ${submissionId}`);
  return {
    submissionId,
    caseNumber: row.caseNumber,
    items: outbox.items(submissionId).map((i) => ({ idx: i.idx, size: i.size, sha256: i.sha256, file: i.file })),
    delivered: row.deliveredAt !== null,
  };
}

export interface InvariantReport {
  receipts: number;
  cases: number;
  lost: string[];
  duplicated: string[];
  withoutReceipt: string[];
  mediaMismatch: string[];
  /** Receipts whose printed number does not lead to their case (neither its number nor an alias of it). */
  numberLost: string[];
}

/** The booth's copy of an item in clear (it rests sealed: lib/sealed.ts), or null once the booth deleted it. */
async function boothCopy(file: string, key: Buffer | null): Promise<Buffer | null> {
  const bytes = await readFile(file).catch(() => null);
  if (!bytes || !isSealedMedia(bytes)) return bytes;
  if (!key) throw new Error(`${file} is sealed and the invariant was given no booth key`);
  const chunks: Buffer[] = [];
  for await (const c of (await openSealedMedia(file, key)).range(0)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export interface BoothSide {
  /** The key the booth sealed its media with; by default the booth's own keys/booth.key next to its media folder. */
  boothKey?: Buffer;
  /**
   * The booth's outbox, for a booth whose retention deletes delivered media (a booth core): a
   * missing copy is then allowed where the row has deliveredAt. Without it (a bare upload worker,
   * which never deletes), every booth copy must be there.
   */
  outbox?: Outbox;
}

/** `intakeMedia`: the intake's media folder, or its media store (a folder or the object store). */
export async function checkInvariant(
  receipts: BoothReceipt[],
  boothMediaDir: string,
  intakeDb: Kysely<IntakeDatabase>,
  intakeMedia: string | MediaStore,
  booth: BoothSide = {},
): Promise<InvariantReport> {
  const keyFile = path.join(boothMediaDir, '..', 'keys', 'booth.key');
  const key =
    booth.boothKey ??
    (await readFile(keyFile, 'utf8')
      .then((hex) => Buffer.from(hex.trim(), 'hex'))
      .catch(() => null));
  const cases = await intakeDb.selectFrom('cases').select(['id', 'case_number']).execute();
  const items = await intakeDb.selectFrom('case_items').select(['case_id', 'idx', 'size', 'sha256', 'file']).execute();
  const byId = new Map<string, number>();
  for (const c of cases) byId.set(c.id, (byId.get(c.id) ?? 0) + 1);
  const byNumber = new Map<string, number>();
  for (const c of cases) byNumber.set(c.case_number, (byNumber.get(c.case_number) ?? 0) + 1);
  const receiptIds = new Set(receipts.map((r) => r.submissionId));
  const aliases = await intakeDb.selectFrom('case_number_aliases').select(['alias', 'case_id']).execute();
  const report: InvariantReport = {
    receipts: receipts.length,
    cases: cases.length,
    lost: [],
    duplicated: [],
    withoutReceipt: [],
    mediaMismatch: [],
    numberLost: [],
  };
  for (const r of receipts) {
    const n = byId.get(r.submissionId) ?? 0;
    if (n === 0) report.lost.push(r.caseNumber);
    if (n > 1 || (byNumber.get(r.caseNumber) ?? 0) > 1) report.duplicated.push(r.caseNumber);
    // No two receipts are filed under one number (the intake's unique index; checked here as well).
    if (n === 0) continue;
    // The number on the receipt finds the case: it is the case's number, or the intake filed the
    // case under a unique one and kept the receipt's as an alias (docs/DELIVERY.md "Numbers").
    const filedAs = cases.find((c) => c.id === r.submissionId)!.case_number;
    if (filedAs !== r.caseNumber && !aliases.some((a) => a.alias === r.caseNumber && a.case_id === r.submissionId))
      report.numberLost.push(r.caseNumber);
    const caseItems = items.filter((i) => i.case_id === r.submissionId);
    if (caseItems.length !== r.items.length) {
      report.mediaMismatch.push(`${r.caseNumber}: ${caseItems.length} items at the intake, ${r.items.length} on the booth`);
      continue;
    }
    for (const it of r.items) {
      const at = caseItems.find((c) => c.idx === it.idx);
      if (!at) {
        report.mediaMismatch.push(`${r.caseNumber}#${it.idx}: missing`);
        continue;
      }
      const intakeBytes =
        typeof intakeMedia === 'string' ? await readFile(path.join(intakeMedia, at.file)) : await readAll(intakeMedia, at.file);
      const hash = createHash('sha256').update(intakeBytes).digest('hex');
      if (hash !== it.sha256 || intakeBytes.length !== it.size || at.sha256 !== it.sha256) {
        report.mediaMismatch.push(`${r.caseNumber}#${it.idx}: bytes differ`);
        continue;
      }
      // Byte-identical with the booth's copy while the booth still has it. Gone is allowed only
      // after the booth recorded the intake's confirmation (the retention deleted it); the hash
      // above, the one the booth recorded from the clear bytes, is then the proof.
      const boothBytes = await boothCopy(path.join(boothMediaDir, it.file), key);
      if (boothBytes && !boothBytes.equals(intakeBytes))
        report.mediaMismatch.push(`${r.caseNumber}#${it.idx}: differs from the booth's file`);
      if (!boothBytes && !r.delivered && !booth.outbox?.get(r.submissionId)?.deliveredAt)
        report.mediaMismatch.push(`${r.caseNumber}#${it.idx}: the booth's copy is gone before delivery was recorded`);
    }
  }
  for (const c of cases) if (!receiptIds.has(c.id)) report.withoutReceipt.push(c.case_number);
  return report;
}

/** Commits `n` submissions of 1–3 items of mixed sizes (1 KiB … maxBytes, 5 % of bigBytes) straight into the booth outbox. */
export async function fillOutbox(
  outbox: Outbox,
  mediaDir: string,
  n: number,
  random: () => number,
  boothCode: string,
  at: number,
  sizes: { maxBytes: number; bigBytes: number },
  /** Files rest sealed as the booth writes them (lib/sealed.ts); without, in clear (a booth from before). */
  sealingKey?: Buffer,
): Promise<BoothReceipt[]> {
  const receipts: BoothReceipt[] = [];
  for (let s = 0; s < n; s++) {
    const id = randomUUID();
    const count = 1 + Math.floor(random() * 3);
    const items = [];
    for (let i = 0; i < count; i++) {
      const size = random() < 0.05 ? sizes.bigBytes : 1024 + Math.floor(random() * sizes.maxBytes);
      const file = path.join(id, `${i}.jpg`);
      const bytes = randomBytes(size);
      const target = path.join(mediaDir, file);
      const w = sealingKey ? await sealMediaBytes(bytes, target, sealingKey) : await writeFileDurably(target, bytes);
      items.push({
        idx: i,
        itemId: randomUUID(),
        kind: 'photo' as const,
        mime: 'image/jpeg',
        camera: 'document' as const,
        file,
        size: w.size,
        sha256: w.sha256,
        durationSec: null,
      });
    }
    const { caseNumber } = outbox.commit(
      {
        id,
        boothCode,
        language: 'zh-CN',
        startedAt: new Date(at).toISOString(),
        details: { category: null, location: null },
        personalSealed: null,
        items,
      },
      at + s,
    );
    receipts.push({
      submissionId: id,
      caseNumber,
      items: items.map((it) => ({ idx: it.idx, size: it.size, sha256: it.sha256, file: it.file })),
    });
  }
  return receipts;
}
