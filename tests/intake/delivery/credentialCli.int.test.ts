// `npm run intake:cli -- credential create|revoke|list` as a real process against a real store (SQLite
// and Postgres), with a real intake checking what the CLI issued and revoked.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const matrix = storeMatrix('credentialCli');
afterAll(() => matrix.stop());

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The intake's CLI as `npm run intake:cli` runs it (node --import tsx intake/cli.ts …). */
function cli(args: string[], env: Record<string, string>): Promise<Run> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INTAKE_')));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'intake/cli.ts', ...args],
      { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe.each(matrix.stores)('intake credential CLI on %s', (store: StoreKind) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'credcli-'));
  const dataDir = path.join(root, 'intake');
  let env: Record<string, string>;
  let intake: Intake;
  let url: string;

  beforeAll(async () => {
    const { databaseUrl } = await matrix.options(store, 'credential_cli');
    env = { INTAKE_DATA: dataDir, ...(databaseUrl ? { INTAKE_DATABASE_URL: databaseUrl } : {}) };
    intake = await createIntake({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await intake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  /** An authenticated booth request: a heartbeat of booth FT01 with this token. */
  const heartbeat = (token: string) =>
    fetch(`${url}/api/v1/heartbeats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        boothCode: 'FT01',
        sentAt: new Date().toISOString(),
        version: '0.1.0',
        queueDepth: 0,
        oldestUnsentSec: null,
        bytesWaiting: 0,
        disk: { freeBytes: 1, totalBytes: 2 },
        devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' },
        lastError: null,
        alerts: [],
      }),
    }).then((r) => r.status);

  it(
    'create → the token authenticates; list shows the booth without the secret; revoke → 401; re-issue replaces the old token',
    { timeout: 180_000 },
    async () => {
      const created = await cli(['credential', 'create', 'FT01'], env);
      expect(created.code).toBe(0);
      const token = created.stdout.trim();
      expect(token).toMatch(/^sb1\.FT01\.[A-Za-z0-9_-]{43}$/);
      expect(created.stderr).toContain('shown once');
      expect(await heartbeat(token)).toBe(200);
      expect(await heartbeat(`${token.slice(0, -4)}AAAA`)).toBe(401);

      const listed = await cli(['credential', 'list'], env);
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(/^FT01\s+issued \d{4}-\d\d-\d\dT/m);
      expect(listed.stdout).not.toContain('REVOKED');
      const secret = token.split('.')[2]!;
      const stored = (await intake.delivery.get('FT01'))!;
      for (const text of [listed.stdout, listed.stderr]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(stored.secretHash);
      }

      const revoked = await cli(['credential', 'revoke', 'FT01'], env);
      expect(revoked.code).toBe(0);
      // The fleet page's word for it (tests/intake/fleet/revocation.int.test.ts: both sides agree).
      expect(revoked.stdout).toMatch(/^FT01 revoked: .*已停用/);
      expect(await heartbeat(token)).toBe(401);
      expect((await cli(['credential', 'list'], env)).stdout).toMatch(/^FT01\s+issued \S+\s+REVOKED \d{4}-/m);
      const again = await cli(['credential', 'revoke', 'FT01'], env);
      expect(again.code).toBe(1);
      expect(again.stdout).toMatch(/^FT01 has no active credential/);

      const reissued = await cli(['credential', 'create', 'FT01'], env);
      const newToken = reissued.stdout.trim();
      expect(newToken).not.toBe(token);
      expect(await heartbeat(newToken)).toBe(200);
      expect(await heartbeat(token)).toBe(401);
    },
  );

  it('refuses a malformed booth code and a store URL that is not Postgres, with a message', { timeout: 120_000 }, async () => {
    const bad = await cli(['credential', 'create', 'ft-1'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a booth code is 2–8 capital letters or digits');
    expect(bad.stdout).toBe('');
    const wrongStore = await cli(['credential', 'list'], { ...env, INTAKE_DATABASE_URL: 'mysql://x@127.0.0.1/db' });
    expect(wrongStore.code).toBe(2);
    expect(wrongStore.stderr).toContain('INTAKE_DATABASE_URL must be a postgres://');
  });
});
