// Child process for the crash test: the real booth core (worker included) against an intake URL.
//   tsx tests/support/crashBooth.ts <dataDir> <intakeUrl> <token> drive <count>
//     saves <count> submissions through the core (session → item → submit) while the worker
//     delivers; prints "RECEIPT <submissionId> <caseNumber>" after each receipt;
//   tsx tests/support/crashBooth.ts <dataDir> <intakeUrl> <token> drain
//     only delivers; prints "EMPTY" once the queue is empty.
// The parent kills it with SIGKILL at random moments.
import { readFileSync } from 'node:fs';
import { BoothConfig } from '../../main/config.ts';
import { BoothCore } from '../../main/core.ts';

const [dataDir, intakeUrl, token, mode, countArg] = process.argv.slice(2) as [string, string, string, string, string?];
const media = JSON.parse(process.env.CRASH_MEDIA ?? '[]') as { file: string; kind: 'photo' | 'video' | 'audio'; mime: string }[];

const config = BoothConfig.parse({
  port: 0,
  boothCode: 'CR01',
  intakeToken: token,
  upload: { retryBaseMs: 20, retryCapMs: 200, pollMs: 50, idleTimeoutMs: 1_000, inRequestDelaysMs: [0, 20], concurrency: 2 },
});
const core = await BoothCore.create({ dataDir, config, intakeUrl });
await core.listen(0);
console.log('READY');

if (mode === 'drive') {
  const count = Number(countArg ?? 5);
  for (let n = 0; n < count; n++) {
    const session = core.sessions.start('zh-CN', Date.now());
    const pick = media.slice(0, 1 + (n % media.length));
    for (const m of pick) await core.sessions.addItem(session.id, m.kind, m.mime, m.kind === 'photo' ? 'document' : 'face', readFileSync(m.file));
    const receipt = await core.submit(session.id, { phone: null, category: null, location: null });
    console.log(`RECEIPT ${receipt.submissionId} ${receipt.caseNumber}`);
  }
}
for (;;) {
  if (core.outbox.summary().waiting === 0) console.log('EMPTY');
  await new Promise((r) => setTimeout(r, 100));
}
