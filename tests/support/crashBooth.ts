// Child process for the crash test: the real booth core (worker included) against an intake URL.
//   node --import tsx tests/support/crashBooth.ts <dataDir> <intakeUrl> <token> drive <count>
//     saves <count> submissions through the core (session → item → submit) while the worker
//     delivers; prints "RECEIPT <submissionId> <caseNumber>" after each receipt;
//   … drain: only delivers; prints "EMPTY" once the queue is empty.
// CRASH_POINT makes the child SIGKILL itself at a named moment (the parent kills it at a random
// time otherwise): save (inside 立即上传, before the commit), commit (right after a receipt),
// upload (while an item's bytes are on the wire), ingest (the intake created the case; the booth
// has not recorded "delivered"), seal (the boot sweep is sealing a clear media file: its temporary
// file has bytes), check (a recording is in clear in sessions/ while the core checks it). It prints
// "KILL <point>" first. Only test code is wrapped here.
import { readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';

const [dataDir, intakeUrl, token, mode, countArg] = process.argv.slice(2) as [string, string, string, string, string?];
const media = JSON.parse(process.env.CRASH_MEDIA ?? '[]') as { file: string; kind: 'photo' | 'video' | 'audio'; mime: string }[];
const point = process.env.CRASH_POINT ?? '';
// Synchronous writes: a line must reach the parent even when the next statement is a SIGKILL.
const say = (line: string) => writeSync(1, `${line}\n`);
const die = (where: string) => {
  say(`KILL ${where}`);
  process.kill(process.pid, 'SIGKILL');
};

/** Dies as soon as a file under `dir` matching `hit` shows up (polled every millisecond, between the core's awaits). */
function dieWhen(where: string, dir: string, hit: (name: string, file: string) => boolean): void {
  const files = (d: string): string[] => {
    try {
      return readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(path.join(d, e.name)) : [path.join(d, e.name)],
      );
    } catch {
      return [];
    }
  };
  setInterval(() => {
    if (files(dir).some((f) => hit(path.basename(f), f))) die(where);
  }, 1).unref();
}
const sizeOf = (file: string) => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};
// The boot sweep seals a clear media file to `.<name>.<uuid>.tmp`, then renames it over the clear one.
if (point === 'seal') dieWhen('seal', path.join(dataDir, 'media'), (name, file) => name.endsWith('.tmp') && sizeOf(file) > 0);
// A recording's clear bytes (the upload, the remux, the checks) before the sealed copy replaces them.
if (point === 'check') dieWhen('check', path.join(dataDir, 'sessions'), (name) => /\.(webm|jpg)$/.test(name));

const config = BoothConfig.parse({
  port: 0,
  boothCode: 'CR01',
  intakeToken: token,
  upload: { retryBaseMs: 20, retryCapMs: 200, pollMs: 50, idleTimeoutMs: 1_000, inRequestDelaysMs: [0, 20], concurrency: 2 },
});
const core = await BoothCore.create({ dataDir, config, intakeUrl });

if (point === 'upload') {
  const upload = core.client.uploadItem.bind(core.client);
  core.client.uploadItem = (item, onUploadUrl, signal) =>
    upload(
      item,
      (url) => {
        onUploadUrl(url);
        // The URL is stored and the PATCH is starting: die while its bytes are on the wire.
        setImmediate(() => die('upload'));
      },
      signal,
    );
}
if (point === 'ingest') {
  const finalise = core.client.finalise.bind(core.client);
  core.client.finalise = async (manifest) => {
    const result = await finalise(manifest);
    if (result.ok) die('ingest');
    return result;
  };
}

await core.listen(0);
say('READY');

if (mode === 'drive') {
  const count = Number(countArg ?? 5);
  for (let n = 0; n < count; n++) {
    const session = core.sessions.start('zh-CN', Date.now());
    const pick = media.slice(0, 1 + (n % media.length));
    for (const m of pick)
      await core.sessions.addItem(session.id, m.kind, m.mime, m.kind === 'photo' ? 'document' : 'face', readFileSync(m.file));
    // Inside 立即上传: files are being moved into the outbox, the row is not committed yet.
    if (point === 'save' && n === 1) setImmediate(() => die('save'));
    const receipt = await core.submit(session.id, { phone: null, category: null, location: null });
    say(`RECEIPT ${receipt.submissionId} ${receipt.caseNumber}`);
    if (point === 'commit' && n === 1) die('commit');
  }
}
for (;;) {
  if (core.outbox.summary().waiting === 0) say('EMPTY');
  await new Promise((r) => setTimeout(r, 100));
}
