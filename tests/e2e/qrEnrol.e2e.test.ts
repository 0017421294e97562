// Enrolment with one QR and no keyboard, end to end with a village CA (issue 20): a separate intake
// served over HTTPS with a certificate from a throwaway village CA (openssl), the QR the staff API
// gives for 设备 → 添加设备 rendered to a PNG and fed to Debian Chromium's fake camera as a y4m made by
// ffmpeg; a running booth core that was never enrolled (out of service, a PIN from the image's
// install) reads it on the service screen (扫码登记), shows it in plain words, and enrols on one tap.
// Then, with no restart, everything goes through the one booth→intake link with the pinned CA: the
// kiosk's start screen, doctor ok, the settings pull, the identity key, a heartbeat and a real
// delivery of an anonymous photo report.
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readEnrolmentQr } from '../../contract/enrolQr.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { loadConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';
import { hashPin } from '../../main/service/pin.ts';
import { techFiles, writeSecret } from '../../main/technician/files.ts';
import { launchKioskBrowser } from '../support/chromium.ts';
import { fakeMicWav, sampleJpeg } from '../support/fakeMedia.ts';
import { eventually } from '../support/stack.ts';
import { seedUser, TEST_PASSWORD } from '../support/staff.ts';
import { makeVillageCa, type VillageCa } from '../support/villageCa.ts';

const SHOTS = path.resolve('tests/output/screenshots');
const PIN = '482916';

/** The staff API over HTTPS trusting the village CA (node's fetch would need the CA in its global trust). */
function staffCall(
  base: string,
  ca: Buffer,
  method: string,
  pathname: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; json: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(JSON.stringify(body));
    const req = https.request(new URL(pathname, base), {
      method,
      ca,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, origin: base, ...headers },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }),
      );
    });
    req.on('error', reject);
    req.end(payload);
  });
}

