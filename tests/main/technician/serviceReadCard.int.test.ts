// The service screen's real test read (POST /api/service/reader-read) on a real booth core whose
// reader is the simulator on a socat pseudo-terminal: a card shows as its type and a masked name
// and number; no card, an unreadable card, an unplugged reader and a resident's open real-name read
// each say so; and nothing of the card reaches the logs.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sendLogsTo } from '../../../lib/log.ts';
import type { ReaderTestRead } from '../../../contract/kiosk.ts';
import { RealNameService } from '../../../main/realname.ts';
import { hashPin } from '../../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';
import { coreFetch, eventually, startStack, type Stack } from '../../support/stack.ts';

// Loggers are silent under vitest; this file reads what they would write.
vi.hoisted(() => {
  process.env.LOG_LEVEL = 'info';
});

type Env<T> = { ok: boolean; value: T; error?: { code: string } };
const PIN = '482916';

describe('service screen test read', () => {
  let stack: Stack;
  let token = '';
  let logDir: string;
  let restoreLogs: () => void;

  const post = async <T>(p: string, body: unknown): Promise<{ status: number; json: Env<T> }> => {
    const res = await coreFetch(stack, p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Env<T> };
  };
  const read = async (timeoutSec: number) =>
    (await post<ReaderTestRead>('/api/service/reader-read', { serviceToken: token, timeoutSec })).json.value;
  const testCard = (card: string | null) => post('/api/reader/test-card', { card });
  const readerEmpty = async () => {
    await testCard(null);
    await eventually(() => !stack.core.realname.info().cardOnReader, 'the reader empty');
  };

  beforeAll(async () => {
    logDir = mkdtempSync(path.join(os.tmpdir(), 'svc-read-logs-'));
    restoreLogs = sendLogsTo({ file: path.join(logDir, 'booth.log') });
    stack = await startStack();
    await writeSecret(techFiles(stack.core.dataDir).pin, await hashPin(PIN));
    await eventually(() => stack.core.realname.info().state === 'ready', 'simulated reader ready');
    token = (await post<{ serviceToken: string }>('/api/service/unlock', { pin: PIN })).json.value.serviceToken;
  });
  afterAll(async () => {
    await stack?.close();
    restoreLogs?.();
    rmSync(logDir, { recursive: true, force: true });
  });

  it('a card placed while it waits: its type and the masked name and number', async () => {
    const pending = read(20);
    await testCard('resident');
    expect(await pending).toEqual({
      outcome: 'card',
      card: { cardType: 'resident', nameMasked: '张**', idNumberMasked: '110***********1235' },
      error: null,
    });
    await readerEmpty();
  });

  it('a card already lying there is read when the read starts (it was never read before)', async () => {
    await testCard('hk-mo-tw');
    expect(await read(20)).toMatchObject({ outcome: 'card', card: { cardType: 'hk-mo-tw', nameMasked: '陈**' } });
  });

  it('the same card left on the reader is not read twice: no card, lift and put back', async () => {
    expect(await read(2)).toEqual({ outcome: 'no_card', card: null, error: null });
    await readerEmpty();
  });

  it('an unreadable card says so', async () => {
    const pending = read(20);
    await testCard('bad-check-digit');
    expect(await pending).toEqual({ outcome: 'card_error', card: null, error: 'unreadable' });
    await readerEmpty();
  });

  it('refuses while a resident’s real-name read is open', async () => {
    const started = await post<{ ref: string }>('/api/realname', { consent: true });
    expect(await read(1)).toMatchObject({ outcome: 'busy' });
    await post(`/api/realname/${started.json.value.ref}/cancel`, {});
  });

  it('an unplugged reader is not ready', async () => {
    await stack.core.realname.simulator!.disconnect();
    await eventually(() => stack.core.realname.info().state !== 'ready', 'the reader gone');
    expect(await read(1)).toMatchObject({ outcome: 'not_ready' });
    await stack.core.realname.simulator!.reconnect();
    await eventually(() => stack.core.realname.info().state === 'ready', 'the reader back');
  });

  it('needs the service screen unlocked', async () => {
    const r = await post('/api/service/reader-read', { serviceToken: 'x'.repeat(32), timeoutSec: 1 });
    expect(r.status).toBe(403);
  });

  it('never logs the card: no name, no number, only the outcome', () => {
    const logs = readFileSync(path.join(logDir, 'booth.log'), 'utf8');
    expect(logs).toContain('service screen test read');
    for (const secret of ['张测试', '110106199003071235', '陈演示', '810000198806120026', '北京市丰台区测试路'])
      expect(logs).not.toContain(secret);
  });

  it('a booth without a reader says it has none', async () => {
    const none = await RealNameService.create({
      config: { port: null, simulate: 'never', pollIntervalMs: 500, readAppendedAddress: false, testCard: null, wltDecoderModule: null },
      publish: () => undefined,
      canSeal: async () => true,
      holdMs: 1000,
    });
    try {
      expect(await none.testRead(1000)).toEqual({ outcome: 'absent', card: null, error: null });
    } finally {
      await none.close();
    }
  });

  it('a malformed usb: reader port leaves the booth without a reader, not on the simulator', async () => {
    const bad = await RealNameService.create({
      config: {
        port: 'usb:0400',
        simulate: 'auto',
        pollIntervalMs: 500,
        readAppendedAddress: false,
        testCard: null,
        wltDecoderModule: null,
      },
      publish: () => undefined,
      canSeal: async () => true,
      holdMs: 1000,
    });
    try {
      expect(bad.info()).toEqual({ state: 'absent', simulated: false, cardOnReader: false, testCard: null, resends: 0, retries: 0 });
    } finally {
      await bad.close();
    }
  });
});
