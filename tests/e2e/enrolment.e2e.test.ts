// Enrolment end to end: an admin adds a booth in the staff app's fleet page and gets a one-time
// code; `booth provision` on the booth exchanges it for the booth credential; the code cannot be
// used twice; the booth's heartbeat shows in the fleet view; settings pushed from the back office
// reach the booth without a restart; a revoked booth is refused.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DEFAULT_BOOTH_SETTINGS, type DeviceStates } from '../../contract/booth.ts';
import { runCli } from '../../main/cli.ts';
import { loadConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import { credentialCheck } from '../../main/doctor/checks.ts';
import { techFiles } from '../../main/technician/files.ts';
import { fileProbes } from '../../main/doctor/probes.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { eventually, startStack, type Stack } from '../support/stack.ts';
import { loginInBrowser, seedUser, staffLogin, type StaffClient } from '../support/staff.ts';

const SHOTS = path.resolve('tests/output/screenshots');

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('enrolment, heartbeat, settings and revocation', () => {
  let stack: Stack;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let page: Page;
  let admin: StaffClient;
  let boothDir: string;
  let code = '';
  let booth: BoothCore | null = null;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    stack = await startStack();
    await seedUser(stack.intake.db, 'admin1', 'admin');
    admin = await staffLogin(stack.intakeUrl, 'admin1');
    boothDir = mkdtempSync(path.join(stack.root, 'ft07-'));
    browser = await launchKioskBrowser({ fakeDevices: false });
    page = await browser.context.newPage();
  });
  afterAll(async () => {
    await booth?.close();
    await browser?.close();
    await stack?.close();
  });

  it('the admin adds FT07 in the fleet page and gets a one-time code and a QR code', async () => {
    await loginInBrowser(page, stack.staffUrl, 'admin1');
    await page.goto(`${stack.staffUrl}#/fleet`);
    await page.getByLabel('设备编号').fill('FT07');
    await page.getByLabel('村').fill('东村');
    await page.getByLabel('位置').fill('村委会门口');
    await page.getByRole('button', { name: '生成登记码' }).click();
    code = (await page.getByTestId('enrol-code').textContent())!.trim();
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(await page.locator('.fleet-issued img').getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    await page.screenshot({ path: path.join(SHOTS, 'fleet-enrolment-code-1280x800.png') });
  });

  it('booth provision exchanges the code for the credential; the same code is refused the second time', async () => {
    const first = io();
    expect(await runCli(['provision', '--code', code, '--intake', stack.intakeUrl, '--pin', '482916', '--data', boothDir], first.io)).toBe(
      0,
    );
    expect(first.out.join('\n')).toMatch(/enrolled as FT07/);
    expect(readFileSync(techFiles(boothDir).credential, 'utf8')).toMatch(/^sb1\.FT07\./);
    expect(existsSync(techFiles(boothDir).pin)).toBe(true);
    expect(loadConfig(boothDir)).toMatchObject({ boothCode: 'FT07', intakeUrl: stack.intakeUrl });

    const again = io();
    expect(
      await runCli(
        [
          'provision',
          '--code',
          code,
          '--intake',
          stack.intakeUrl,
          '--pin',
          '482916',
          '--data',
          mkdtempSync(path.join(stack.root, 'thief-')),
        ],
        again.io,
      ),
    ).toBe(1);
    expect(again.err.join('\n')).toMatch(/already used/);
  });

  it('the enrolled booth heartbeats and shows in the fleet view', async () => {
    // This machine has no cameras: the booth reports its devices as the test says (the fleet flags them).
    let devices: DeviceStates = { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' };
    booth = await BoothCore.create({
      dataDir: boothDir,
      config: loadConfig(boothDir, { port: 0, heartbeatSec: 10, upload: { retryBaseMs: 200, pollMs: 500 } }),
      intakeUrl: stack.intakeUrl,
      devices: () => devices,
    });
    await booth.listen(0);
    const row = await eventually(async () => {
      const f = await admin.json<{
        booths: { code: string; lastHeartbeatAt: number | null; flags: { kind: string }[]; heartbeat: { version: string } | null }[];
      }>('GET', '/staff/api/fleet');
      return f.booths.find((b) => b.code === 'FT07' && b.lastHeartbeatAt !== null);
    }, 'FT07 heartbeat in the fleet view');
    expect(row.heartbeat?.version).toBe('0.1.0');
    expect(row.flags).toEqual([]); // heard just now, nothing waiting, devices not reported as missing
    await page.reload();
    await page.getByTestId('booth-FT07').waitFor();
    expect(await page.getByTestId('booth-FT07').textContent()).toContain('0.1.0');
    await page.screenshot({ path: path.join(SHOTS, 'fleet-view-1280x800.png') });
    const history = await admin.json<{ count: number; hours: { count: number }[] }>('GET', '/staff/api/fleet/booths/FT07/heartbeats');
    expect(history.count).toBeGreaterThanOrEqual(1);
    expect(history.hours.length).toBeGreaterThanOrEqual(1);

    // The document camera is unplugged: the next heartbeat says so and the fleet flags the booth.
    devices = { ...devices, documentCamera: 'missing' };
    await booth.heartbeat.sendNow();
    const flagged = await eventually(async () => {
      const f = await admin.json<{ booths: { code: string; flags: { kind: string; devices?: string[] }[] }[] }>('GET', '/staff/api/fleet');
      return f.booths.find((b) => b.code === 'FT07' && b.flags.some((x) => x.kind === 'device-fault'));
    }, 'device fault flag');
    expect(flagged.flags).toEqual([{ kind: 'device-fault', devices: ['documentCamera'] }]);
    await page.reload();
    await expect.poll(() => page.getByTestId('booth-FT07').textContent()).toContain('证件摄像头: 未连接');
    await page.screenshot({ path: path.join(SHOTS, 'fleet-flagged-1280x800.png') });

    // The booth's disk falls below what it needs to take recordings (simulated by raising its
    // threshold above the real free space): its heartbeat alert reaches the fleet page.
    (booth.config as { minFreeBytes: number }).minFreeBytes = Number.MAX_SAFE_INTEGER;
    await booth.heartbeat.sendNow();
    await eventually(async () => {
      const f = await admin.json<{ booths: { code: string; flags: { kind: string }[] }[] }>('GET', '/staff/api/fleet');
      return f.booths.find((b) => b.code === 'FT07' && b.flags.some((x) => x.kind === 'booth-alert'));
    }, 'booth alert flag');
    await page.reload();
    await expect.poll(() => page.getByTestId('booth-FT07').textContent()).toContain('设备报警');
    expect(await page.getByTestId('booth-FT07').textContent()).toMatch(/disk nearly full: \d+ MiB free/);
    await page.screenshot({ path: path.join(SHOTS, 'fleet-alert-1280x800.png') });
    await page.getByTestId('booth-FT07').getByRole('button', { name: '一周记录' }).click();
    await page.getByRole('region', { name: /FT07/ }).waitFor();
    await page.screenshot({ path: path.join(SHOTS, 'fleet-week-1280x800.png'), fullPage: true });
  });

  it('settings pushed from the back office reach the booth without a restart', async () => {
    const { revision: _r, ...edit } = {
      ...DEFAULT_BOOTH_SETTINGS,
      idleTimeoutSec: 45,
      quickPickPlaces: ['村委会门口', '东门菜市场'],
      receiptText: '谢谢您的反映',
    };
    const saved = await admin.json<{ revision: number }>('PUT', '/staff/api/fleet/settings', edit);
    expect(saved.revision).toBe(1);
    // Invalid settings never reach a booth: the same schema refuses them at the intake.
    const bad = await admin.fetch('PUT', '/staff/api/fleet/settings', { ...edit, idleTimeoutSec: 5 });
    expect(bad.status).toBe(400);
    // No pullSettings() by hand: the booth's heartbeat tick (every 10 s here) brings them.
    await eventually(() => booth!.kioskConfig().backOffice?.revision === 1, 'revision 1 on the booth', 40_000);
    expect(booth!.kioskConfig()).toMatchObject({
      idleTimeoutSec: 45,
      backOffice: { revision: 1, quickPickPlaces: ['村委会门口', '东门菜市场'], receiptText: '谢谢您的反映' },
    });
  });

  it('a revoked booth is refused, and booth doctor says so', async () => {
    await admin.json('POST', '/staff/api/fleet/booths/FT07/revoke', {});
    const token = readFileSync(techFiles(boothDir).credential, 'utf8').trim();
    const res = await fetch(`${stack.intakeUrl}/api/v1/settings`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(401);
    const probe = fileProbes({ dataDir: boothDir, config: loadConfig(boothDir) });
    expect((await credentialCheck.run(probe)).status).toBe('fault');
    // Its fleet row says revoked and carries no flags (nobody should drive out to it).
    const f = await admin.json<{ booths: { code: string; revokedAt: number | null; flags: unknown[] }[] }>('GET', '/staff/api/fleet');
    expect(f.booths.find((b) => b.code === 'FT07')).toMatchObject({ revokedAt: expect.any(Number), flags: [] });
  });
});

describe('re-enrolment from the service screen', () => {
  it('after a revoke, a technician enrols the booth again with a new code, without a restart', async () => {
    const stack = await startStack();
    try {
      await seedUser(stack.intake.db, 'admin2', 'admin');
      const admin = await staffLogin(stack.intakeUrl, 'admin2');
      const dir = mkdtempSync(path.join(stack.root, 'ft08-'));
      const first = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
        code: 'FT08',
        village: '西村',
        location: '卫生室',
      });
      expect(
        await runCli(['provision', '--code', first.enrolmentCode, '--intake', stack.intakeUrl, '--pin', '482916', '--data', dir], io().io),
      ).toBe(0);
      const booth = await BoothCore.create({ dataDir: dir, config: loadConfig(dir, { port: 0 }), intakeUrl: stack.intakeUrl });
      await booth.listen(0);
      try {
        await admin.json('POST', '/staff/api/fleet/booths/FT08/revoke', {});
        const second = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
          code: 'FT08',
          village: '西村',
          location: '卫生室',
        });
        const h = { 'x-booth-token': booth.token, 'content-type': 'application/json', origin: booth.url };
        const unlock = (await (
          await fetch(`${booth.url}/api/service/unlock`, { method: 'POST', headers: h, body: JSON.stringify({ pin: '482916' }) })
        ).json()) as { value: { serviceToken: string } };
        const r = (await (
          await fetch(`${booth.url}/api/service/enrol`, {
            method: 'POST',
            headers: h,
            body: JSON.stringify({ serviceToken: unlock.value.serviceToken, code: second.enrolmentCode, intakeUrl: stack.intakeUrl }),
          })
        ).json()) as { value: { enrolled: boolean; restartNeeded: boolean } };
        expect(r.value).toMatchObject({ enrolled: true, restartNeeded: false });
        // The new credential is used at once: the settings pull is accepted again.
        const token = readFileSync(techFiles(dir).credential, 'utf8').trim();
        expect((await fetch(`${stack.intakeUrl}/api/v1/settings`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
        // The technician PIN set at provisioning still opens the service screen.
        const again = (await (
          await fetch(`${booth.url}/api/service/unlock`, { method: 'POST', headers: h, body: JSON.stringify({ pin: '482916' }) })
        ).json()) as { value: { unlocked: boolean } };
        expect(again.value.unlocked).toBe(true);
      } finally {
        await booth.close();
      }
    } finally {
      await stack.close();
    }
  });
});
