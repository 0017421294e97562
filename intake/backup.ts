// `intake backup` / `intake restore` (issue 16; docs/DEPLOY.md "Backup and restore").
//
// A backup is a folder:
//   manifest.json        what is in it, each file's sha256, and the media manifest
//   database.sqlite      SQLite's online backup API (a consistent copy while the intake runs), or
//   database.pgdump      pg_dump -Fc of INTAKE_DATABASE_URL (a consistent snapshot)
//   keys/                INTAKE_DATA/keys: contact.key and the identity key pair (without them every
//                        sealed phone number and identity is unreadable; escrow them too)
//   media/               with the folder storage: every media file (originals, playback copies)
// With the object store the media are not copied: the manifest lists every object with its size
// (and the original's sha256 from the database) so a restore can check the bucket, and the bucket
// itself is protected by the store's own versioning or replication (docs/DEPLOY.md).
//
// Restore goes into an empty data folder (and, for Postgres, an empty database): files are checked
// against the manifest before anything is written, keys land with mode 0600.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { sha256File } from '../lib/durableFile.ts';
import { openStorage, type StorageSettings } from './media/storage.ts';
import { openPostgresStore, openSqliteStore } from './store/db.ts';

const run = promisify(execFile);
export const BACKUP_VERSION = 1;

export interface BackupManifest {
  version: number;
  createdAt: string;
  database: { kind: 'sqlite' | 'postgres'; file: string; sha256: string };
  keys: { file: string; sha256: string }[];
  storage: { kind: 'folder' | 's3'; where: string };
  /** Every media object; `copied` when its bytes are in this backup's media/ folder. */
  media: { key: string; size: number; sha256: string | null; copied: boolean }[];
}

export interface BackupSource {
  dataDir: string;
  databaseUrl?: string;
  storage: StorageSettings;
}

/** pg_dump / pg_restore: $PG_BIN, else Debian's PostgreSQL 15 folder, else PATH. */
function pgTool(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of [process.env.PG_BIN, '/usr/lib/postgresql/15/bin'])
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  return name;
}

