// Numbers two residents can never share (issue 14 item 3) and the resident's short number (issue
// 18): a booth restored from a backup (or re-imaged and given its credential again) numbers from a
// stale sequence until the intake's first answer. The intake never refuses such a submission: it
// files it under a unique number, keeps the booth's as an alias, records an alert for the fleet
// view; the booth records the final number for technicians; after the heartbeat answer the booth
// numbers above the intake's mark and skips resident numbers the intake already holds.
import { readFile } from 'node:fs/promises';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import { issueCredential } from '../../intake/boothCredentials.ts';
import { NumberStore } from '../../intake/store/numbers.ts';
import { casesByNumber, publicCaseStatus } from '../../intake/store/residentStatus.ts';
import { checkInvariant, fillOutbox, outboxReceipt, type BoothReceipt } from '../support/deliveryInvariant.ts';
import { sampleJpeg } from '../support/fakeMedia.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { seedUser, staffLogin } from '../support/staff.ts';

type Env<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const json = { 'content-type': 'application/json' };

async function call<T>(core: BoothCore, pathname: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  headers.set('x-booth-token', core.token);
  const env = (await (await fetch(core.url + pathname, { ...init, headers })).json()) as Env<T>;
  if (!env.ok) throw new Error(`${pathname}: ${env.error.code}`);
  return env.value;
}

/** One resident at the kiosk: a photo, 立即上传; returns the receipt. */
async function resident(core: BoothCore): Promise<{ submissionId: string; caseNumber: string; residentNumber: string | null }> {
  const { sessionId } = await call<{ sessionId: string }>(core, '/api/sessions', { method: 'POST', headers: json, body: '{}' });
  await call(core, `/api/sessions/${sessionId}/items?kind=photo&mime=image/jpeg`, {
    method: 'PUT',
    headers: { 'content-type': 'image/jpeg' },
    body: await readFile(sampleJpeg()),
  });
  return call(core, `/api/sessions/${sessionId}/submit`, { method: 'POST', headers: json, body: '{}' });
}

const receiptOf = (core: BoothCore, r: { submissionId: string }): BoothReceipt => outboxReceipt(core.outbox, r.submissionId);

let stack: Stack;
let restored: BoothCore | null = null;
const restoredDir = mkdtempSync(path.join(os.tmpdir(), 'booth-restored-'));
beforeAll(async () => {
  stack = await startStack({ boothCode: 'NUM01' });
});
afterAll(async () => {
  await restored?.close();
  await stack?.close();
  rmSync(restoredDir, { recursive: true, force: true });
});

