// The update feed end to end without Electron: a release published into the intake's updates
// directory is fetched over HTTP, its signature checked, and the agent decides to download it;
// a tampered manifest on the server is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { loadUpdateState, UpdateAgent } from '../../../main/update/agent.ts';
import { IntakeLink } from '../../../uploader/intakeLink.ts';
import { newReleaseKeyPair, signManifest } from '../../../main/update/signature.ts';

const keys = newReleaseKeyPair();
let root: string;
let intake: Intake;
let url: string;
let feedDir: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'feed-'));
  intake = await createIntake({ dataDir: path.join(root, 'intake') });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  feedDir = path.join(root, 'intake', 'updates', 'linux');
  mkdirSync(feedDir, { recursive: true });
});
afterAll(async () => {
  await intake?.close();
  rmSync(root, { recursive: true, force: true });
});

/** The booth's one link to the intake, here without a credential (the feed is public). */
const feedLink = () => new IntakeLink({ intakeUrl: url, token: () => null, idleTimeoutMs: 5_000 });

function publish(version: string, tamper = false) {
  const manifest = Buffer.from(
    `version: ${version}\npath: shuoba-booth-${version}-x86_64.AppImage\nsha512: AAAA\nreleaseDate: '2026-11-25T04:00:00.000Z'\n`,
  );
  writeFileSync(path.join(feedDir, 'latest-linux.yml'), tamper ? Buffer.from(manifest.toString().replace('AAAA', 'BBBB')) : manifest);
  writeFileSync(path.join(feedDir, 'latest-linux.yml.sig'), `${signManifest(manifest, keys.privateKeyPem)}\n`);
}

async function agentDecision() {
  const downloads: string[] = [];
  const agent = new UpdateAgent(
    {
      currentVersion: '0.1.0',
      publicKeyPem: keys.publicKeyPem,
      quietHours: { start: '02:00', end: '05:00' },
      timeZone: 'Asia/Shanghai',
      enabled: true,
      stateFile: path.join(root, 'state.json'),
    },
    {
      fetchManifest: () => feedLink().updateManifest(),
      download: async (v) => void downloads.push(v),
      install: async () => undefined,
      reinstallPrevious: async () => undefined,
      selfTest: async () => true,
      sessionActive: () => false,
      now: () => Date.UTC(2026, 10, 25, 6), // 14:00 in Shanghai
    },
    await loadUpdateState(path.join(root, 'state.json'), '0.1.0'),
  );
  return { decision: await agent.tick(), downloads };
}

describe('update feed served by the intake', () => {
  it('no release published: nothing to do', async () => {
    expect(await feedLink().updateManifest()).toBeNull();
    expect((await agentDecision()).decision).toEqual({ action: 'none', reason: 'no-offer' });
  });

  it('a signed newer release is downloaded (installed later in quiet hours)', async () => {
    publish('0.2.0');
    const r = await agentDecision();
    expect(r.decision).toEqual({ action: 'download', version: '0.2.0' });
    expect(r.downloads).toEqual(['0.2.0']);
  });

  it('a manifest changed on the server after signing is refused', async () => {
    publish('0.3.0', true);
    expect((await agentDecision()).decision).toEqual({ action: 'none', reason: 'unsigned' });
  });

  it('file names cannot escape the feed directory', async () => {
    const res = await fetch(`${url}/api/v1/updates/linux/..%2F..%2Fintake.db`);
    expect(res.status).toBe(404);
  });
});
