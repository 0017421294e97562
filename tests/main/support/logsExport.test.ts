import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scrubForExport, writeSupportBundle } from '../../../main/support/logsExport.ts';

// Made-up identity: 11010519491231002X passes the GB 11643 check digit.
const ID = '11010519491231002X';
const PHONE = '13912345678';
const TOKEN = 'sb1.ft01.AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('booth logs export', () => {
  it.each([
    [`reader read ${ID} ok`, 'reader read [id] ok'],
    [`callback phone ${PHONE}`, 'callback phone [phone]'],
    [`auth with ${TOKEN} refused`, 'auth with [credential] refused'],
    ['{"authorization":"Bearer abc.def"}', '{"authorization":"[redacted]"}'],
    ['Authorization: Bearer abc.def', 'Authorization: "[redacted]"'],
    ['{"pin":"4711","x":1}', '{"pin":"[redacted]","x":1}'],
    ['upload 3 of 5 done in 1234 ms', 'upload 3 of 5 done in 1234 ms'],
  ])('scrubs %s', (input, expected) => {
    expect(scrubForExport(input)).toBe(expected);
  });

  it('writes a .tar.gz that tar reads, with no personal data or credential inside', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-'));
    dirs.push(dir);
    const out = path.join(dir, 'support.tar.gz');
    await writeSupportBundle(
      {
        logs: async () => `{"level":30,"msg":"heartbeat ok"}\n{"level":50,"msg":"card ${ID} for ${PHONE}"}\n{"msg":"token ${TOKEN}"}`,
        documents: async () => ({ doctor: { ok: true }, settings: { receiptText: '谢谢' }, leak: { name: '张三', idNumber: ID, credential: TOKEN, intakeToken: 'plain-secret-value', hash: { pinHash: '$argon2id$v=19$m=19456' } } }),
      },
      out,
      Date.UTC(2026, 10, 25),
    );
    const x = path.join(dir, 'x');
    execFileSync('mkdir', ['-p', x]);
    execFileSync('tar', ['-xzf', out, '-C', x]);
    expect(readdirSync(path.join(x, 'booth')).sort()).toEqual(['README.txt', 'doctor.json', 'leak.json', 'logs.txt', 'settings.json']);
    const all = readdirSync(path.join(x, 'booth')).map((f) => readFileSync(path.join(x, 'booth', f), 'utf8')).join('\n');
    expect(all).toContain('heartbeat ok');
    expect(all).toContain('谢谢');
    for (const secret of [ID, PHONE, TOKEN, '张三', 'AbCdEfGh', 'plain-secret-value', 'argon2id']) expect(all).not.toContain(secret);
  });
});
