// The core API's gatekeeping: token, Origin/Host, validation; bad media refused with nothing stored.
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fewFramesWebm, sampleJpeg, samplePng, sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, startStack, type Stack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => stack?.close());

const nothingStored = () => {
  expect(stack.core.outbox.list()).toEqual([]);
  expect(readdirSync(stack.core.mediaDir)).toEqual([]);
};

async function startSession(): Promise<string> {
  const res = await coreFetch(stack, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const body = (await res.json()) as { ok: boolean; value: { sessionId: string } };
  expect(body.ok).toBe(true);
  return body.value.sessionId;
}

describe('core API guard', () => {
  it.each([
    ['no token', { headers: {} as Record<string, string> }, 401, 'unauthorized'],
    ['wrong token', { headers: { 'x-booth-token': 'nope' } }, 401, 'unauthorized'],
    ['foreign Origin', { headers: { origin: 'http://evil.example' } }, 403, 'forbidden'],
    ['foreign Host (DNS rebinding)', { headers: { host: 'evil.example' } }, 403, 'forbidden'],
  ])('%s → %i', async (_name, init, status, code) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
    if (!('x-booth-token' in init.headers) && _name !== 'no token') headers['x-booth-token'] = stack.core.token;
    // fetch() does not let us forge Host, so that case goes through node:http.
    let res: { status: number; body: unknown };
    if ('host' in init.headers) {
      const http = await import('node:http');
      res = await new Promise((resolve, reject) => {
        const req = http.request(stack.core.url + '/api/sessions', { method: 'POST', headers }, (r) => {
          let data = '';
          r.on('data', (d) => (data += d));
          r.on('end', () => resolve({ status: r.statusCode!, body: JSON.parse(data) }));
        });
        req.on('error', reject);
        req.end('{}');
      });
    } else {
      const r = await fetch(stack.core.url + '/api/sessions', { method: 'POST', headers, body: '{}' });
      res = { status: r.status, body: await r.json() };
    }
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ ok: false, error: { code } });
    nothingStored();
  });

  it('malformed body → 400 with a reason', async () => {
    const res = await coreFetch(stack, '/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"language": 42}',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('bad_request');
    expect(body.error.message).toMatch(/language/);
    const res2 = await coreFetch(stack, '/api/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res2.status).toBe(400);
    expect(((await res2.json()) as { error: { code: string } }).error.code).toBe('bad_request');
    nothingStored();
  });

  it('the static UI is served without a token, the API is not', async () => {
    expect((await fetch(stack.core.url + '/')).status).toBe(200);
    expect((await fetch(stack.core.url + '/api/status')).status).toBe(401);
  });
});

