// The booth's one link to the intake (uploader/intakeLink.ts) against a real TLS intake with a
// self-made village CA (openssl makes a CA and a server certificate for 127.0.0.1): every call the
// booth makes — health, enrolment, settings, identity key, heartbeat, media item, manifest, update
// feed — works when the booth trusts the CA and fails plainly ("not signed by a CA this booth
// trusts") when it does not. Then the technician's side: provision with --ca, the doctor's probes
// from the booth's files, and provision refusing http or an unreachable intake before it spends
// the code. Also: no other booth module connects to the intake on its own (source scan).
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/stack.ts';
import { makeVillageCa } from '../support/villageCa.ts';
import { issueCredential, revokeCredential } from '../../intake/boothCredentials.ts';
import type { Heartbeat, SubmissionManifest } from '../../contract/booth.ts';
import { EnrolmentService } from '../../intake/enrol/service.ts';
import { createIntake, type Intake } from '../../intake/server.ts';
import { BoothStore } from '../../intake/store/booths.ts';
import { runCli } from '../../main/cli.ts';
import { BoothCore } from '../../main/core.ts';
import { checkIntakeTransport, loadConfig } from '../../main/config.ts';
import { ALL_CHECKS } from '../../main/doctor/checks.ts';
import { runDoctor } from '../../main/doctor/run.ts';
import { techFiles } from '../../main/technician/files.ts';
import { fileProbes } from '../../main/doctor/probes.ts';
import { provision } from '../../main/technician/provision.ts';
import { IntakeLink } from '../../uploader/intakeLink.ts';
import { photoItem, submissionManifest } from '../../testkit/manifest.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'tls-'));
let intake: Intake;
let url: string;
let token: string;
let ca: Buffer;
let enrolment: EnrolmentService;
const UNTRUSTED = /not signed by a CA this booth trusts|CA this booth does not trust/;

beforeAll(async () => {
  const village = makeVillageCa(root);
  ca = village.ca;
  intake = await createIntake({
    dataDir: path.join(root, 'intake'),
    https: { key: village.key, cert: village.cert },
    boothCaPem: village.ca.toString(),
  });
  url = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  token = await issueCredential(intake.delivery, 'TL01', Date.now());
  enrolment = new EnrolmentService(new BoothStore(intake.db), {
    issue: (boothId, at) => issueCredential(intake.delivery, boothId, at),
    revoke: async (boothId, at) => void (await revokeCredential(intake.delivery, boothId, at)),
  });
});

afterAll(async () => {
  await intake?.close();
  rmSync(root, { recursive: true, force: true });
});

async function newCode(boothCode: string): Promise<string> {
  const r = await enrolment.addBooth({ code: boothCode, village: '东村', location: '村委会' }, Date.now());
  if (!r.ok) throw new Error(r.reason);
  return r.enrolmentCode;
}

function item() {
  const bytes = randomBytes(30_000);
  const file = path.join(root, `${randomUUID()}.jpg`);
  writeFileSync(file, bytes);
  return {
    file,
    size: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    submissionId: randomUUID(),
    index: 0,
    uploadUrl: null,
  };
}

function manifestFor(it: ReturnType<typeof item>, n: number): SubmissionManifest {
  return submissionManifest('TL01', it.submissionId, `TL01-20261207-${String(n).padStart(4, '0')}`, [photoItem(0, it.size, it.sha256)]);
}

