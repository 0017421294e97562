// TLS between booth and intake with a self-hosted CA (openssl makes a CA and a server certificate
// for 127.0.0.1); and the booth's refusal to send over plain http to another machine.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { checkIntakeTransport, loadConfig } from '../../main/config.ts';
import { BoothClient } from '../../uploader/boothClient.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'tls-'));
let intake: Intake;
let url: string;
let token: string;
let ca: Buffer;

function openssl(args: string[]): void {
  execFileSync('openssl', args, { cwd: root, stdio: 'ignore' });
}

beforeAll(async () => {
  openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=Village test CA']);
  openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(path.join(root, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf']);
  ca = readFileSync(path.join(root, 'ca.pem'));
  intake = await createIntake({ dataDir: path.join(root, 'intake'), https: { key: readFileSync(path.join(root, 'server.key')), cert: readFileSync(path.join(root, 'server.pem')) } });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  token = await issueCredential(intake.delivery, 'TL01', Date.now());
});

afterAll(async () => {
  await intake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('TLS', () => {
  it('delivers over https when the booth trusts the village CA, and refuses otherwise', async () => {
    expect(url.startsWith('https://')).toBe(true);
    const bytes = randomBytes(50_000);
    const file = path.join(root, 'item.jpg');
    writeFileSync(file, bytes);
    const item = { file, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), submissionId: randomUUID(), index: 0, uploadUrl: null };

    const untrusting = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000, inRequestDelaysMs: [] });
    const refused = await untrusting.uploadItem(item, () => {});
    expect(refused).toMatchObject({ ok: false, outcome: { kind: 'network' } });
    untrusting.close();

    const trusting = new BoothClient({ intakeUrl: url, token, idleTimeoutMs: 5_000, ca, inRequestDelaysMs: [] });
    const sent = await trusting.uploadItem(item, () => {});
    expect(sent.ok).toBe(true);
    trusting.close();
  });

  it('the booth refuses plain http to another machine', () => {
    expect(checkIntakeTransport('http://127.0.0.1:4300')).toBeNull();
    expect(checkIntakeTransport('http://localhost:4300')).toBeNull();
    expect(checkIntakeTransport('https://intake.village.example')).toBeNull();
    expect(checkIntakeTransport('http://192.168.1.20:4300')).toMatch(/must be https/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tlscfg-'));
    try {
      writeFileSync(path.join(dir, 'booth.json'), JSON.stringify({ intakeUrl: 'http://intake.village.example' }));
      expect(() => loadConfig(dir)).toThrow(/must be https/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
