// docs/DEPLOY.md's nginx configuration as the district's balancer (issue 16: "nginx or HAProxy"; the
// scale test runs HAProxy): Debian's nginx with the document's server block (testkit/loadBalancer.ts:
// only the listen line, the ssl_* lines and the upstream ports differ) in front of two
// `npm run intake` processes on one PostgreSQL, balanced round robin, not sticky. A booth's tus
// upload is created on one process and its body (3 MB, streamed: proxy_request_buffering off) sent
// to the other, which takes the upload lock across processes (Postgres advisory locks); the
// submission is filed once with byte-identical media. X-Forwarded-For is trusted from nginx: a
// refused login from 127.0.0.2 counts against 127.0.0.2, not against nginx's 127.0.0.1.
// The two processes share one data folder for their partial uploads (a shortcut of this test: the
// district setup puts them on the object store, which tests/intake/scale.pg.int.test.ts runs).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { openPostgresStore } from '../../intake/store/db.ts';
import { DeliveryStore } from '../../intake/store/delivery.ts';
import type { IntakeDatabase } from '../../intake/store/schema.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { startIntakeProcess, type IntakeProcess } from '../../testkit/intakeProcess.ts';
import { startNginx, type LoadBalancer } from '../../testkit/loadBalancer.ts';
import { onePhotoManifest } from '../../testkit/manifest.ts';
import { freePort, postgresAvailable, startPostgres, type Postgres } from '../../testkit/postgres.ts';
import { seedUser } from '../../testkit/staff.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-nginx-'));
let pgServer: Postgres | undefined;
let lb: LoadBalancer | undefined;
let db: Kysely<IntakeDatabase> | undefined;
const procs: IntakeProcess[] = [];

afterAll(async () => {
  await lb?.stop();
  await Promise.all(procs.map((p) => p.stop()));
  await db?.destroy();
  await pgServer?.stop();
  rmSync(root, { recursive: true, force: true });
});

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** POST JSON from a given local address (loopback has all of 127/8): the client nginx sees. */
function postFrom(localAddress: string, url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** One counter of a process's /metrics (0 when absent). */
async function counter(p: IntakeProcess, line: string): Promise<number> {
  const text = await (await fetch(`${p.url}/metrics`)).text();
  const m = new RegExp(`^${line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

describe('two intake processes behind nginx (DEPLOY.md) on one PostgreSQL', () => {
  it(
    'a tus upload created on one process is finished on the other; the real client address is trusted from nginx',
    { timeout: 300_000 },
    async () => {
      if (!postgresAvailable()) throw new Error('PostgreSQL 15 is required (scripts/setup.sh installs it)');
      pgServer = await startPostgres();
      const url = await pgServer.createDatabase('nginx');
      db = await openPostgresStore(url);
      const [portA, portB, lbPort] = await Promise.all([freePort(), freePort(), freePort()]);
      const env = {
        INTAKE_HOST: '127.0.0.1',
        INTAKE_DATABASE_URL: url,
        INTAKE_DATA: path.join(root, 'data'),
        INTAKE_TRUSTED_PROXIES: '127.0.0.1',
        INTAKE_PUBLIC_URL: `http://127.0.0.1:${lbPort}`,
      };
      procs.push(await startIntakeProcess({ ...env, INTAKE_PORT: String(portA) }, 120_000));
      procs.push(await startIntakeProcess({ ...env, INTAKE_PORT: String(portB) }, 120_000));
      lb = await startNginx([portA!, portB!], lbPort);

      // A booth through nginx: one item of 3 MB (POST on one process, PATCH on the other).
      const token = await issueCredential(new DeliveryStore(db), 'NG01', Date.now());
      const client = new IntakeLink({ intakeUrl: lb.url, token, idleTimeoutMs: 30_000 });
      const bytes = randomBytes(3 * 1024 * 1024 + 17);
      const file = path.join(root, 'item.bin');
      writeFileSync(file, bytes);
      const id = randomUUID();
      const up = await client.uploadItem(
        { file, size: bytes.length, sha256: sha(bytes), submissionId: id, index: 0, uploadUrl: null },
        () => {},
      );
      expect(up).toMatchObject({ ok: true });
      const count = (line: string) => Promise.all(procs.map((p) => counter(p, line)));
      const created = await count('intake_http_requests_total{method="POST",route="/api/v1/uploads",status="201"}');
      const patched = await count('intake_http_requests_total{method="PATCH",route="/api/v1/uploads/*",status="204"}');
      // Round robin, not sticky: the upload was made on one process and its bytes went to the other.
      expect([...created].sort()).toEqual([0, 1]);
      expect([...patched].sort()).toEqual([0, 1]);
      expect(created.indexOf(1)).not.toBe(patched.indexOf(1));
      const manifest = onePhotoManifest('NG01', id, bytes);
      const filed = await client.finalise(manifest);
      expect(filed).toMatchObject({ ok: true });
      // Asked again through nginx (now on the other process): the same answer, one case.
      expect(await client.finalise(manifest)).toEqual(filed);
      client.close();
      const items = await db.selectFrom('case_items').select(['size', 'sha256']).where('case_id', '=', id).execute();
      expect(items).toEqual([{ size: bytes.length, sha256: sha(bytes) }]);

      // X-Forwarded-For from nginx is trusted: the refused login is counted for the real client.
      await seedUser(db, 'clerk', 'viewer');
      expect(await postFrom('127.0.0.2', `${lb.url}/staff/api/login`, { username: 'clerk', password: 'not the password' })).toBe(401);
      const throttled = await db.selectFrom('login_throttle').select(['username', 'client', 'failures']).execute();
      expect(throttled).toEqual([{ username: 'clerk', client: '127.0.0.2', failures: 1 }]);
    },
  );
});
