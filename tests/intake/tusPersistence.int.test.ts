// Partial uploads survive an intake restart (HEAD reports the offset, the rest follows) and expire
// after the configured time (then the booth starts that item again).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake } from '../../intake/server.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { startChaosProxy } from '../support/chaosProxy.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'tuspersist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function item(size: number) {
  const bytes = randomBytes(size);
  const file = path.join(root, `${randomUUID()}.bin`);
  writeFileSync(file, bytes);
  return { file, size, sha256: createHash('sha256').update(bytes).digest('hex'), submissionId: randomUUID(), index: 0 };
}

async function head(url: string, token: string): Promise<{ status: number; offset: number | null }> {
  const res = await fetch(url, { method: 'HEAD', headers: { authorization: `Bearer ${token}`, 'tus-resumable': '1.0.0' } });
  const offset = res.headers.get('upload-offset');
  return { status: res.status, offset: offset === null ? null : Number(offset) };
}

describe('tus persistence', () => {
  it('a partial upload survives an intake restart and resumes from its offset', async () => {
    const dataDir = path.join(root, 'intake-a');
    let intake = await createIntake({ dataDir });
    await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (intake.app.server.address() as { port: number }).port;
    const token = await issueCredential(intake.delivery, 'TP01', Date.now());
    const proxy = await startChaosProxy(port, (n) =>
      n === 1 ? { kind: 'reset', afterBytes: 400_000, flushUpstream: true } : { kind: 'pass' },
    );
    const it1 = item(1_000_000);
    let url: string | null = null;
    const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 5_000, inRequestDelaysMs: [] });
    const first = await client.uploadItem({ ...it1, uploadUrl: null }, (u) => void (url = u));
    expect(first.ok).toBe(false);
    expect(url).not.toBeNull();

    await intake.close();
    intake = await createIntake({ dataDir });
    await intake.app.listen({ host: '127.0.0.1', port });
    const before = await head(url!, token);
    expect(before.status).toBe(200);
    expect(before.offset).toBeGreaterThan(100_000);
    expect(before.offset).toBeLessThan(1_000_000);

    const sentBefore = client.transport.bytesSent;
    const second = await client.uploadItem({ ...it1, uploadUrl: url }, () => {});
    expect(second.ok).toBe(true);
    // Only the rest was sent (plus headers), not the whole item again.
    expect(client.transport.bytesSent - sentBefore).toBeLessThan(1_000_000 - before.offset! + 10_000);
    client.close();
    await proxy.close();
    await intake.close();
  });

  it('an abandoned upload expires; the booth then starts that item again', async () => {
    // 0.00002 days ≈ 1.7 s.
    const intake = await createIntake({ dataDir: path.join(root, 'intake-b'), uploadExpiryDays: 0.00002 });
    const base = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const port = Number(new URL(base).port);
    const token = await issueCredential(intake.delivery, 'TP02', Date.now());
    const proxy = await startChaosProxy(port, (n) =>
      n === 1 ? { kind: 'reset', afterBytes: 50_000, flushUpstream: true } : { kind: 'pass' },
    );
    const it2 = item(200_000);
    let url: string | null = null;
    const client = new IntakeLink({ intakeUrl: proxy.url, token, idleTimeoutMs: 5_000, inRequestDelaysMs: [] });
    expect((await client.uploadItem({ ...it2, uploadUrl: null }, (u) => void (url = u))).ok).toBe(false);
    const stale = url!;
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await head(stale, token)).status).toBe(410);
    let fresh: string | null = null;
    expect((await client.uploadItem({ ...it2, uploadUrl: stale }, (u) => void (fresh = u))).ok).toBe(true);
    expect(fresh).not.toBe(stale);
    client.close();
    await proxy.close();
    await intake.close();
  });
});
