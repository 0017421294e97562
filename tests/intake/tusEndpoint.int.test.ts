import Fastify, { type FastifyInstance } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential, MemoryCredentialStore, verifyCredential } from '../../intake/boothCredentials.ts';
import { mountTusEndpoint, UPLOADS_PATH, type UploadRecord, type UploadRegistry } from '../../intake/tusEndpoint.ts';
import { Transport } from '../../uploader/httpStack.ts';
import { uploadItem } from '../../uploader/tusUpload.ts';
import { startChaosProxy, type ChaosProxy } from '../support/chaosProxy.ts';
import { FolderMediaStore } from '../../intake/media/mediaStore.ts';
import { FolderUploads } from '../../intake/media/uploadBackend.ts';

class MemoryRegistry implements UploadRegistry {
  uploads = new Map<string, UploadRecord>();
  async recordUpload(r: UploadRecord) {
    this.uploads.set(r.uploadId, { ...r });
  }
  async getUpload(id: string) {
    const r = this.uploads.get(id);
    return r ? { ...r } : undefined;
  }
  async markVerified(id: string, at: number) {
    const r = this.uploads.get(id);
    if (r) r.verifiedAt = at;
  }
  async forgetUpload(id: string) {
    this.uploads.delete(id);
  }
}

let dir: string;
let app: FastifyInstance;
let uploads: FolderUploads;
let proxy: ChaosProxy;
let intakePort: number;
let token: string;
let otherToken: string;
const registry = new MemoryRegistry();

async function startIntake(port = 0): Promise<number> {
  app = Fastify();
  const creds = new MemoryCredentialStore();
  token = await issueCredential(creds, 'BOOTHA', 1);
  otherToken = await issueCredential(creds, 'BOOTHB', 1);
  uploads = new FolderUploads(path.join(dir, 'tus'), new FolderMediaStore(path.join(dir, 'media')), 7 * 86_400_000);
  await mountTusEndpoint(app, {
    backend: uploads,
    maxItemBytes: 50 * 1024 * 1024,
    maxItems: 20,
    registry,
    authenticate: async (req, reply) => {
      const result = await verifyCredential(creds, req.headers.authorization);
      if (result.ok) return result.boothId;
      await reply.code(401).send({ error: 'unauthorized' });
      return null;
    },
  });
  await app.listen({ port, host: '127.0.0.1' });
  return (app.server.address() as { port: number }).port;
}

async function media(bytes: number) {
  const file = path.join(dir, `${randomUUID()}.bin`);
  const data = randomBytes(bytes);
  await fsp.writeFile(file, data);
  return { file, size: bytes, sha256: createHash('sha256').update(data).digest('hex'), data };
}

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'tus-'));
  intakePort = await startIntake();
  proxy = await startChaosProxy(intakePort);
});

afterAll(async () => {
  await proxy.close();
  await app.close();
  await fsp.rm(dir, { recursive: true, force: true });
});

const transport = () => new Transport({ idleTimeoutMs: 1_000 });

