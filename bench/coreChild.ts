// The booth core alone in its own process, the one way the bench starts a core: the memory bench
// measures its resident set and nothing else (no intake, no bench harness, no Playwright in the same
// heap), and the timings of the core and the kiosk are not taken on the bench's own event loop.
//   node --expose-gc --import tsx bench/coreChild.ts <dataDir> <intakeUrl> <token>
// Prints "READY <coreUrl> <apiToken> <kioskUrl>" once it listens. SIGUSR2 runs a full garbage collection
// and answers "GC" on stdout, so the parent reads RSS after the same kind of collection each time.
import { writeSync } from 'node:fs';
import { DEFAULT_BOOTH_SETTINGS } from '../contract/booth.ts';
import { BoothConfig } from '../main/config.ts';
import { BoothCore } from '../main/core.ts';

const [dataDir, intakeUrl, token] = process.argv.slice(2) as [string, string, string];
// An intake address that refuses connections: the upload worker keeps retrying with backoff, as on
// a booth whose village network is down, which is the state in which memory must not creep.
const config = BoothConfig.parse({ port: 0, boothCode: 'BM01', intakeToken: token });
const core = await BoothCore.create({ dataDir, config, intakeUrl });
await core.settings.offer({ ...DEFAULT_BOOTH_SETTINGS, revision: 1 });
await core.listen(0);
const gc = (globalThis as { gc?: () => void }).gc;
process.on('SIGUSR2', () => {
  gc?.();
  writeSync(1, 'GC\n');
});
process.on('SIGTERM', () => {
  void core.close().then(() => process.exit(0));
});
writeSync(1, `READY ${core.url} ${core.token} ${core.kioskUrl}\n`);