describe('the intake is the authority for a booth’s numbers', () => {
  it('a restored booth reusing numbers is never refused; numbers stay unique; receipts find their cases', async () => {
    const a = stack.core;
    // The first heartbeat answer hands the booth a block of resident numbers.
    await eventually(() => a.outbox.residentNumbersLeft() > 0, 'a resident-number block');
    // The backup: booth.db as it was before any resident came.
    a.db.exec(`VACUUM INTO '${path.join(restoredDir, 'booth.db')}'`);

    const r1 = await resident(a);
    const r2 = await resident(a);
    expect(r1.caseNumber).toMatch(/^NUM01-\d{8}-0001$/);
    expect(r2.caseNumber).toMatch(/-0002$/);
    expect(r1.residentNumber).toMatch(/^\d{8}$/);
    expect(Number(r2.residentNumber)).toBe(Number(r1.residentNumber) + 1);
    // Delivered (deliveredAt): the row may already be purged, its media deleted (retention 0 days).
    await eventually(() => [r1, r2].every((r) => a.outbox.get(r.submissionId)?.deliveredAt), 'delivery of the first booth');
    const firstReceipts = [receiptOf(a, r1), receiptOf(a, r2)];
    await a.close();

    // The booth comes back from the backup with a new credential: before its first heartbeat
    // answer it numbers from its stale sequence, as a booth offline after a restore would.
    const parsed = BoothConfig.parse({
      boothCode: 'NUM01',
      port: 0,
      upload: { retryBaseMs: 200, retryCapMs: 2_000, pollMs: 500, idleTimeoutMs: 5_000, inRequestDelaysMs: [0, 100] },
    });
    const token = await issueCredential(stack.intake.delivery, 'NUM01', Date.now());
    restored = await BoothCore.create({ dataDir: restoredDir, config: parsed, intakeUrl: stack.intakeUrl, intakeToken: token });
    const [stale] = await fillOutbox(restored.outbox, restored.mediaDir, 1, () => 0.5, 'NUM01', Date.now(), {
      maxBytes: 4096,
      bigBytes: 8192,
    });
    expect(stale!.caseNumber).toBe(r1.caseNumber); // the clash: the same number as another resident's receipt
    expect(restored.outbox.get(stale!.submissionId)!.residentNumber).toBe(r1.residentNumber);
    await restored.listen(0);

    // Delivered, not refused: filed under a unique number, the booth's kept as an alias; the booth
    // records the final numbers for technicians.
    const row = await eventually(() => {
      const r = restored!.outbox.get(stale!.submissionId);
      return r?.deliveredAt ? r : null;
    }, 'delivery of the clashing submission');
    expect(row.intakeCaseNumber).toMatch(/^NUM01-\d{8}-9999$/);
    expect(row.intakeResidentNumber).toMatch(/^\d{8}$/);
    expect(row.intakeResidentNumber).not.toBe(r1.residentNumber);
    const numbers = new NumberStore(stack.intake.db);
    expect(await numbers.caseIdFor(r1.caseNumber)).toBe(r1.submissionId); // the first holder keeps it
    expect(await numbers.caseIdFor(row.intakeCaseNumber!)).toBe(stale!.submissionId);
    expect(await numbers.caseIdFor(row.intakeResidentNumber!)).toBe(stale!.submissionId);
    // Both numbers the second receipt shows still lead to its case (after the first holder's); its
    // status page names the receipt's number as changed (issue 18).
    expect((await casesByNumber(stack.intake.db, r1.residentNumber!)).map((c) => c.id)).toEqual([r1.submissionId, stale!.submissionId]);
    expect((await casesByNumber(stack.intake.db, r1.caseNumber)).map((c) => c.id)).toEqual([r1.submissionId, stale!.submissionId]);
    expect((await publicCaseStatus(stack.intake.db, stale!.submissionId))!.receiptNumber).toBe(r1.residentNumber);
    expect((await publicCaseStatus(stack.intake.db, r1.submissionId))!.receiptNumber).toBeNull();
    const alerts = await numbers.alertsFor('NUM01', 0);
    expect(alerts.map((x) => x.message).join('\n')).toMatch(/already held by another case/);

    // After the heartbeat answer the booth numbers above the intake's mark, and its resident
    // numbers skip the ones the intake already holds.
    await eventually(
      () => (restored!.db.prepare('SELECT max(last) AS m FROM case_sequence').get() as { m: number }).m >= 2,
      'the intake’s mark',
    );
    const r3 = await resident(restored);
    expect(r3.caseNumber).toMatch(/-0003$/);
    expect(Number(r3.residentNumber)).toBeGreaterThan(Number(r2.residentNumber));
    await eventually(() => restored!.outbox.get(r3.submissionId)?.deliveredAt, 'delivery of the next submission');
    expect(restored.outbox.get(r3.submissionId)!.intakeCaseNumber).toBeNull();

    // Booth A's files are gone with its data folder; the intake's copies are still checked byte for byte.
    const report = await checkInvariant(
      [...firstReceipts, stale!, receiptOf(restored, r3)],
      restored.mediaDir,
      stack.intake.db,
      stack.intake.mediaRoot,
      { outbox: restored.outbox },
    );
    expect(report).toMatchObject({ lost: [], duplicated: [], mediaMismatch: [], numberLost: [] });
    // All four residents' cases: distinct filed numbers and resident numbers.
    const cases = await stack.intake.db
      .selectFrom('cases')
      .select(['case_number', 'resident_number'])
      .where('booth_code', '=', 'NUM01')
      .execute();
    expect(cases).toHaveLength(4);
    expect(new Set(cases.map((c) => c.case_number)).size).toBe(4);
    expect(new Set(cases.map((c) => c.resident_number)).size).toBe(4);

    // The fleet view lists this booth although its credential did not come from the fleet page
    // (issueCredential, as `intake credential create` and the npm start booth do: no booths row),
    // and shows the renumbered case so a technician sees it.
    await seedUser(stack.intake.db, 'admin', 'admin');
    const admin = await staffLogin(stack.intakeUrl, 'admin');
    type FleetRow = {
      code: string;
      village: string | null;
      lastHeartbeatAt: number | null;
      flags: Array<{ kind: string; alerts?: string[] }>;
      intakeAlerts: Array<{ message: string }>;
    };
    const fleet = await admin.json<{ booths: FleetRow[] }>('GET', '/staff/api/fleet');
    const listed = fleet.booths.find((b) => b.code === 'NUM01');
    expect(listed).toMatchObject({ village: null, lastHeartbeatAt: expect.any(Number) });
    expect(listed!.flags.find((f) => f.kind === 'intake-alert')!.alerts!.join('\n')).toContain(`filed as ${row.intakeCaseNumber}`);
    expect(listed!.intakeAlerts.map((a) => a.message).join('\n')).toContain(r1.caseNumber);
  });
});
