// One revocation, seen everywhere (issue 20 item 7), and the fleet's clock and disk flags: a booth
// enrolled through the fleet page, heartbeating with a wrong clock and too little room to record, then
// revoked with `intake credential revoke` (the CLI): the booth API refuses it, the fleet page lists it as
// revoked with no flags, and the fleet page lets the admin add it again — on SQLite and Postgres.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialCommand } from '../../../intake/delivery/credentialCli.ts';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { storeMatrix, type StoreKind } from '../../support/postgres.ts';
import { seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';

const matrix = storeMatrix('revocation');
afterAll(() => matrix.stop());

interface Row {
  code: string;
  village: string | null;
  revokedAt: number | null;
  enrolledAt: number | null;
  flags: { kind: string; skewMs?: number; needBytes?: number }[];
}

describe.each(matrix.stores)('on %s', (store: StoreKind) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'revocation-'));
  const dataDir = path.join(root, 'intake');
  let intake: Intake;
  let url: string;
  let admin: StaffClient;
  let databaseUrl: string | undefined;

  beforeAll(async () => {
    databaseUrl = (await matrix.options(store, 'revocation')).databaseUrl;
    intake = await createIntake({ dataDir, ...(databaseUrl ? { databaseUrl } : {}) });
    url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    await seedUser(intake.db, 'admin', 'admin');
    admin = await staffLogin(url, 'admin');
  });
  afterAll(async () => {
    await intake.close();
    rmSync(root, { recursive: true, force: true });
  });

  const fleetRow = async (code: string) =>
    (await admin.json<{ booths: Row[] }>('GET', '/staff/api/fleet')).booths.find((b) => b.code === code)!;
  const heartbeat = (credential: string, body: Record<string, unknown>) =>
    fetch(`${url}/api/v1/heartbeats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${credential}` },
      body: JSON.stringify(body),
    });
  async function enrol(code: string): Promise<string> {
    const added = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
      code,
      village: '东村',
      location: '村委会',
    });
    const r = await fetch(`${url}/api/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: added.enrolmentCode }),
    });
    expect(r.status).toBe(200);
    return ((await r.json()) as { credential: string }).credential;
  }

  it("flags a wrong clock and too little room to record; the CLI revoke is the fleet's 已停用; re-adding agrees", async () => {
    const credential = await enrol('RV01');
    const hb = {
      boothCode: 'RV01',
      sentAt: new Date(Date.now() + 10 * 60_000).toISOString(),
      version: '0.1.0',
      queueDepth: 0,
      oldestUnsentSec: null,
      bytesWaiting: 0,
      // 40 GB free on a big disk, yet below what this booth says it needs to take the next recording.
      disk: { freeBytes: 40e9, totalBytes: 500e9, needBytes: 41e9 },
      devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' },
      lastError: null,
      alerts: [],
    };
    expect((await heartbeat(credential, hb)).status).toBe(200);
    let row = await fleetRow('RV01');
    expect(row.flags.map((f) => f.kind).sort()).toEqual(['clock-skew', 'disk-low']);
    expect(row.flags.find((f) => f.kind === 'clock-skew')!.skewMs).toBeGreaterThan(9 * 60_000);
    expect(row.flags.find((f) => f.kind === 'disk-low')!.needBytes).toBe(41e9);

    // A small disk nearly empty, with a good clock: nothing to do.
    expect(
      (
        await heartbeat(credential, {
          ...hb,
          sentAt: new Date().toISOString(),
          disk: { freeBytes: 0.8e9, totalBytes: 0.8e9, needBytes: 0.7e9 },
        })
      ).status,
    ).toBe(200);
    expect((await fleetRow('RV01')).flags).toEqual([]);

    // In service: adding it again is refused with a machine-readable code (the page says it in its language).
    const again = await admin.fetch('POST', '/staff/api/fleet/booths', { code: 'RV01', village: '东村', location: '村委会' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string; reason: string } }).error).toMatchObject({
      code: 'conflict',
      reason: 'booth_in_service',
    });
    // …which the staff app shows through its catalogue, in Chinese and in English.
    const { translate } = await import('../../../intake/web/i18n.ts');
    expect(translate('zh', 'err_booth_in_service')).toMatch(/停用/);
    expect(translate('en', 'err_booth_in_service')).toMatch(/revoke it first/);

    // Revoked from the command line, on the same store.
    const out: string[] = [];
    const env = { ...(databaseUrl ? { INTAKE_DATABASE_URL: databaseUrl } : {}), INTAKE_DATA: dataDir };
    expect(await credentialCommand(['revoke', 'RV01'], { out: (l) => out.push(l), err: (l) => out.push(l) }, env)).toBe(0);
    expect(out.join('\n')).toContain('已停用');
    expect((await heartbeat(credential, { ...hb, sentAt: new Date().toISOString() })).status).toBe(401);
    row = await fleetRow('RV01');
    expect(row.revokedAt).not.toBeNull();
    expect(row.flags).toEqual([]);
    // A second revoke says there is nothing to revoke, on either side.
    expect(await credentialCommand(['revoke', 'RV01'], { out: () => {}, err: () => {} }, env)).toBe(1);
    const pageRevoke = await admin.fetch('POST', '/staff/api/fleet/booths/RV01/revoke', {});
    expect(pageRevoke.status).toBe(200); // the page's 停用 of an already revoked booth is harmless

    // Re-adding now works, and the booth enrols again with the new code.
    const credential2 = await enrol('RV01');
    expect(
      (
        await heartbeat(credential2, {
          ...hb,
          sentAt: new Date().toISOString(),
          disk: { freeBytes: 0.8e9, totalBytes: 0.8e9, needBytes: 0.7e9 },
        })
      ).status,
    ).toBe(200);
    row = await fleetRow('RV01');
    expect(row.revokedAt).toBeNull();
    expect(row.flags).toEqual([]);

    // The fleet page's 停用 is seen by the CLI's list and the booth API alike.
    expect((await admin.fetch('POST', '/staff/api/fleet/booths/RV01/revoke', {})).status).toBe(200);
    const list: string[] = [];
    expect(await credentialCommand(['list'], { out: (l) => list.push(l), err: () => {} }, env)).toBe(0);
    expect(list.find((l) => l.startsWith('RV01'))).toMatch(/REVOKED/);
    expect((await heartbeat(credential2, { ...hb, sentAt: new Date().toISOString() })).status).toBe(401);

    // A credential issued again from the CLI puts the booth back in service in the fleet view too.
    const created: string[] = [];
    expect(await credentialCommand(['create', 'RV01'], { out: (l) => created.push(l), err: () => {} }, env)).toBe(0);
    expect(
      (
        await heartbeat(created[0]!, {
          ...hb,
          sentAt: new Date().toISOString(),
          disk: { freeBytes: 0.8e9, totalBytes: 0.8e9, needBytes: 0.7e9 },
        })
      ).status,
    ).toBe(200);
    expect((await fleetRow('RV01')).revokedAt).toBeNull();
  });

  it('a booth whose credential came from the command line (never added on the fleet page) is listed, flagged, and revocable there', async () => {
    const env = { ...(databaseUrl ? { INTAKE_DATABASE_URL: databaseUrl } : {}), INTAKE_DATA: dataDir };
    const created: string[] = [];
    expect(await credentialCommand(['create', 'CL01'], { out: (l) => created.push(l), err: () => {} }, env)).toBe(0);
    // Listed as soon as it holds a credential: never heard yet.
    let row = await fleetRow('CL01');
    expect(row).toMatchObject({ village: null, revokedAt: null, flags: [{ kind: 'never-heard' }] });
    expect(row.enrolledAt).toEqual(expect.any(Number));
    const hb = {
      boothCode: 'CL01',
      sentAt: new Date().toISOString(),
      version: '0.1.0',
      queueDepth: 0,
      oldestUnsentSec: null,
      bytesWaiting: 0,
      disk: { freeBytes: 40e9, totalBytes: 500e9, needBytes: 1e9 },
      devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'missing', idReader: 'ok' },
      lastError: null,
      alerts: [],
    };
    expect((await heartbeat(created[0]!, hb)).status).toBe(200);
    row = await fleetRow('CL01');
    expect(row.flags.map((f) => f.kind)).toEqual(['device-fault']);
    // The fleet page's 停用 revokes its credential.
    expect((await admin.fetch('POST', '/staff/api/fleet/booths/CL01/revoke', {})).status).toBe(200);
    expect((await heartbeat(created[0]!, hb)).status).toBe(401);
    expect((await fleetRow('CL01')).revokedAt).not.toBeNull();
    expect((await admin.fetch('POST', '/staff/api/fleet/booths/NONE1/revoke', {})).status).toBe(404);
  });
});
