// The booth core alone in its own process, the one way the bench starts a core: the memory bench
// measures its resident set and nothing else (no intake, no bench harness, no Playwright in the same
// heap), and the timings of the core and the kiosk are not taken on the bench's own event loop.
//   node --expose-gc --import tsx bench/coreChild.ts <dataDir> <intakeUrl> <token>
// Prints "READY <coreUrl> <apiToken> <kioskUrl>" once it listens. Then reads commands on stdin, one a
// line, and answers each with one line on stdout (rig.ts CoreProcess.ask):
//   gc               a full garbage collection, then "GC <process.memoryUsage() and dbBytes as JSON>", so
//                    the parent reads RSS and the JS heap after the same kind of collection each time
//   snapshot <file>  a V8 heap snapshot written to <file> (to compare two points of a run), "SNAPSHOT"
import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { writeHeapSnapshot } from 'node:v8';
import { DEFAULT_BOOTH_SETTINGS } from '../contract/booth.ts';
import { BoothConfig } from '../main/config.ts';
import { BoothCore } from '../main/core.ts';

const [dataDir, intakeUrl, token] = process.argv.slice(2) as [string, string, string];
// An intake address that refuses connections: the upload worker keeps retrying with backoff, as on
// a booth whose village network is down, which is the state in which memory must not creep.
const config = BoothConfig.parse({ port: 0, boothCode: 'BM01', intakeToken: token });
const core = await BoothCore.create({ dataDir, config, intakeUrl });
await core.settings.offer({ ...DEFAULT_BOOTH_SETTINGS, revision: 1 });
// BENCH_CORE_DB_CACHE_KIB: a smaller bound on booth.db's page cache for this run (resident.ts says why).
const dbCacheKiB = Number(process.env.BENCH_CORE_DB_CACHE_KIB ?? 0);
if (dbCacheKiB > 0) core.db.pragma(`cache_size = -${dbCacheKiB}`);
await core.listen(0);
const gc = (globalThis as { gc?: () => void }).gc;
createInterface({ input: process.stdin }).on('line', (line) => {
  const [command, arg] = line.split(' ');
  if (command === 'gc') {
    gc?.();
    // booth.db's size as SQLite sees it (pages × page size), whatever part of it is still in the WAL.
    const dbBytes = Number(core.db.pragma('page_count', { simple: true })) * Number(core.db.pragma('page_size', { simple: true }));
    writeSync(1, `GC ${JSON.stringify({ ...process.memoryUsage(), dbBytes })}\n`);
  } else if (command === 'snapshot' && arg) {
    writeHeapSnapshot(arg);
    writeSync(1, 'SNAPSHOT\n');
  } else writeSync(1, `UNKNOWN ${line}\n`);
});
let stopping: Promise<void> | null = null;
const stop = () => void (stopping ??= core.close().then(() => process.exit(0)));
process.on('SIGTERM', stop);
// The bench that started this core has gone (stdin closed): so does the core, never left behind.
process.stdin.on('end', stop);
writeSync(1, `READY ${core.url} ${core.token} ${core.kioskUrl}\n`);