async function listFiles(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  return (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort();
}

export async function backup(src: BackupSource, out: string, log: (line: string) => void = () => {}): Promise<BackupManifest> {
  if (existsSync(out) && readdirSync(out).length) throw new Error(`${out} is not empty`);
  await mkdir(path.join(out, 'keys'), { recursive: true });
  // 1. Database.
  let database: BackupManifest['database'];
  if (src.databaseUrl) {
    const file = path.join(out, 'database.pgdump');
    await run(pgTool('pg_dump'), ['-Fc', '--no-owner', '-f', file, src.databaseUrl], { maxBuffer: 16 * 1024 * 1024 });
    database = { kind: 'postgres', file: 'database.pgdump', sha256: (await sha256File(file)).sha256 };
  } else {
    const dbFile = path.join(src.dataDir, 'intake.db');
    if (!existsSync(dbFile)) throw new Error(`no intake database at ${dbFile}`);
    const sqlite = new Database(dbFile, { fileMustExist: true });
    try {
      await sqlite.backup(path.join(out, 'database.sqlite'));
    } finally {
      sqlite.close();
    }
    database = { kind: 'sqlite', file: 'database.sqlite', sha256: (await sha256File(path.join(out, 'database.sqlite'))).sha256 };
  }
  log(`database: ${database.kind} → ${database.file}`);
  // 2. Keys.
  const keys: BackupManifest['keys'] = [];
  for (const name of await listFiles(path.join(src.dataDir, 'keys'))) {
    await copyFile(path.join(src.dataDir, 'keys', name), path.join(out, 'keys', name));
    chmodSync(path.join(out, 'keys', name), 0o600);
    keys.push({ file: `keys/${name}`, sha256: (await sha256File(path.join(out, 'keys', name))).sha256 });
  }
  if (!keys.some((k) => k.file === 'keys/contact.key'))
    throw new Error(`no keys/contact.key in ${src.dataDir}: refusing a backup that could not open its cases`);
  log(`keys: ${keys.length} files`);
  // 3. Media: copied from a folder; listed (and left to the store's versioning) on the object store.
  const storage = await openStorage(src.storage, src.dataDir, 86_400_000);
  const originals = await originalHashes(src);
  const media: BackupManifest['media'] = [];
  for await (const o of storage.media.list()) {
    if (storage.media.kind === 'folder') {
      const to = path.join(out, 'media', o.key);
      await mkdir(path.dirname(to), { recursive: true });
      await storage.media.getFile(o.key, to);
      media.push({ key: o.key, size: o.size, sha256: (await sha256File(to)).sha256, copied: true });
    } else {
      media.push({ key: o.key, size: o.size, sha256: originals.get(o.key) ?? null, copied: false });
    }
  }
  log(
    `media: ${media.length} objects ${storage.media.kind === 'folder' ? 'copied' : `listed (on ${storage.media.where}: use the store's versioning or replication)`}`,
  );
  const manifest: BackupManifest = {
    version: BACKUP_VERSION,
    createdAt: new Date().toISOString(),
    database,
    keys,
    storage: { kind: storage.media.kind, where: storage.media.where },
    media,
  };
  await writeFile(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 1)}\n`);
  return manifest;
}

/** The sha256 of every original as the database recorded it when the booth delivered it. */
async function originalHashes(src: BackupSource): Promise<Map<string, string>> {
  const db = src.databaseUrl ? await openPostgresStore(src.databaseUrl) : await openSqliteStore(path.join(src.dataDir, 'intake.db'));
  try {
    const rows = await db.selectFrom('case_items').select(['file', 'sha256']).execute();
    return new Map(rows.map((r) => [r.file, r.sha256]));
  } finally {
    await db.destroy();
  }
}

export interface RestoreReport {
  database: string;
  keys: number;
  mediaRestored: number;
  /** Object-store media the manifest lists that the store does not hold (or holds at another size). */
  mediaMissing: string[];
}

export async function restore(from: string, target: BackupSource, log: (line: string) => void = () => {}): Promise<RestoreReport> {
  const manifest = JSON.parse(await readFile(path.join(from, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.version !== BACKUP_VERSION) throw new Error(`backup version ${manifest.version} is not ${BACKUP_VERSION}`);
  // Check every file against the manifest before writing anything.
  const check = async (rel: string, sha256: string) => {
    const actual = await sha256File(path.join(from, rel));
    if (actual.sha256 !== sha256) throw new Error(`${rel} does not match the backup's manifest`);
  };
  await check(manifest.database.file, manifest.database.sha256);
  for (const k of manifest.keys) await check(k.file, k.sha256);
  for (const m of manifest.media) if (m.copied && m.sha256) await check(path.join('media', m.key), m.sha256);
  if (existsSync(path.join(target.dataDir, 'intake.db')) || (await listFiles(path.join(target.dataDir, 'keys'))).length) {
    throw new Error(`${target.dataDir} already holds an intake (intake.db or keys/): restore into an empty data folder`);
  }
  // Keys.
  await mkdir(path.join(target.dataDir, 'keys'), { recursive: true, mode: 0o700 });
  for (const k of manifest.keys) {
    const to = path.join(target.dataDir, k.file);
    await copyFile(path.join(from, k.file), to);
    chmodSync(to, 0o600);
  }
  log(`keys: ${manifest.keys.length} files`);
  // Database: into a SQLite file, or an empty Postgres database.
  if (target.databaseUrl) {
    if (manifest.database.kind !== 'postgres')
      throw new Error('this backup holds a SQLite database; restore it without INTAKE_DATABASE_URL');
    await run(pgTool('pg_restore'), ['--no-owner', '--exit-on-error', '-d', target.databaseUrl, path.join(from, manifest.database.file)], {
      maxBuffer: 16 * 1024 * 1024,
    });
  } else {
    if (manifest.database.kind !== 'sqlite')
      throw new Error('this backup holds a PostgreSQL dump; restore it with INTAKE_DATABASE_URL set to an empty database');
    await copyFile(path.join(from, manifest.database.file), path.join(target.dataDir, 'intake.db'));
  }
  log(`database: ${manifest.database.kind}`);
  // Media.
  const storage = await openStorage(target.storage, target.dataDir, 86_400_000);
  let mediaRestored = 0;
  const mediaMissing: string[] = [];
  for (const m of manifest.media) {
    if (m.copied) {
      await storage.media.putFile(m.key, path.join(from, 'media', m.key));
      mediaRestored++;
    } else if ((await storage.media.size(m.key)) !== m.size) {
      mediaMissing.push(m.key);
    }
  }
  log(
    `media: ${mediaRestored} restored${mediaMissing.length ? `, ${mediaMissing.length} listed objects missing from ${storage.media.where}` : ''}`,
  );
  return { database: manifest.database.kind, keys: manifest.keys.length, mediaRestored, mediaMissing };
}