describe('enrolment by scanning the staff app’s QR with the document camera', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qr-enrol-'));
  let village: VillageCa;
  let intake: Intake;
  let url: string;
  let added: { boothCode: string; enrolmentCode: string; uri: string; qrSvg: string };
  let booth: BoothCore;
  let browser: Awaited<ReturnType<typeof launchKioskBrowser>>;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    village = makeVillageCa(root);
    intake = await createIntake({
      dataDir: path.join(root, 'intake'),
      https: { key: village.key, cert: village.cert },
      boothCaPem: village.ca.toString(),
    });
    url = await intake.app.listen({ host: '127.0.0.1', port: 0 });

    // 设备 → 添加设备, as the staff app calls it.
    await seedUser(intake.db, 'admin1', 'admin');
    const login = await staffCall(url, village.ca, 'POST', '/staff/api/login', { username: 'admin1', password: TEST_PASSWORD });
    expect(login.status).toBe(200);
    const cookie = ([login.headers['set-cookie'] ?? []].flat() as string[]).map((c) => c.split(';')[0]).join('; ');
    const add = await staffCall(
      url,
      village.ca,
      'POST',
      '/staff/api/fleet/booths',
      { code: 'QR01', village: '西村', location: '祠堂门口' },
      { cookie, 'x-csrf-token': String(login.json.csrf) },
    );
    expect(add.status).toBe(200);
    added = add.json as typeof added;

    // The QR image as the staff app shows it, photographed by the booth's fake document camera.
    const render = await launchKioskBrowser({ fakeDevices: false, viewport: { width: 640, height: 480 } });
    try {
      const p = await render.context.newPage();
      await p.setContent(
        `<body style="margin:0;background:#fff;width:640px;height:480px;display:grid;place-items:center">` +
          `<img width="400" height="400" src="data:image/svg+xml;charset=utf-8,${encodeURIComponent(added.qrSvg)}"></body>`,
      );
      await p.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      await p.screenshot({ path: path.join(root, 'qr.png') });
    } finally {
      await render.close();
    }
    const y4m = path.join(root, 'qr.y4m');
    execFileSync('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-loop',
      '1',
      '-i',
      path.join(root, 'qr.png'),
      '-t',
      '1',
      '-r',
      '10',
      '-pix_fmt',
      'yuv420p',
      y4m,
    ]);

    // A freshly installed booth: never enrolled, running, with the technician PIN set at install.
    const dir = path.join(root, 'booth');
    mkdirSync(dir);
    await writeSecret(techFiles(dir).pin, await hashPin(PIN));
    booth = await BoothCore.create({ dataDir: dir, config: loadConfig(dir, { port: 0, heartbeatSec: 10 }), intakeUrl: null });
    await booth.listen(0);

    browser = await launchKioskBrowser({
      fakeDevices: false,
      extraArgs: [
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${y4m}`,
        `--use-file-for-fake-audio-capture=${fakeMicWav()}`,
      ],
    });
    page = await browser.context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await booth?.close();
    await intake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the staff app’s QR carries the address, the code and the village CA’s fingerprint', () => {
    const fp = createHash('sha256').update(new X509Certificate(village.ca).raw).digest('hex');
    expect(readEnrolmentQr(added.uri)).toEqual({
      ok: true,
      qr: { version: 1, intake: url, code: added.enrolmentCode.replace('-', ''), caFingerprint: fp },
    });
  });

  it('the service screen reads it from the camera, shows it in plain words and enrols the running booth', async () => {
    await page.goto(booth.kioskUrl);
    await page.getByTestId('out-of-service').waitFor();
    for (let i = 0; i < 5; i++) await page.mouse.click(1280 - 20, 20);
    await page.getByRole('heading', { name: '请输入维护密码' }).waitFor();
    for (const d of PIN) await page.getByRole('button', { name: d, exact: true }).click();
    await page.getByRole('button', { name: '确定' }).click();
    await page.getByRole('heading', { name: '维护界面' }).waitFor();

    await page.getByRole('button', { name: '扫码登记' }).click();
    const read = page.getByTestId('qr-read');
    await read.waitFor({ timeout: 20_000 });
    const words = (await read.textContent()) ?? '';
    expect(words).toContain(url);
    expect(words).toContain(added.enrolmentCode);
    const fp = createHash('sha256').update(new X509Certificate(village.ca).raw).digest('hex');
    expect(words).toContain(`村里自建的根证书，指纹 ${fp.toUpperCase().slice(0, 4)} ${fp.toUpperCase().slice(4, 8)}`);
    await page.getByTestId('qr-enrol').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(SHOTS, 'service-qr-read-1280x800.png') });

    await page.getByRole('button', { name: '用这些信息登记' }).click();
    await expect.poll(() => page.getByRole('status').textContent(), { timeout: 20_000 }).toContain('已登记为 QR01（西村，祠堂门口）');
    await page.screenshot({ path: path.join(SHOTS, 'service-qr-enrolled-1280x800.png') });
    await page.getByRole('button', { name: '退出维护' }).click();
    // In service without a restart or a reload: the start screen.
    await page.getByRole('button', { name: /录像/ }).waitFor({ timeout: 15_000 });
    expect(booth.outOfService()).toBeNull();
    expect(booth.config.boothCode).toBe('QR01');
    expect(booth.intakeUrl).toBe(url);
    // The CA it pinned is the village's, kept for every later call.
    expect(readFileSync(loadConfig(booth.dataDir).intakeCaFile!, 'utf8').trim()).toBe(village.ca.toString().trim());
  });

  it('then doctor, settings, identity key, heartbeat and a real delivery all go through the link with the village CA', async () => {
    const heartbeat = await eventually(() => intake.delivery.latest('QR01'), 'a heartbeat from QR01', 30_000);
    expect(heartbeat.version).toBeTruthy();
    const report = await booth.doctor();
    const outcome = (id: string) => report.checks.find((c) => c.id === id)?.outcome.status;
    expect(outcome('intake')).toBe('ok');
    expect(outcome('credential')).toBe('ok');
    expect(outcome('clock')).toBe('ok');
    // The settings came from this intake (its public address travels in them).
    await eventually(() => booth.settings.value.statusBaseUrl === url, 'settings pulled from the intake');
    expect(await booth['intakeKey'].get()).not.toBeNull();

    // A resident's anonymous photo report, through the core API as the kiosk sends it.
    const api = (p: string, init: RequestInit = {}) =>
      fetch(booth.url + p, { ...init, headers: { 'x-booth-token': booth.token, ...(init.headers as Record<string, string>) } });
    const s = (await (
      await api('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as {
      value: { sessionId: string };
    };
    const id = s.value.sessionId;
    const put = await api(`/api/sessions/${id}/items?kind=photo&mime=image%2Fjpeg`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(readFileSync(sampleJpeg())),
    });
    expect(put.ok).toBe(true);
    const sub = (await (
      await api(`/api/sessions/${id}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    ).json()) as {
      ok: boolean;
      value: { caseNumber: string };
    };
    expect(sub.ok).toBe(true);
    expect(sub.value.caseNumber).toMatch(/^QR01-/);
    const row = await eventually(
      () =>
        intake.db
          .selectFrom('cases')
          .select(['case_number', 'booth_code'])
          .where('case_number', '=', sub.value.caseNumber)
          .executeTakeFirst(),
      'the report delivered to the intake',
      60_000,
    );
    expect(row.booth_code).toBe('QR01');
  });
});
