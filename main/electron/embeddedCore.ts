// The booth core started inside the packaged app's main process (no separate Node on a booth
// image: the Electron binary is the only runtime in the package). No Electron import here, so the
// bundle's core part is checked in plain Node (tests/main/electron/bundle.int.test.ts).
import path from 'node:path';
import { keepLogCopyIn } from '../../lib/log.ts';
import { loadConfig } from '../config.ts';
import { BoothCore } from '../core.ts';

export async function startEmbeddedCore(dataDir: string, port?: number): Promise<BoothCore> {
  const config = loadConfig(path.resolve(dataDir));
  // A copy of the (redacted) log in the data folder, for `booth logs export` (lib/log.ts).
  keepLogCopyIn(path.join(path.resolve(dataDir), 'logs'));
  // Not enrolled yet: the core starts anyway (a throw here was a crash loop under systemd) and
  // the kiosk shows its out-of-service screen until `booth provision` has run.
  const core = await BoothCore.create({ dataDir, config, intakeUrl: config.intakeUrl });
  await core.listen(port ?? config.port);
  return core;
}

// `node dist-electron/core.mjs DATA_DIR PORT`: the same bundle rules, run by the bundle test.
if (process.env.BOOTH_EMBEDDED_CORE_MAIN === '1') {
  const core = await startEmbeddedCore(process.argv[2] ?? 'data/booth', Number(process.argv[3] ?? 0));
  console.log(`core ${core.url} ${core.token}`);
  process.once('SIGTERM', () => void core.close().then(() => process.exit(0)));
}