describe('bad recordings', () => {
  it('a zero-byte recording is refused with media_empty and nothing is stored', async () => {
    const id = await startSession();
    const res = await coreFetch(stack, `/api/sessions/${id}/items?kind=video&mime=video/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: new Uint8Array(0),
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('media_empty');
    const submit = await coreFetch(stack, `/api/sessions/${id}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await submit.json()) as { error: { code: string } }).error.code).toBe('no_items');
    nothingStored();
  });

  it('bytes ffprobe cannot read are taken at 停止, refused by the check behind review (and by submit); the resident can record again', async () => {
    const id = await startSession();
    const garbage = Buffer.alloc(50_000, 7);
    // 停止 answers once the bytes are on disk; the checks (remux, probe, hash) run behind review.
    const res = await coreFetch(stack, `/api/sessions/${id}/items?kind=video&mime=video/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: garbage,
    });
    expect(res.status).toBe(200);
    const itemId = ((await res.json()) as { value: { itemId: string } }).value.itemId;
    const checked = await coreFetch(stack, `/api/sessions/${id}/items/${itemId}`);
    expect(checked.status).toBe(422);
    expect(((await checked.json()) as { error: { code: string } }).error.code).toBe('media_unreadable');
    // Admission decides before submit: a refused recording is never committed.
    const submit = await coreFetch(stack, `/api/sessions/${id}/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(((await submit.json()) as { error: { code: string } }).error.code).toBe('media_unreadable');
    expect(readdirSync(path.join(stack.root, 'booth', 'sessions', id))).toEqual([]);
    // The kiosk drops it and the resident records again in the same session: accepted and checked.
    expect((await coreFetch(stack, `/api/sessions/${id}/items/${itemId}`, { method: 'DELETE' })).status).toBe(200);
    const good = await readFile(sampleWebm());
    const res2 = await coreFetch(stack, `/api/sessions/${id}/items?kind=video&mime=video/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body: good,
    });
    expect(res2.status).toBe(200);
    const goodId = ((await res2.json()) as { value: { itemId: string } }).value.itemId;
    const ok = (await (await coreFetch(stack, `/api/sessions/${id}/items/${goodId}`)).json()) as { value: { durationSec: number } };
    expect(ok.value.durationSec).toBeGreaterThan(1.5);
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    nothingStored();
  });

  it('a recording that arrives in pieces without a declared length is written as it comes and checked whole', async () => {
    const id = await startSession();
    const good = await readFile(sampleWebm());
    const pieces = [good.subarray(0, 1000), good.subarray(1000, 30_000), good.subarray(30_000)];
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const p = pieces.shift();
        if (p) c.enqueue(new Uint8Array(p));
        else c.close();
      },
    });
    const res = await coreFetch(stack, `/api/sessions/${id}/items?kind=video&mime=video/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'video/webm' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    const itemId = ((await res.json()) as { value: { itemId: string } }).value.itemId;
    const ok = (await (await coreFetch(stack, `/api/sessions/${id}/items/${itemId}`)).json()) as { value: { durationSec: number } };
    expect(ok.value.durationSec).toBeGreaterThan(1.5);
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    nothingStored();
  });

  it('a recording over the size limit is refused, declared or not, and leaves no file', async () => {
    const { SessionStore } = await import('../../main/sessions.ts');
    const { Readable } = await import('node:stream');
    const root = path.join(stack.root, 'bounded');
    const store = new SessionStore(
      root,
      () => ({ itemBytes: 10_000, itemsPerSubmission: 5, photos: 3 }),
      () => Buffer.alloc(32, 7),
    );
    const s = store.start('zh-CN', Date.now());
    const over = Buffer.alloc(25_000, 1);
    await expect(
      store.addItem(s.id, 'video', 'video/webm', 'face', { stream: Readable.from([over]), length: over.length }),
    ).rejects.toMatchObject({ code: 'media_too_large' });
    const chunks = [over.subarray(0, 8_000), over.subarray(8_000)];
    await expect(store.addItem(s.id, 'video', 'video/webm', 'face', { stream: Readable.from(chunks), length: null })).rejects.toMatchObject(
      { code: 'media_too_large' },
    );
    await expect(store.addItem(s.id, 'video', 'video/webm', 'face', { stream: Readable.from([]), length: null })).rejects.toMatchObject({
      code: 'media_empty',
    });
    expect(readdirSync(path.join(root, s.id))).toEqual([]);
    expect(s.items).toEqual([]);
  });

  it('an audio item without an audio stream is refused', async () => {
    const id = await startSession();
    const noAudio = path.join(stack.root, 'silent.webm');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x120:rate=10',
      '-t',
      '1',
      '-c:v',
      'libvpx',
      noAudio,
    ]);
    const res = await coreFetch(stack, `/api/sessions/${id}/items?kind=audio&mime=audio/webm`, {
      method: 'PUT',
      headers: { 'content-type': 'audio/webm' },
      body: await readFile(noAudio),
    });
    const itemId = ((await res.json()) as { value: { itemId: string } }).value.itemId;
    const checked = await coreFetch(stack, `/api/sessions/${id}/items/${itemId}`);
    expect(((await checked.json()) as { error: { code: string } }).error.code).toBe('media_unreadable');
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    nothingStored();
  });
});

describe('media admission (issue 14: few frames, content not declared type)', () => {
  const put = (id: string, kind: string, mime: string, body: Uint8Array<ArrayBuffer>) =>
    coreFetch(stack, `/api/sessions/${id}/items?kind=${kind}&mime=${encodeURIComponent(mime)}`, {
      method: 'PUT',
      headers: { 'content-type': mime },
      body,
    });

  it('a video with two frames under three seconds of sound is kept, with its first frame as poster', async () => {
    const id = await startSession();
    const res = await put(id, 'video', 'video/webm;codecs=vp8,opus', await readFile(fewFramesWebm()));
    expect(res.status).toBe(200);
    // 停止 answers at once; the checks behind review say what was admitted.
    const { itemId } = ((await res.json()) as { value: { itemId: string } }).value;
    const checked = await coreFetch(stack, `/api/sessions/${id}/items/${itemId}`);
    const body = (await checked.json()) as { ok: boolean; value: { durationSec: number; posterDataUrl: string | null } };
    expect(checked.status).toBe(200);
    expect(body.value.durationSec).toBeGreaterThan(2.5);
    expect(body.value.posterDataUrl).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    nothingStored();
  });

  it('an HTML page sent as image/jpeg is refused with a clear reason; a PNG sent as image/jpeg is kept as PNG', async () => {
    const id = await startSession();
    const html = new Uint8Array(Buffer.from('<!doctype html><html><body>' + 'not a photo '.repeat(500) + '</body></html>'));
    const res = await put(id, 'photo', 'image/jpeg', html);
    expect(res.status).toBe(422);
    const err = ((await res.json()) as { error: { code: string; message: string } }).error;
    expect(err.code).toBe('media_unreadable');
    expect(err.message).toMatch(/not an image/);
    expect(
      readdirSync(path.join(stack.root, 'booth', 'sessions')).flatMap((d) => readdirSync(path.join(stack.root, 'booth', 'sessions', d))),
    ).toEqual([]);
    // A JPEG header over garbage is not a photo either: the content must decode.
    const fake = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4000, 0x41)]);
    expect((await put(id, 'photo', 'image/jpeg', fake)).status).toBe(422);
    const png = await put(id, 'photo', 'image/jpeg', await readFile(samplePng()));
    expect(png.status).toBe(200);
    expect(((await png.json()) as { value: { mime: string } }).value.mime).toBe('image/png');
    expect((await put(id, 'photo', 'image/jpeg', await readFile(sampleJpeg()))).status).toBe(200);
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    nothingStored();
  });
});
