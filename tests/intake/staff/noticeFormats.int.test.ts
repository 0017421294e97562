// The notice webhook's WeCom (企业微信群机器人) and plain-JSON formats, sent for real to an HTTP
// receiver on 127.0.0.1 and checked there (the DingTalk format with 加签 is checked the same way in
// process.int.test.ts): the URL as the admin typed it (no signature), a JSON body of exactly the
// robot's shape, Chinese, within WeCom's 4096-byte limit, never the resident's words; a robot that
// answers 200 with an errcode has not taken the message, so it is sent again on the next tick.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../../intake/store/db.ts';
import type { IntakeDatabase } from '../../../intake/store/schema.ts';
import { addNotice } from '../../../intake/store/notices.ts';
import { sendPendingNotices } from '../../../intake/staff/noticeWebhook.ts';
import { fetchPost } from '../../../intake/staff/reminders.ts';
import { writeSettings } from '../../../intake/staff/settings.ts';

interface Got {
  method: string;
  url: string;
  type: string | undefined;
  raw: string;
}

let dir: string;
let db: Kysely<IntakeDatabase>;
let server: Server;
let base: string;
const got: Got[] = [];
/** What the robot answers next: WeCom and DingTalk say 200 with {errcode, errmsg}. */
let answer = { errcode: 0, errmsg: 'ok' };
const NOW = Date.parse('2026-11-13T03:00:00.000Z');

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'notice-formats-'));
  db = await openSqliteStore(path.join(dir, 'intake.db'));
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      got.push({ method: req.method ?? '', url: req.url ?? '', type: req.headers['content-type'], raw });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});

afterAll(async () => {
  server?.close();
  await db?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const notice = (kind: 'returned' | 'escalated', caseNumber: string, detail: Record<string, string | number | null>) =>
  addNotice(db, { at: NOW - 60_000, kind, caseId: null, caseNumber, minRole: 'supervisor', detail });

describe('the notice webhook, received by a real HTTP server', () => {
  it('WeCom group robot: markdown, the URL untouched, retried while the robot answers an errcode', async () => {
    const url = `${base}/cgi-bin/webhook/send?key=693a91f6-7xxx`;
    await writeSettings(db, { webhookUrl: url, webhookFormat: 'wecom' });
    await notice('returned', 'SIM01-20261113-0001', { unit: '物业公司' });
    answer = { errcode: 93000, errmsg: 'invalid webhook url' };
    expect(await sendPendingNotices(db, NOW, fetchPost)).toBe(0);
    expect(got).toHaveLength(1);
    answer = { errcode: 0, errmsg: 'ok' };
    expect(await sendPendingNotices(db, NOW + 60_000, fetchPost)).toBe(1);
    expect(await sendPendingNotices(db, NOW + 120_000, fetchPost)).toBe(0); // sent: never again
    expect(got).toHaveLength(2);
    const g = got[1]!;
    expect([g.method, g.url, g.type]).toEqual(['POST', '/cgi-bin/webhook/send?key=693a91f6-7xxx', 'application/json']);
    expect(JSON.parse(g.raw)).toEqual({
      msgtype: 'markdown',
      markdown: { content: '**工单 SIM01-20261113-0001 被退单，请重新派单**\n> 退单单位：物业公司' },
    });
    expect(Buffer.byteLength((JSON.parse(g.raw) as { markdown: { content: string } }).markdown.content)).toBeLessThanOrEqual(4096);
    expect(got[0]!.raw).toBe(g.raw); // the retry is the same message
  });

  it('plain JSON: the machine fields and the Chinese text', async () => {
    got.length = 0;
    await writeSettings(db, { webhookUrl: `${base}/hooks/village`, webhookFormat: 'json' });
    await notice('escalated', 'SIM01-20261113-0002', { level: 3, owner: '孙书记', dueDate: '2026-11-20' });
    expect(await sendPendingNotices(db, NOW, fetchPost)).toBe(1);
    expect(got).toHaveLength(1);
    expect([got[0]!.method, got[0]!.url, got[0]!.type]).toEqual(['POST', '/hooks/village', 'application/json']);
    expect(JSON.parse(got[0]!.raw)).toEqual({
      type: 'notice.escalated',
      caseNumber: 'SIM01-20261113-0002',
      level: 3,
      owner: '孙书记',
      dueDate: '2026-11-20',
      text: '工单 SIM01-20261113-0002 已升级至包案领导\n责任人：孙书记\n答复期限：2026-11-20 24:00',
    });
  });
});