describe('tus endpoint + booth tus client', () => {
  it('resumes after 5 cuts mid-body without restarting from zero', async () => {
    const m = await media(2 * 1024 * 1024);
    const submissionId = randomUUID();
    // Cuts aimed at the PATCH bodies (a retry's HEAD and the creation POST pass), counted when they
    // happened: 5 cuts of 300 kB each leave the last PATCH more than 300 kB to send.
    const cutsBefore = proxy.stats.cuts;
    const cuts = () => proxy.stats.cuts - cutsBefore;
    proxy.setScript(() => (cuts() < 5 ? { kind: 'reset', afterBytes: 300_000, method: 'PATCH' } : { kind: 'pass' }));
    const before = proxy.stats.bytesFromClients;
    let url: string | null = null;
    let result;
    // job-level loop: each attempt gets short in-request retries
    for (let attempt = 0; attempt < 20; attempt++) {
      result = await uploadItem(
        { ...m, submissionId, index: 0, uploadUrl: url },
        {
          transport: transport(),
          endpoint: `${proxy.url}${UPLOADS_PATH}`,
          authorization: `Bearer ${token}`,
          retryDelays: [0, 10, 10],
          onUploadUrl: (u) => void (url = u),
        },
      );
      if (result.ok) break;
    }
    expect(result?.ok).toBe(true);
    expect(cuts()).toBe(5);
    const id = url!.split('/').pop()!;
    const stored = await fsp.readFile(uploads.path(id));
    expect(stored.equals(m.data)).toBe(true);
    expect((await registry.getUpload(id))?.verifiedAt).not.toBeNull();
    const sent = proxy.stats.bytesFromClients - before;
    // never from zero: each cut costs at most what was in flight (the bench measures the figure)
    expect(sent / m.size).toBeLessThan(1.5);
  });

  it('keeps every byte of a cut PATCH that reached it: the offset after a cut is what it received', async () => {
    // tus 1.0: "The Server SHOULD always attempt to store as much of the received data as possible."
    // The link breaks on the booth's side: everything the proxy forwarded reaches the intake, then
    // the connection ends (FIN). The next HEAD must say exactly that many more bytes, or the booth
    // sends them again (it did: the intake lost the ~100 kB still queued in its request stream).
    const m = await media(3 * 1024 * 1024);
    const submissionId = randomUUID();
    const head = async (url: string) => {
      const res = await fetch(`http://127.0.0.1:${intakePort}${new URL(url).pathname}`, {
        method: 'HEAD',
        headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' },
      });
      expect(res.status).toBe(200);
      return Number(res.headers.get('upload-offset'));
    };
    const attempt = (url: string | null, onUploadUrl: (u: string) => void) =>
      uploadItem(
        { ...m, submissionId, index: 0, uploadUrl: url },
        { transport: transport(), endpoint: `${proxy.url}${UPLOADS_PATH}`, authorization: `Bearer ${token}`, retryDelays: [], onUploadUrl },
      );
    let url: string | null = null;
    let offset = 0;
    // Request bytes (head included) let through to the intake by each cut PATCH: odd numbers, not
    // on any chunk boundary.
    for (const afterBytes of [700_001, 333_333, 1_000_003]) {
      const logged = proxy.stats.cutLog.length;
      proxy.setScript(() => ({ kind: 'reset', afterBytes, flushUpstream: true, method: 'PATCH' }));
      const r = await attempt(url, (u) => void (url = u));
      expect(r.ok).toBe(false);
      expect(proxy.stats.cutLog.length).toBe(logged + 1);
      const received = proxy.stats.cutLog[logged]!.bodyForwarded;
      expect(received).toBeGreaterThan(300_000);
      const now = await head(url!);
      expect(now - offset).toBe(received);
      offset = now;
    }
    proxy.setScript(() => ({ kind: 'pass' }));
    expect((await attempt(url, () => {})).ok).toBe(true);
    expect((await fsp.readFile(uploads.path(url!.split('/').pop()!))).equals(m.data)).toBe(true);
  });

  it('refuses no, wrong and other-booth credentials', async () => {
    proxy.setScript(() => ({ kind: 'pass' }));
    const m = await media(1000);
    const submissionId = randomUUID();
    const base = { transport: transport(), endpoint: `${proxy.url}${UPLOADS_PATH}`, retryDelays: [], onUploadUrl: () => {} };
    const none = await uploadItem({ ...m, submissionId, index: 0, uploadUrl: null }, { ...base, authorization: '' });
    expect(none).toMatchObject({ ok: false, outcome: { kind: 'http', status: 401 } });
    const wrong = await uploadItem(
      { ...m, submissionId, index: 0, uploadUrl: null },
      { ...base, authorization: `Bearer ${token.slice(0, -2)}xx` },
    );
    expect(wrong).toMatchObject({ ok: false, outcome: { kind: 'http', status: 401 } });
    // another booth cannot resume (or even see) this booth's upload
    let url: string | null = null;
    const first = proxy.stats.connections;
    proxy.setScript((n) => (n === first ? { kind: 'pass' } : { kind: 'reset', afterBytes: 600 }));
    await uploadItem(
      { ...m, submissionId, index: 0, uploadUrl: null },
      { ...base, authorization: `Bearer ${token}`, onUploadUrl: (u) => void (url = u) },
    );
    proxy.setScript(() => ({ kind: 'pass' }));
    expect(url).not.toBeNull();
    const res = await fetch(url!, { method: 'HEAD', headers: { authorization: `Bearer ${otherToken}`, 'tus-resumable': '1.0.0' } });
    expect(res.status).toBe(404);
    const mine = await fetch(url!, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
    expect(mine.status).toBe(200);
  });

  it('refuses bad metadata, a wrong sha256, and path-like upload ids', async () => {
    const m = await media(1000);
    const base = {
      transport: transport(),
      endpoint: `${proxy.url}${UPLOADS_PATH}`,
      retryDelays: [],
      onUploadUrl: () => {},
      authorization: `Bearer ${token}`,
    };
    const badIndex = await uploadItem({ ...m, submissionId: randomUUID(), index: 99, uploadUrl: null }, base);
    expect(badIndex).toMatchObject({ ok: false, outcome: { status: 400 } });
    const submissionId = randomUUID();
    const lying = await uploadItem({ ...m, sha256: 'f'.repeat(64), submissionId, index: 0, uploadUrl: null }, base);
    expect(lying).toMatchObject({ ok: false, outcome: { status: 460 } });
    const res = await fetch(`${proxy.url}${UPLOADS_PATH}/..%2F..%2Fetc%2Fpasswd`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' },
    });
    expect(res.status).toBe(404);
  });
});
