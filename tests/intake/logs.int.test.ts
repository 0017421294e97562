// Intake request and error logs (issue 14 item 4): one line per answer (request id, route, status,
// duration, booth code or staff user id; never bodies or personal data), every 5xx with its stack,
// and no 5xx body carrying the error's text (database text included).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The loggers are made at import time with LOG_LEVEL (silent under vitest by default).
process.env.LOG_LEVEL = 'info';
const { createIntake } = await import('../../intake/server.ts');
const { issueCredential } = await import('../../intake/boothCredentials.ts');
const { sendLogsTo } = await import('../../lib/log.ts');

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-logs-'));
const logFile = path.join(root, 'intake.log');
let restore: () => void;
let intake: Awaited<ReturnType<typeof createIntake>>;
let url: string;
beforeAll(async () => {
  restore = sendLogsTo({ file: logFile });
  intake = await createIntake({ dataDir: path.join(root, 'intake') });
  // A handler failing the way a store does (a constraint error whose text names a table and holds a phone number).
  intake.app.get('/test/boom', async () => {
    throw Object.assign(new Error('SQLITE_CONSTRAINT_UNIQUE: UNIQUE constraint failed: cases.case_number (13812345678)'), {
      code: 'SQLITE_CONSTRAINT_UNIQUE',
    });
  });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await intake?.close();
  restore?.();
  rmSync(root, { recursive: true, force: true });
});

const lines = () =>
  readFileSync(logFile, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('intake logs', () => {
  it('a 5xx is logged with its type and stack; the answer carries no database text', async () => {
    const res = await fetch(`${url}/test/boom`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
    expect(text).not.toMatch(/SQLITE|constraint|cases/i);
    const failed = lines().find((l) => l.msg === 'request failed') as
      { err: { type: string; stack: string; code: string }; route: string; reqId: string } | undefined;
    expect(failed).toBeDefined();
    expect(failed!.route).toBe('/test/boom');
    expect(failed!.err.type).toBe('Error');
    expect(failed!.err.code).toBe('SQLITE_CONSTRAINT_UNIQUE');
    expect(failed!.err.stack).toMatch(/\n\s+at /);
    expect(JSON.stringify(lines())).not.toMatch(/13812345678/);
    const answered = lines().find((l) => l.msg === 'request answered' && l.route === '/test/boom');
    expect(answered).toMatchObject({ status: 500, reqId: failed!.reqId, method: 'GET' });
    expect(typeof answered!.durationMs).toBe('number');
  });

  it('a booth request is logged with its booth code and route, never its body', async () => {
    const token = await issueCredential(intake.delivery, 'LOG01', Date.now());
    const body = {
      boothCode: 'LOG01',
      sentAt: new Date().toISOString(),
      version: '1',
      queueDepth: 0,
      oldestUnsentSec: null,
      bytesWaiting: 0,
      disk: { freeBytes: 1, totalBytes: 2 },
      devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' },
      lastError: 'call 13912345678',
      alerts: [],
    };
    const res = await fetch(`${url}/api/v1/heartbeats`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const line = lines().find((l) => l.msg === 'request answered' && l.boothCode === 'LOG01');
    expect(line).toMatchObject({ route: '/api/v1/heartbeats', status: 200, method: 'POST' });
    expect(JSON.stringify(lines())).not.toMatch(/13912345678|lastError/);
  });
});
