// A throwaway Postgres 15 from Debian's packages: initdb in a temp directory, a free port on
// 127.0.0.1, trust auth, stopped by process id. Postgres refuses to run as root, so when the tests
// run as root the server runs as the `postgres` system user (runuser).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function postgresAvailable(): boolean {
  return existsSync(path.join(PG_BIN, 'postgres')) && existsSync(path.join(PG_BIN, 'initdb'));
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

function asPgUser(cmd: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

export interface Postgres {
  url: string;
  /**
   * A fresh database on this server (one server per test file, one database per suite); its URL.
   * Empty, or a copy of `template` (a database of this server with no open connection).
   */
  createDatabase(name: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const [initCmd, initArgs] = asPgUser(path.join(PG_BIN, 'initdb'), [
    '-D',
    data,
    '-U',
    'test',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-locale',
    '-N',
  ]);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const port = await freePort();
  const [cmd, args] = asPgUser(path.join(PG_BIN, 'postgres'), [
    '-D',
    data,
    '-p',
    String(port),
    '-h',
    '127.0.0.1',
    '-k',
    dir,
    '-F',
    '-c',
    'fsync=off',
  ]);
  const proc: ChildProcess = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const until = Date.now() + 30_000;
  for (;;) {
    try {
      execFileSync(path.join(PG_BIN, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'test'], { stdio: 'pipe' });
      break;
    } catch {
      if (proc.exitCode !== null || Date.now() > until) throw new Error(`postgres did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const url = `postgres://test@127.0.0.1:${port}/postgres`;
  return {
    url,
    async createDatabase(name, template) {
      for (const n of [name, template ?? 'x']) if (!/^[a-z_][a-z0-9_]*$/.test(n)) throw new Error(`bad database name ${n}`);
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`create database ${name}${template ? ` template ${template} strategy file_copy` : ''}`);
      } finally {
        await client.end();
      }
      return `postgres://test@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        // Signal the postmaster itself (its pid is the first line of postmaster.pid; runuser does
        // not pass signals on). SIGINT = fast shutdown.
        const pid = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type StoreKind = 'sqlite' | 'postgres';

/**
 * Run a test file's suites on both intake stores: SQLite (the default) and Postgres (the scale-out
 * store). One Postgres server per file, started on first use; each suite gets its own database.
 * Call `stop()` in the file's afterAll.
 */
export function storeMatrix(file: string): {
  stores: StoreKind[];
  options(store: StoreKind, database: string): Promise<{ databaseUrl?: string }>;
  /** The file's Postgres server (started on first use), for what `options` does not cover (template databases). */
  postgres(): Promise<Postgres>;
  stop(): Promise<void>;
} {
  const available = postgresAvailable();
  if (!available)
    console.warn(`${file}: Postgres 15 binaries not found in ${PG_BIN} (apt-get install postgresql-15); running on SQLite only`);
  let server: Promise<Postgres> | undefined;
  const postgres = (): Promise<Postgres> => (server ??= startPostgres());
  return {
    stores: available ? ['sqlite', 'postgres'] : ['sqlite'],
    async options(store, database) {
      if (store === 'sqlite') return {};
      return { databaseUrl: await (await postgres()).createDatabase(database) };
    },
    postgres,
    async stop() {
      if (server) await (await server).stop();
    },
  };
}
