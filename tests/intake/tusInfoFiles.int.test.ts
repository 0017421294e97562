// tus info files: each upload is a data file plus a `.json` info file in INTAKE_DATA/uploads. When
// an item becomes part of a case both go (the data file is moved into media, the info file was left
// behind before); the housekeeping sweep also removes orphans: an info file whose data is gone, and
// a data file without info older than the expiry. Real intake (SQLite) and the booth's real client.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { onePhotoManifest } from '../../testkit/manifest.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'tus-info-'));
const uploads = path.join(root, 'intake', 'uploads');
let intake: Intake;
let url: string;
let token: string;

beforeAll(async () => {
  intake = await createIntake({ dataDir: path.join(root, 'intake'), uploadExpiryDays: 7 });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  token = await issueCredential(intake.delivery, 'TI01', Date.now());
});
afterAll(async () => {
  await intake.close();
  rmSync(root, { recursive: true, force: true });
});

describe('tus info files', () => {
  it('a delivered item leaves nothing in uploads/ (data file moved, info file removed)', async () => {
    const client = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000 });
    const id = randomUUID();
    const bytes = randomBytes(30_000);
    const file = path.join(root, 'item.jpg');
    writeFileSync(file, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect((await client.uploadItem({ file, size: bytes.length, sha256, submissionId: id, index: 0, uploadUrl: null }, () => {})).ok).toBe(
      true,
    );
    expect(readdirSync(uploads).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    const m = onePhotoManifest('TI01', id, bytes);
    const r = await fetch(`${url}/api/v1/submissions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': `"${id}"` },
      body: JSON.stringify(m),
    });
    expect(r.status).toBe(201);
    expect(readdirSync(uploads)).toEqual([]);
  });

  it('the sweep removes orphan info files and stale data files without info; a live upload stays', async () => {
    const old = (Date.now() - 8 * 86_400_000) / 1000;
    const orphanInfo = 'a'.repeat(32);
    const orphanData = 'b'.repeat(32);
    const live = 'c'.repeat(32);
    writeFileSync(
      path.join(uploads, `${orphanInfo}.json`),
      JSON.stringify({ id: orphanInfo, size: 10, offset: 0, creation_date: new Date().toISOString() }),
    );
    utimesSync(path.join(uploads, `${orphanInfo}.json`), old, old);
    writeFileSync(path.join(uploads, orphanData), 'x');
    utimesSync(path.join(uploads, orphanData), old, old);
    writeFileSync(path.join(uploads, live), 'x');
    writeFileSync(
      path.join(uploads, `${live}.json`),
      JSON.stringify({ id: live, size: 10, offset: 1, creation_date: new Date().toISOString() }),
    );
    const removed = await intake.sweepUploads();
    expect(removed).toBeGreaterThanOrEqual(2);
    expect(readdirSync(uploads).sort()).toEqual([live, `${live}.json`]);
  });
});
