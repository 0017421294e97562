// The booth's heartbeat tick (main/schedules.ts): back-office settings are pulled at start and with
// every heartbeat, so an admin's change reaches a running booth by itself; the clock is moved by
// hand, so "one heartbeat interval passes" is exact and nothing waits for wall-clock time. And the
// core's close(): a settings pull still waiting for the intake is aborted, and nothing touches the
// booth database after it closed (it used to end in "The database connection is not open").
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BOOTH_SETTINGS } from '../../../contract/booth.ts';
import { issueCredential } from '../../../intake/boothCredentials.ts';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { BoothConfig } from '../../../main/config.ts';
import { BoothCore } from '../../../main/core.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';
import { manualClock } from '../../support/manualClock.ts';
import { eventually } from '../../support/stack.ts';
import { seedUser, staffLogin } from '../../support/staff.ts';

const HEARTBEAT_SEC = 120;
const config = (boothCode: string) => BoothConfig.parse({ port: 0, boothCode, heartbeatSec: HEARTBEAT_SEC, idcard: { simulate: 'never' } });

// Whatever escapes as an unhandled rejection while these tests run fails them (vitest only
// reports such errors after the run, pointing at no test).
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);
beforeAll(() => void process.on('unhandledRejection', onRejection));
afterAll(() => void process.off('unhandledRejection', onRejection));
afterEach(() => expect(rejections.map((e) => String(e))).toEqual([]));

describe('settings ride on the heartbeat tick', () => {
  let root: string;
  let intake: Intake;
  let intakeUrl: string;
  let booth: BoothCore | null = null;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'hb-tick-'));
    intake = await createIntake({ dataDir: path.join(root, 'intake') });
    intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await booth?.close();
    await intake?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('an admin’s change reaches the running booth at its next heartbeat, without pullSettings by hand', async () => {
    const time = manualClock(Date.now());
    const token = await issueCredential(intake.delivery, 'TK01', Date.now());
    booth = await BoothCore.create({
      dataDir: path.join(root, 'booth'),
      config: config('TK01'),
      intakeUrl,
      intakeToken: token,
      clock: time.clock,
      devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'unknown' }),
    });
    await booth.listen(0);
    const heartbeats = async () => (await intake.delivery.heartbeatHistory('TK01')).length;
    expect(await heartbeats()).toBe(0); // the clock has not moved: nothing ran yet

    // At start: one tick (settings, then heartbeat); the next one is scheduled a heartbeat later.
    time.advance(0);
    await eventually(
      async () => (await heartbeats()) === 1 && time.pending().includes(HEARTBEAT_SEC * 1000),
      'the first tick and the next one scheduled',
    );
    expect(booth.kioskConfig()).toMatchObject({ idleTimeoutSec: 90, backOffice: { revision: 0, quickPickPlaces: [] } });

    await seedUser(intake.db, 'admin1', 'admin');
    const admin = await staffLogin(intakeUrl, 'admin1');
    const { revision: _r, ...edit } = {
      ...DEFAULT_BOOTH_SETTINGS,
      idleTimeoutSec: 45,
      idleWarningSec: 30,
      quickPickPlaces: ['村委会门口'],
    };
    expect((await admin.json<{ revision: number }>('PUT', '/staff/api/fleet/settings', edit)).revision).toBe(1);

    // The next tick is due exactly one heartbeat interval after the first one.
    time.advance(HEARTBEAT_SEC * 1000 - 1);
    expect(time.pending()).toContain(1);
    time.advance(1);
    await eventually(() => booth!.kioskConfig().backOffice?.revision === 1, 'the settings applied by the tick');
    expect(booth.kioskConfig()).toMatchObject({ idleTimeoutSec: 45, idleWarningSec: 30, backOffice: { quickPickPlaces: ['村委会门口'] } });
    await eventually(async () => (await heartbeats()) === 2, 'the second heartbeat of the same tick');
  });
});

describe('close() while the intake has not answered yet', () => {
  let root: string;
  const held: ServerResponse[] = [];
  const arrived: string[] = [];
  let server: ReturnType<typeof createServer>;
  let url: string;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'hb-close-'));
    // An intake that takes every request and answers only when the test says so.
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      req.resume();
      arrived.push(`${req.method} ${req.url}`);
      held.push(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(root, { recursive: true, force: true });
  });

  /** A booth as `booth provision` leaves it: the credential in keys/intake.token. */
  const provisioned = async (name: string, code: string) => {
    const dir = path.join(root, name);
    await writeSecret(techFiles(dir).credential, `sb1.${code}.secret`);
    return dir;
  };

  /** Answers every held request with newer valid settings (what used to reach a closed database). */
  const release = () => {
    for (const res of held.splice(0)) {
      if (res.destroyed) continue;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...DEFAULT_BOOTH_SETTINGS, revision: 7 }));
    }
  };

  it('aborts a settings pull in flight; the pull ends quietly and the database is never touched after close', async () => {
    const booth = await BoothCore.create({
      dataDir: await provisioned('pull', 'TK02'),
      config: config('TK02'),
      intakeUrl: url,
      clock: manualClock(Date.now()).clock,
    });
    await booth.listen(0);
    const pull = booth.pullSettings();
    await eventually(() => arrived.includes('GET /api/v1/settings'), 'the settings request at the intake');
    await booth.close();
    release();
    await expect(pull).resolves.toBeUndefined();
    expect(booth.settings.value.revision).toBe(0); // the late answer was not applied
  });

  it('waits for a heartbeat tick in progress before closing the database', async () => {
    const time = manualClock(Date.now());
    const booth = await BoothCore.create({
      dataDir: await provisioned('tick', 'TK03'),
      config: config('TK03'),
      intakeUrl: url,
      clock: time.clock,
      devices: () => ({ faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'unknown' }),
    });
    await booth.listen(0);
    arrived.length = 0;
    time.advance(0); // the first tick: its settings pull is now held by the intake
    await eventually(() => arrived.includes('GET /api/v1/settings'), 'the tick’s settings request');
    // close() aborts the held pull and waits for the tick to end; it does not hang on the intake.
    await booth.close();
    release();
    // Nothing ran after close: the tick's heartbeat was never sent.
    expect(arrived).not.toContain('POST /api/v1/heartbeats');
  });
});
