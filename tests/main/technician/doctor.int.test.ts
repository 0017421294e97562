// booth doctor against real components: a fake sysfs/procfs tree, a reader on a socat
// pseudo-terminal that answers the SAM status command (or is unplugged), a real intake on
// 127.0.0.1 (up, down, credential accepted or refused) and a real outbox database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SerialPort } from 'serialport';
import { createIntake, type Intake } from '../../../intake/server.ts';
import { BoothConfig } from '../../../main/config.ts';
import { ALL_CHECKS } from '../../../main/doctor/checks.ts';
import { runDoctor } from '../../../main/doctor/run.ts';
import { saveMapping } from '../../../main/technician/mapping.ts';
import { fileProbes } from '../../../main/doctor/probes.ts';
import { techFiles, writeSecret } from '../../../main/technician/files.ts';

const GOOD = 'sb1.FT01.goodgoodgoodgoodgoodgoodgoodgoodgoodgoodgoo';
let root: string;
let intake: Intake;
let intakeUrl: string;
let socat: ChildProcess;
let responder: SerialPort;

async function waitFor(p: string) {
  for (let i = 0; i < 100 && !existsSync(p); i++) await new Promise((r) => setTimeout(r, 50));
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'doctor-'));
  intake = await createIntake({
    dataDir: path.join(root, 'intake'),
    fleet: { authenticateBooth: async (req) => (req.headers.authorization === `Bearer ${GOOD}` ? 'FT01' : null) },
  });
  intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
  socat = spawn('socat', [`pty,raw,echo=0,link=${root}/ttyA`, `pty,raw,echo=0,link=${root}/ttyB`], { stdio: 'ignore' });
  await waitFor(`${root}/ttyB`);
  // The "reader": answers SAM status (AA AA AA 96 69 00 03 11 FF ED) with status 90.
  responder = new SerialPort({ path: `${root}/ttyB`, baudRate: 115200 });
  responder.on('data', (d: Buffer) => {
    if (d.includes(Buffer.from('11ffed', 'hex'))) responder.write(Buffer.from('aaaaaa96690004000090' + '94', 'hex'));
  });
  await new Promise((r) => responder.once('open', r));
});

afterAll(async () => {
  await new Promise((r) => responder?.close(r));
  socat?.kill();
  await intake?.close().catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

function fakeTree(cams: string[]): { sys: string; proc: string } {
  const base = mkdtempSync(path.join(root, 'tree-'));
  cams.forEach((name, i) => {
    mkdirSync(path.join(base, 'sys/class/video4linux', `video${i}`), { recursive: true });
    writeFileSync(path.join(base, 'sys/class/video4linux', `video${i}`, 'name'), `${name}\n`);
    writeFileSync(path.join(base, 'sys/class/video4linux', `video${i}`, 'index'), '0\n');
  });
  mkdirSync(path.join(base, 'proc/asound'), { recursive: true });
  writeFileSync(path.join(base, 'proc/asound/pcm'), '00-00: USB Audio : USB Audio : capture 1\n');
  return { sys: path.join(base, 'sys'), proc: path.join(base, 'proc') };
}

async function doctor(o: { cams?: string[]; readerPort?: string; token?: string | null; intakeUrl?: string }) {
  const dataDir = mkdtempSync(path.join(root, 'booth-'));
  const t = fakeTree(o.cams ?? ['Face Cam', 'Doc Cam']);
  await saveMapping(dataDir, {
    faceCamera: { deviceId: 'a', label: 'Face Cam (046d:0825)' },
    documentCamera: { deviceId: 'b', label: 'Doc Cam' },
    microphone: null,
    readerPort: o.readerPort ?? `${root}/ttyA`,
  });
  if (o.token !== null) await writeSecret(techFiles(dataDir).credential, o.token ?? GOOD);
  const config = BoothConfig.parse({ boothCode: 'FT01', intakeUrl: o.intakeUrl ?? intakeUrl });
  const r = await runDoctor(ALL_CHECKS, fileProbes({ dataDir, config, sysRoot: t.sys, procRoot: t.proc }));
  return Object.fromEntries(r.checks.map((c) => [c.id, c.outcome.status]));
}

describe('booth doctor on real components', () => {
  it('all ok: cameras mapped and present, reader answers on its port, intake reachable, credential accepted', async () => {
    expect(await doctor({})).toEqual({
      cameras: 'ok',
      microphone: 'ok',
      reader: 'ok',
      disk: expect.any(String),
      clock: 'ok',
      intake: 'ok',
      credential: 'ok',
      queue: 'ok',
      versions: 'ok',
    });
  });

  it('no camera', async () => {
    expect((await doctor({ cams: [] })).cameras).toBe('fault');
  });

  it('reader unplugged (its port is gone)', async () => {
    expect((await doctor({ readerPort: `${root}/ttyUSB9` })).reader).toBe('fault');
  });

  it('bad credential', async () => {
    expect((await doctor({ token: 'sb1.FT01.wrongwrongwrongwrongwrongwrongwrongwrongwro' })).credential).toBe('fault');
    expect((await doctor({ token: null })).credential).toBe('fault');
  });

  it('intake down', async () => {
    const down = await doctor({ intakeUrl: 'http://127.0.0.1:9' });
    expect(down).toMatchObject({ intake: 'fault', credential: 'warn', clock: 'warn' });
  });
});
