// A booth that is not (or no longer) enrolled: the core starts anyway (no crash loop under
// systemd), the kiosk config says out of service, a submission already queued stays queued, and
// as soon as `booth provision` has written a credential the booth is in service and delivers,
// without a restart. A revoke puts it out of service again at the next refused heartbeat.
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli.ts';
import { BoothConfig } from '../../../main/config.ts';
import { BoothCore } from '../../../main/core.ts';
import { sampleJpeg } from '../../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../../support/stack.ts';
import { seedUser, staffLogin, type StaffClient } from '../../support/staff.ts';

type Env<T> = { ok: true; value: T } | { ok: false; error: { code: string } };
const quiet = { out: () => undefined, err: () => undefined };

// A settings pull or heartbeat still running when a booth closes once rejected with "The database
// connection is not open" (Outbox.summary ← BoothCore.status ← pullSettings); vitest only reported
// it after the run. Any unhandled rejection now fails the test it happened in, or the file's end.
const rejections: unknown[] = [];
const onRejection = (e: unknown) => rejections.push(e);
process.on('unhandledRejection', onRejection);
afterEach(() => expect(rejections.map(String)).toEqual([]));
afterAll(async () => {
  // The booths are closed by now; give anything they left running a moment to surface.
  await new Promise((r) => setTimeout(r, 1500));
  process.off('unhandledRejection', onRejection);
  expect(rejections.map(String)).toEqual([]);
});

describe('out of service until enrolled', () => {
  let stack: Stack;
  let admin: StaffClient;
  let booth: BoothCore;
  let dir: string;
  const asKiosk = () => ({ core: booth }) as Stack;
  const config = async () => (await (await coreFetch(asKiosk(), '/api/config')).json()) as Env<{ outOfService: string | null }>;
  const post = (p: string, body: unknown = {}) =>
    coreFetch(asKiosk(), p, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    stack = await startStack();
    await seedUser(stack.intake.db, 'admin1', 'admin');
    admin = await staffLogin(stack.intakeUrl, 'admin1');
    dir = mkdtempSync(path.join(stack.root, 'ft09-'));
    const cfg = BoothConfig.parse({
      port: 0,
      boothCode: 'FT09',
      upload: { retryBaseMs: 200, retryCapMs: 2_000, pollMs: 500, idleTimeoutMs: 5_000, inRequestDelaysMs: [0, 100] },
    });
    // A remote intake address and no credential: what a booth image looks like before provisioning.
    booth = await BoothCore.create({ dataDir: dir, config: cfg, intakeUrl: stack.intakeUrl });
    await booth.listen(0);
  });
  afterAll(async () => {
    await booth?.close();
    await stack?.close();
  });

  it('starts without a credential and tells the kiosk it is out of service', async () => {
    expect(await config()).toMatchObject({ ok: true, value: { outOfService: 'not_enrolled' } });
  });

  it('keeps a queued submission queued while there is no credential', async () => {
    const s = (await (await post('/api/sessions')).json()) as Env<{ sessionId: string }>;
    if (!s.ok) throw new Error('no session');
    const put = await coreFetch(asKiosk(), `/api/sessions/${s.value.sessionId}/items?kind=photo&mime=image%2Fjpeg`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg' },
      body: new Uint8Array(readFileSync(sampleJpeg())),
    });
    expect(put.status).toBe(200);
    expect((await (await post(`/api/sessions/${s.value.sessionId}/submit`)).json()) as Env<unknown>).toMatchObject({ ok: true });
    // The intake refuses the credential-less attempt; the row is parked, not dropped.
    await eventually(() => booth.outbox.summary().lastError !== null || booth.outbox.summary().failed > 0, 'a refused attempt');
    expect(booth.outbox.summary()).toMatchObject({ waiting: 1, delivered: 0 });
  });

  it('is in service as soon as booth provision has run, and then delivers what was queued', async () => {
    const added = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
      code: 'FT09',
      village: '东村',
      location: '村委会门口',
    });
    expect(
      await runCli(['provision', '--code', added.enrolmentCode, '--intake', stack.intakeUrl, '--pin', '482916', '--data', dir], quiet),
    ).toBe(0);
    await eventually(
      async () => (await config()).ok && ((await config()) as { value: { outOfService: string | null } }).value.outOfService === null,
      'in service',
    );
    await eventually(() => booth.outbox.summary().delivered === 1, 'the queued submission delivered', 20_000);
  });

  it('is out of service again once the back office refuses the credential (revoked)', async () => {
    await admin.json('POST', '/staff/api/fleet/booths/FT09/revoke', {});
    expect(await booth.heartbeat.sendNow()).toBe(401);
    expect(await config()).toMatchObject({ ok: true, value: { outOfService: 'revoked' } });
  });
});

describe('a booth image with no intake address at all', () => {
  let stack: Stack;
  let booth: BoothCore;
  let dir: string;

  beforeAll(async () => {
    stack = await startStack();
    dir = mkdtempSync(path.join(stack.root, 'ft11-'));
    booth = await BoothCore.create({ dataDir: dir, config: BoothConfig.parse({ port: 0, boothCode: 'FT11' }), intakeUrl: null });
    await booth.listen(0);
  });
  afterAll(async () => {
    await booth?.close();
    await stack?.close();
  });

  it('starts out of service, and after booth provision heartbeats to the address it was given, without a restart', async () => {
    const config = async () =>
      (await (await coreFetch({ core: booth } as Stack, '/api/config')).json()) as Env<{ outOfService: string | null }>;
    expect(await config()).toMatchObject({ ok: true, value: { outOfService: 'not_enrolled' } });
    await seedUser(stack.intake.db, 'admin2', 'admin');
    const admin = await staffLogin(stack.intakeUrl, 'admin2');
    const added = await admin.json<{ enrolmentCode: string }>('POST', '/staff/api/fleet/booths', {
      code: 'FT11',
      village: '西村',
      location: '卫生室',
    });
    expect(
      await runCli(['provision', '--code', added.enrolmentCode, '--intake', stack.intakeUrl, '--pin', '482916', '--data', dir], quiet),
    ).toBe(0);
    await eventually(async () => {
      const c = await config();
      return c.ok && c.value.outOfService === null;
    }, 'in service');
    await eventually(async () => {
      const f = await admin.json<{ booths: { code: string; lastHeartbeatAt: number | null }[] }>('GET', '/staff/api/fleet');
      return f.booths.find((b) => b.code === 'FT11')?.lastHeartbeatAt;
    }, 'a heartbeat from FT11');
  });
});