const heartbeat = (): Heartbeat => ({
  boothCode: 'TL01',
  sentAt: new Date().toISOString(),
  version: '0.1.0',
  queueDepth: 0,
  oldestUnsentSec: null,
  bytesWaiting: 0,
  disk: { freeBytes: 10 * 1024 ** 3, totalBytes: 20 * 1024 ** 3 },
  devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'missing' },
  lastError: null,
  alerts: [],
});

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('the booth link over TLS with a village CA', () => {
  it('every call works when the booth trusts the CA', async () => {
    expect(url.startsWith('https://')).toBe(true);
    const link = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000, ca, inRequestDelaysMs: [] });
    try {
      const health = await link.health();
      expect(health).toMatchObject({ reachable: true });
      expect(health.intakeMs).not.toBeNull();
      expect(await link.settings()).toMatchObject({ kind: 'ok' });
      expect(await link.identityKey()).toMatch(/BEGIN PUBLIC KEY/);
      expect((await link.heartbeat(heartbeat())).status).toBeLessThan(300);
      const it1 = item();
      expect(await link.uploadItem(it1, () => {})).toMatchObject({ ok: true });
      expect(await link.finalise(manifestFor(it1, 1))).toMatchObject({ ok: true });
      expect(await link.updateManifest()).toBeNull(); // no release published: the feed answered 404
      const enrolled = await new IntakeLink({ intakeUrl: url, token: () => null, idleTimeoutMs: 5_000, ca }).enrol(await newCode('TL02'));
      expect(enrolled).toMatchObject({ kind: 'enrolled', response: { boothCode: 'TL02' } });
    } finally {
      link.close();
    }
  });

  it('every call fails plainly when it does not', async () => {
    const link = new IntakeLink({ intakeUrl: url, token, idleTimeoutMs: 5_000, inRequestDelaysMs: [] });
    try {
      const health = await link.health();
      expect(health.reachable).toBe(false);
      expect(!health.reachable && health.problem).toMatch(UNTRUSTED);
      const settings = await link.settings();
      expect(settings.kind === 'unreachable' && settings.problem).toMatch(UNTRUSTED);
      await expect(link.identityKey()).rejects.toMatchObject({ code: expect.stringMatching(/CERT|SIGNATURE|ISSUER/) });
      await expect(link.heartbeat(heartbeat())).rejects.toBeTruthy();
      const it2 = item();
      expect(await link.uploadItem(it2, () => {})).toMatchObject({ ok: false, outcome: { kind: 'network' } });
      expect(await link.finalise(manifestFor(it2, 2))).toMatchObject({ ok: false, outcome: { kind: 'network' } });
      await expect(link.updateManifest()).rejects.toBeTruthy();
      const code = await newCode('TL03');
      const enrol = await new IntakeLink({ intakeUrl: url, token: () => null, idleTimeoutMs: 5_000 }).enrol(code);
      expect(enrol.kind === 'failed' && enrol.problem).toMatch(UNTRUSTED);
      // The CA given afterwards (provisioning with --ca) is used from the next request on.
      link.setCa(ca);
      expect(await link.health()).toMatchObject({ reachable: true });
    } finally {
      link.close();
    }
  });
});

