// A booth's submission manifest for one photo item already uploaded over tus (the finalise of a
// delivery test that sends its own bytes rather than going through the outbox).
import { createHash, randomUUID } from 'node:crypto';
import type { SubmissionManifest } from '../contract/booth.ts';

export function onePhotoManifest(
  boothCode: string,
  submissionId: string,
  bytes: Buffer,
  caseNumber = `${boothCode}-20261207-0001`,
): SubmissionManifest {
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
    items: [
      {
        index: 0,
        itemId: randomUUID(),
        kind: 'photo',
        mime: 'image/jpeg',
        camera: 'document',
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        durationSec: null,
      },
    ],
  };
}
