// Staff attachments on a case (issue 15): the same scenario on both media stores, the local folder
// and a real S3-compatible object store (OpenStack Swift with s3api, tests/support/swift.ts).
// A handler of the case's unit adds a photo and a PDF; the type comes from the content (an HTML
// page named and declared as a photo is refused, a WebP passes); the size limit holds; another
// unit's handler and a viewer are refused; the file reads back byte-identical with the type found
// in its content; the case history and the audit log have their rows; the object lies where the
// store keeps media.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES } from '../../../contract/staff/attachments.ts';
import { sniffFileType } from '../../../intake/media/fileType.ts';
import { readAll } from '../../../intake/media/mediaStore.ts';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { sampleJpeg } from '../../support/fakeMedia.ts';
import { seedCase, seedUnit, seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';
import { startSwift, type Swift } from '../../support/swift.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const b64 = (b: Buffer) => b.toString('base64');
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([26, 0, 0, 0]), Buffer.from('WEBPVP8L'), randomBytes(14)]);

describe('the content sniffer', () => {
  it('knows JPEG, PNG, WebP and PDF by their first bytes, nothing else', () => {
    expect(sniffFileType(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))?.mime).toBe('image/jpeg');
    expect(sniffFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))?.mime).toBe('image/png');
    expect(sniffFileType(WEBP)).toEqual({ mime: 'image/webp', ext: '.webp', kind: 'photo' });
    expect(sniffFileType(PDF)).toEqual({ mime: 'application/pdf', ext: '.pdf', kind: 'document' });
    for (const bad of ['<html><script>alert(1)</script>', '<svg xmlns="http://www.w3.org/2000/svg"/>', 'RIFF....WAVE', '%PD', ''])
      expect(sniffFileType(Buffer.from(bad)), bad).toBeNull();
    expect(sniffFileType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

for (const kind of ['folder', 's3'] as const) {
  describe(`staff attachments on the ${kind} media store`, () => {
    const root = mkdtempSync(path.join(os.tmpdir(), `staff-att-${kind}-`));
    let swift: Swift | undefined;
    let intake: Intake;
    let base: string;
    const c = {} as Record<'handler' | 'other' | 'viewer' | 'supervisor', StaffClient>;
    let caseId = '';
    let otherCaseId = '';

    beforeAll(async () => {
      if (kind === 's3') swift = await startSwift();
      intake = await createIntake({
        dataDir: path.join(root, 'intake'),
        ...(swift
          ? {
              storage: {
                kind: 's3' as const,
                endpoint: swift.endpoint,
                region: swift.region,
                bucket: 'shuoba-att',
                accessKeyId: swift.accessKeyId,
                secretAccessKey: swift.secretAccessKey,
              },
            }
          : {}),
      });
      base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
      const unit = await seedUnit(intake.db, '物业公司');
      const other = await seedUnit(intake.db, '城管');
      await seedUser(intake.db, 'handler', 'handler', [unit]);
      await seedUser(intake.db, 'other', 'handler', [other]);
      await seedUser(intake.db, 'viewer', 'viewer');
      await seedUser(intake.db, 'supervisor', 'supervisor');
      caseId = (
        await seedCase(intake.db, { receivedAt: '2026-11-02T02:00:00.000Z', summary: '路灯坏了', unitId: unit, status: 'in_progress' })
      ).id;
      otherCaseId = (await seedCase(intake.db, { receivedAt: '2026-11-02T03:00:00.000Z', summary: '井盖', status: 'new' })).id;
      for (const n of ['handler', 'other', 'viewer', 'supervisor'] as const) c[n] = await staffLogin(base, n);
    }, 300_000);

    afterAll(async () => {
      await intake?.close();
      await swift?.stop();
      rmSync(root, { recursive: true, force: true });
    });

    const add = (who: StaffClient, id: string, title: string, data: Buffer | string) =>
      who.fetch('POST', `/staff/api/cases/${id}/attachments`, { title, data: typeof data === 'string' ? data : b64(data) });
    const reason = async (r: Response) => ((await r.json()) as { error: { reason: string } }).error.reason;

    it('a handler of the unit adds an after-photo and a PDF; they read back byte-identical, typed by content', async () => {
      expect(intake.media.kind).toBe(kind);
      const photo = readFileSync(sampleJpeg());
      const r1 = await add(c.handler, caseId, '整改后照片', photo);
      expect(r1.status).toBe(200);
      const a1 = (await r1.json()) as { id: string; url: string; kind: string; mime: string; size: number; uploadedBy: string };
      expect(a1).toMatchObject({ kind: 'photo', mime: 'image/jpeg', size: photo.length, uploadedBy: 'handler' });
      const r2 = await add(c.handler, caseId, '处理意见书', PDF);
      expect(r2.status).toBe(200);
      const a2 = (await r2.json()) as { id: string; url: string };

      const list = await c.viewer.json<{ attachments: { id: string; title: string; kind: string; url: string }[]; mayAdd: boolean }>(
        'GET',
        `/staff/api/cases/${caseId}/attachments`,
      );
      expect(list.mayAdd).toBe(false);
      expect(list.attachments.map((a) => [a.title, a.kind])).toEqual([
        ['整改后照片', 'photo'],
        ['处理意见书', 'document'],
      ]);
      expect((await c.handler.json<{ mayAdd: boolean }>('GET', `/staff/api/cases/${caseId}/attachments`)).mayAdd).toBe(true);
      expect((await c.other.json<{ mayAdd: boolean }>('GET', `/staff/api/cases/${caseId}/attachments`)).mayAdd).toBe(false);

      // A viewer opens both: the same bytes, the type found in the content, inline or as a download.
      const f1 = await c.viewer.fetch('GET', a1.url);
      expect(f1.status).toBe(200);
      expect(f1.headers.get('content-type')).toMatch(/^image\/jpeg/);
      expect(sha(Buffer.from(await f1.arrayBuffer()))).toBe(sha(photo));
      const f2 = await c.viewer.fetch('GET', `${a2.url}?download=1`);
      expect(f2.headers.get('content-type')).toMatch(/^application\/pdf/);
      expect(f2.headers.get('content-disposition')).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('处理意见书.pdf')}`);
      expect(Buffer.from(await f2.arrayBuffer()).equals(PDF)).toBe(true);

      // Stored where this store keeps media, under the case.
      const row = await intake.db.selectFrom('case_attachments').selectAll().where('id', '=', a1.id).executeTakeFirstOrThrow();
      expect(row.file).toBe(`${caseId}/attachments/${a1.id}.jpg`);
      expect(row.sha256).toBe(sha(photo));
      expect((await readAll(intake.media, row.file)).equals(photo)).toBe(true);
      expect(existsSync(path.join(root, 'intake', 'media', row.file))).toBe(kind === 'folder');

      // History and audit: who added what.
      const hist = await intake.db
        .selectFrom('case_history')
        .select(['action', 'detail', 'user_id'])
        .where('case_id', '=', caseId)
        .where('action', '=', 'attachment')
        .execute();
      expect(hist.map((h) => JSON.parse(h.detail) as unknown)).toEqual([{ title: '整改后照片' }, { title: '处理意见书' }]);
      const audit = await intake.db
        .selectFrom('audit_log')
        .select(['username', 'case_id', 'detail'])
        .where('action', '=', 'attachment_added')
        .orderBy('id')
        .execute();
      expect(audit.map((x) => x.username)).toEqual(['handler', 'handler']);
      expect(audit[0]!.case_id).toBe(caseId);
      expect(JSON.parse(audit[0]!.detail!)).toEqual({
        before: null,
        after: { id: a1.id, title: '整改后照片', kind: 'photo', mime: 'image/jpeg', size: photo.length, sha256: sha(photo) },
      });
      // The case view's history shows it too.
      const view = await c.viewer.json<{ history: { action: string }[] }>('GET', `/staff/api/cases/${caseId}`);
      expect(view.history.filter((h) => h.action === 'attachment')).toHaveLength(2);
    });

    it('refuses by content, by size, by unit and by role, and stores nothing then', async () => {
      const before = await intake.db.selectFrom('case_attachments').select('id').execute();
      // An HTML page is not a photo, whatever its title says.
      const html = await add(c.handler, caseId, 'photo.jpg', Buffer.from('<html><script>alert(1)</script></html>'));
      expect([html.status, await reason(html)]).toEqual([400, 'file_type']);
      const empty = await add(c.handler, caseId, '空', '');
      expect(empty.status).toBe(400);
      // The size limit does not depend on the store: checked once, on the folder.
      if (kind === 'folder') {
        // One byte over the limit (a JPEG header, then padding).
        const big = Buffer.alloc(ATTACHMENT_MAX_BYTES + 1, 0);
        big.set([0xff, 0xd8, 0xff, 0xe0]);
        const tooBig = await add(c.handler, caseId, '大照片', big);
        expect([tooBig.status, await reason(tooBig)]).toEqual([400, 'file_too_large']);
        // Far over it: the body limit answers 413 before the JSON is parsed.
        const huge = await add(c.handler, caseId, '更大', Buffer.alloc(ATTACHMENT_MAX_BYTES * 2, 1));
        expect(huge.status).toBe(413);
      }
      // Another unit's handler, a viewer; a case with no unit for a handler.
      const other = await add(c.other, caseId, '别的单位', PDF);
      expect([other.status, await reason(other)]).toEqual([403, 'other_unit']);
      const viewer = await add(c.viewer, caseId, '查看员', PDF);
      expect(viewer.status).toBe(403);
      const noUnit = await add(c.handler, otherCaseId, '未派单', PDF);
      expect(noUnit.status).toBe(403);
      expect(await intake.db.selectFrom('case_attachments').select('id').execute()).toHaveLength(before.length);
      // A supervisor may add to any case; a WebP passes by its content.
      const sup = await add(c.supervisor, otherCaseId, '现场照片', WEBP);
      expect(sup.status).toBe(200);
      expect(((await sup.json()) as { mime: string }).mime).toBe('image/webp');
      // No such attachment, or one of another case: 404.
      const a = (await c.viewer.json<{ attachments: { id: string }[] }>('GET', `/staff/api/cases/${otherCaseId}/attachments`))
        .attachments[0]!;
      expect((await c.viewer.fetch('GET', `/staff/api/cases/${caseId}/attachments/${a.id}`)).status).toBe(404);
    });
  });
}