describe('provisioning and doctor with the village CA', () => {
  it('provision refuses without the CA and leaves the code usable; with --ca it enrols; doctor sees the intake through the CA', async () => {
    const dir = mkdtempSync(path.join(root, 'booth-'));
    const code = await newCode('TL04');
    const refused = await provision({ dataDir: dir, intakeUrl: url, code, pin: '482916' });
    expect(refused).toMatchObject({ ok: false, codeUnspent: true });
    expect(!refused.ok && refused.problem).toMatch(UNTRUSTED);
    expect(existsSync(techFiles(dir).credential)).toBe(false);

    // The CLI with --ca, the same code.
    writeFileSync(path.join(root, 'village-ca.pem'), ca);
    const cli = io();
    expect(
      await runCli(
        ['provision', '--code', code, '--intake', url, '--ca', path.join(root, 'village-ca.pem'), '--pin', '482916', '--data', dir],
        cli.io,
      ),
    ).toBe(0);
    expect(cli.out.join('\n')).toMatch(/enrolled as TL04/);
    const config = loadConfig(dir);
    expect(config).toMatchObject({ boothCode: 'TL04', intakeUrl: url });
    expect(readFileSync(config.intakeCaFile!, 'utf8')).toBe(ca.toString());

    const report = await runDoctor(ALL_CHECKS, fileProbes({ dataDir: dir, config }));
    const outcome = (id: string) => report.checks.find((c) => c.id === id)?.outcome;
    expect(outcome('intake')).toMatchObject({ status: 'ok' });
    expect(outcome('credential')).toMatchObject({ status: 'ok' });
    expect(outcome('clock')).toMatchObject({ status: 'ok' });
  });

  it('provision refuses plain http to another machine, an unreachable intake and a bad CA file before it spends the code', async () => {
    const dir = mkdtempSync(path.join(root, 'booth-'));
    const code = await newCode('TL05');
    const http = await provision({ dataDir: dir, intakeUrl: 'http://192.0.2.7:4300', code, pin: '482916' });
    expect(http).toMatchObject({ ok: false, codeUnspent: true, problem: expect.stringMatching(/https:\/\//) });
    const down = await provision({ dataDir: dir, intakeUrl: 'https://127.0.0.1:1', code, pin: '482916' });
    expect(down).toMatchObject({ ok: false, codeUnspent: true, problem: expect.stringMatching(/nothing answers/) });
    const badCa = await provision({ dataDir: dir, intakeUrl: url, code, pin: '482916', caPem: 'not a certificate' });
    expect(badCa).toMatchObject({ ok: false, codeUnspent: true, problem: expect.stringMatching(/CA file/) });
    expect(existsSync(path.join(dir, 'booth.json'))).toBe(false);
    // The code is still good.
    expect(await provision({ dataDir: dir, intakeUrl: url, code, pin: '482916', caPem: ca.toString() })).toMatchObject({
      ok: true,
      boothCode: 'TL05',
    });
  });

  it("with the QR's CA fingerprint: the CA is fetched and pinned; a wrong fingerprint is refused before the code is spent", async () => {
    const dir = mkdtempSync(path.join(root, 'booth-'));
    const code = await newCode('TL06');
    const wrong = await provision({ dataDir: dir, intakeUrl: url, code, pin: '482916', caFingerprint: 'ab'.repeat(32) });
    expect(wrong).toMatchObject({ ok: false, codeUnspent: true, reason: 'ca_mismatch' });
    expect(existsSync(techFiles(dir).credential)).toBe(false);
    const fp = createHash('sha256').update(new X509Certificate(ca).raw).digest('hex');
    expect(await provision({ dataDir: dir, intakeUrl: url, code, pin: '482916', caFingerprint: fp })).toMatchObject({
      ok: true,
      boothCode: 'TL06',
    });
    expect(readFileSync(loadConfig(dir).intakeCaFile!, 'utf8').trim()).toBe(ca.toString().trim());
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

describe('provisioning a running booth', () => {
  it('takes the new booth code, intake address and village CA at once: heartbeats and settings over TLS, no restart', async () => {
    const dir = mkdtempSync(path.join(root, 'running-'));
    // Started unprovisioned under the default booth code, as a fresh image does.
    const core = await BoothCore.create({ dataDir: dir, config: loadConfig(dir, { port: 0, heartbeatSec: 10 }), intakeUrl: null });
    try {
      await core.listen(0);
      expect(core.outOfService()).toBe('not_enrolled');
      writeFileSync(path.join(root, 'village-ca-2.pem'), ca);
      const cli = io();
      expect(
        await runCli(
          [
            'provision',
            '--code',
            await newCode('PR01'),
            '--intake',
            url,
            '--ca',
            path.join(root, 'village-ca-2.pem'),
            '--pin',
            '482916',
            '--data',
            dir,
          ],
          cli.io,
        ),
      ).toBe(0);
      // The heartbeat arrives under the new code, over TLS with the CA given at provisioning.
      const hb = await eventually(() => intake.delivery.latest('PR01'), 'a heartbeat from PR01', 20_000);
      expect(hb.version).toBeTruthy();
      expect(core.config.boothCode).toBe('PR01');
      expect(core.intakeUrl).toBe(url);
      expect(core.outOfService()).toBeNull();
      // The identity key comes over the same link (real name can be offered).
      expect(await core['intakeKey'].get()).not.toBeNull();
    } finally {
      await core.close();
    }
  });
});

describe('one link', () => {
  it('no booth module but the link connects to the intake on its own', () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d)) {
        const p = path.join(d, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    for (const d of ['main', 'uploader', 'drivers', 'lib']) walk(d);
    // httpStack.ts is the link's HTTP stack; the Electron shell's two fetches go to the booth core
    // on 127.0.0.1 (its own origin), not to the intake; booth doctor/status ask the booth core on
    // 127.0.0.1 (main/doctor/runtime.ts), not the intake either.
    const allowed = new Set(['uploader/httpStack.ts', 'main/doctor/runtime.ts']);
    const offenders = files.filter((f) => {
      if (allowed.has(f)) return false;
      const text = readFileSync(f, 'utf8');
      const fetches = [...text.matchAll(/\bfetch\(([^)]*)/g)].filter((m) => !/appOrigin/.test(m[1]!));
      return fetches.length > 0 || /\bhttps?\.request\(|from 'undici'/.test(text);
    });
    expect(offenders).toEqual([]);
  });
});
