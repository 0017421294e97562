// The core side of the resident flow: items staged with a duration and a poster, receipts printed
// to a device file, spoken prompts served with the village's own recordings first, and the booth
// refusing new recordings when the disk is nearly full.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, startStack, type Stack } from '../support/stack.ts';

type Env<T> = { ok: true; value: T } | { ok: false; error: { code: string } };
const jsonPost = (stack: Stack, p: string, body: unknown = {}) =>
  coreFetch(stack, p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function session(stack: Stack): Promise<string> {
  const r = (await (await jsonPost(stack, '/api/sessions')).json()) as Env<{ sessionId: string }>;
  if (!r.ok) throw new Error('no session');
  return r.value.sessionId;
}

function put(stack: Stack, id: string, kind: string, mime: string, file: string) {
  return coreFetch(stack, `/api/sessions/${id}/items?kind=${kind}&mime=${encodeURIComponent(mime)}`, {
    method: 'PUT',
    headers: { 'content-type': mime.split(';')[0]! },
    body: new Uint8Array(readFileSync(file)),
  });
}

describe('resident flow in the core', () => {
  let stack: Stack;
  let printerFile: string;
  beforeAll(async () => {
    stack = await startStack({ printer: { kind: 'file', path: '/dev/null' } });
    printerFile = path.join(stack.root, 'lp0');
    // The printer path is set after start so it lands in this test's temporary directory.
    (stack.core.config as { printer: unknown }).printer = { kind: 'file', path: printerFile, widthDots: 384 };
  });
  afterAll(async () => stack?.close());

  it('stages a webm with a duration (remuxed), a sha256 and a poster frame; a photo has neither', async () => {
    const id = await session(stack);
    const taken = (await (await put(stack, id, 'video', 'video/webm;codecs=vp8,opus', sampleWebm(2))).json()) as Env<{ itemId: string }>;
    if (!taken.ok) throw new Error('video not taken');
    // 停止 answers before the checks; the checked item carries what they found.
    const v = (await (await coreFetch(stack, `/api/sessions/${id}/items/${taken.value.itemId}`)).json()) as Env<{
      durationSec: number;
      posterDataUrl: string;
    }>;
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.value.durationSec).toBeGreaterThan(1.5);
    expect(v.value.posterDataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    const p = (await (await put(stack, id, 'photo', 'image/jpeg', sampleJpeg())).json()) as Env<{
      durationSec: number | null;
      posterDataUrl: string | null;
    }>;
    expect(p).toMatchObject({ ok: true, value: { durationSec: null, posterDataUrl: null } });
    await jsonPost(stack, `/api/sessions/${id}/discard`);
  });

  it('discarding right after 停止 waits for the checks still running, then leaves nothing of the session on disk', async () => {
    // The bench's memory run once got a 500 on discard: removing the directory raced ffmpeg writing
    // the remuxed copy into it (ENOTEMPTY), and the checks went on for a session already gone.
    const store = stack.core.sessions;
    const s = store.start('zh-CN', Date.now());
    const item = await store.addItem(s.id, 'video', 'video/webm', 'face', readFileSync(sampleWebm(2)));
    let settled = false;
    void item.checked.then(() => (settled = true));
    expect(await store.close(s.id, true)).toBe(true);
    expect(settled).toBe(true);
    expect(existsSync(path.join(stack.core.dataDir, 'sessions', s.id))).toBe(false);
  });

  it('prints the receipt of a saved submission in GB18030 to the configured device', async () => {
    const id = await session(stack);
    expect((await put(stack, id, 'photo', 'image/jpeg', sampleJpeg())).ok).toBe(true);
    const r = (await (await jsonPost(stack, `/api/sessions/${id}/submit`)).json()) as Env<{ submissionId: string; caseNumber: string }>;
    if (!r.ok) throw new Error('submit failed');
    const printed = (await (
      await jsonPost(stack, `/api/submissions/${r.value.submissionId}/print`, { language: 'zh-CN' })
    ).json()) as Env<unknown>;
    expect(printed).toEqual({ ok: true, value: { printed: true } });
    const text = iconv.decode(readFileSync(printerFile), 'gb18030');
    expect(text).toContain(r.value.caseNumber);
    expect(text).toContain('1张照片');
    expect(text).toContain('工作人员会在7个工作日内处理并联系您');
  });

  it('says printer_unavailable when the printer cannot take the receipt', async () => {
    const id = await session(stack);
    await put(stack, id, 'photo', 'image/jpeg', sampleJpeg());
    const r = (await (await jsonPost(stack, `/api/sessions/${id}/submit`)).json()) as Env<{ submissionId: string }>;
    if (!r.ok) throw new Error('submit failed');
    (stack.core.config as { printer: unknown }).printer = {
      kind: 'file',
      path: path.join(stack.root, 'no-such-dir', 'lp0'),
      widthDots: 384,
    };
    const res = await jsonPost(stack, `/api/submissions/${r.value.submissionId}/print`, {});
    expect(res.status).toBe(503);
    expect(((await res.json()) as Env<unknown>).ok).toBe(false);
    (stack.core.config as { printer: unknown }).printer = { kind: 'file', path: printerFile, widthDots: 384 };
  });

  it('serves generated prompts, the village recording first, and nothing outside the prompt names', async () => {
    const own = path.join(stack.core.dataDir, 'prompts', 'zh-CN');
    mkdirSync(own, { recursive: true });
    writeFileSync(path.join(own, 'welcome.ogg'), 'village recording');
    const get = (p: string) => fetch(stack.core.url + p);
    const w = await get('/prompts/zh-CN/welcome.ogg');
    expect(w.status).toBe(200);
    expect(w.headers.get('content-type')).toBe('audio/ogg');
    expect(await w.text()).toBe('village recording');
    expect((await get('/prompts/xx/welcome.ogg')).status).toBe(404);
    expect((await get('/prompts/zh-CN/..%2Fwelcome.ogg')).status).toBe(404);
    expect((await get('/prompts/zh-CN/nope.ogg')).status).toBe(404);
  });
});

describe('disk nearly full', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ minFreeBytes: Number.MAX_SAFE_INTEGER });
  });
  afterAll(async () => stack?.close());

  it('tells the kiosk, refuses new items with disk_full, and shows it in the status', async () => {
    const c = (await (await coreFetch(stack, '/api/config')).json()) as Env<{ storageLow: boolean }>;
    expect(c).toMatchObject({ ok: true, value: { storageLow: true } });
    const id = await session(stack);
    const res = await put(stack, id, 'photo', 'image/jpeg', sampleJpeg());
    expect(res.status).toBe(507);
    expect((await res.json()) as Env<unknown>).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(stack.core.status().disk.low).toBe(true);
  });
});
