// `intake backup --out DIR` and `intake restore --from DIR` (intake/backup.ts). The same settings as
// `npm run intake`: INTAKE_DATA (or --data), INTAKE_DATABASE_URL, INTAKE_STORAGE and INTAKE_S3_*.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliIo } from '../lib/cli.ts';
import { backup, restore } from './backup.ts';
import { isPostgresUrl } from './store/db.ts';
import { storageFromEnv } from './media/storage.ts';

export async function backupCommand(
  verb: 'backup' | 'restore',
  argv: string[],
  io: CliIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { data: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' } } });
  const folder = verb === 'backup' ? values.out : values.from;
  if (!folder) {
    io.err(verb === 'backup' ? 'usage: intake backup --out DIR [--data DIR]' : 'usage: intake restore --from DIR [--data DIR]');
    return 2;
  }
  const databaseUrl = env.INTAKE_DATABASE_URL || undefined;
  if (databaseUrl !== undefined && !isPostgresUrl(databaseUrl)) {
    io.err('INTAKE_DATABASE_URL must be a postgres:// or postgresql:// URL');
    return 2;
  }
  let storage;
  try {
    storage = storageFromEnv(env);
  } catch (e) {
    io.err((e as Error).message);
    return 2;
  }
  const target = {
    dataDir: path.resolve(values.data ?? env.INTAKE_DATA ?? 'data/intake'),
    storage,
    ...(databaseUrl ? { databaseUrl } : {}),
  };
  try {
    if (verb === 'backup') {
      const m = await backup(target, path.resolve(folder), io.out);
      io.out(`backup written to ${path.resolve(folder)} (${m.media.length} media objects); copy it, and the keys in it, offline`);
      return 0;
    }
    const r = await restore(path.resolve(folder), target, io.out);
    if (r.mediaMissing.length) {
      io.err(`restored, but ${r.mediaMissing.length} media objects listed in the backup are missing from the object store:`);
      for (const k of r.mediaMissing.slice(0, 20)) io.err(`  ${k}`);
      return 1;
    }
    io.out(`restored into ${target.dataDir}`);
    return 0;
  } catch (e) {
    io.err(`${verb} failed: ${(e as Error).message}`);
    return 1;
  }
}
