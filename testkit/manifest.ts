// A booth's submission manifest, for delivery tests that send their own bytes over tus and then
// finalise, rather than going through the outbox: the envelope a booth writes (no identity, no
// contact), with the items the test uploaded.
import { createHash, randomUUID } from 'node:crypto';
import type { SubmissionManifest } from '../contract/booth.ts';

export type ManifestItem = SubmissionManifest['items'][number];

export function submissionManifest(boothCode: string, submissionId: string, caseNumber: string, items: ManifestItem[]): SubmissionManifest {
  const now = new Date().toISOString();
  return {
    submissionId,
    caseNumber,
    residentNumber: null,
    boothCode,
    language: 'zh-CN',
    startedAt: now,
    savedAt: now,
    details: { category: null, location: null },
    contact: { phone: null },
    identity: null,
    items,
  };
}

/** A document-camera photo item of the given size and sha256 (hex). */
export function photoItem(index: number, size: number, sha256: string): ManifestItem {
  return { index, itemId: randomUUID(), kind: 'photo', mime: 'image/jpeg', camera: 'document', size, sha256, durationSec: null };
}

export function onePhotoManifest(
  boothCode: string,
  submissionId: string,
  bytes: Buffer,
  caseNumber = `${boothCode}-20261207-0001`,
): SubmissionManifest {
  return submissionManifest(boothCode, submissionId, caseNumber, [
    photoItem(0, bytes.length, createHash('sha256').update(bytes).digest('hex')),
  ]);
}
