// A real S3-compatible object store for tests: Debian's OpenStack Swift (2.30) with its s3api
// middleware, one replica "all in one" on a temporary folder, on 127.0.0.1 with free ports
// (docs/TOOLCHAIN.md "An S3-compatible object store from Debian"). memcached (tempauth needs it),
// the account, container and object servers and the proxy run as plain processes started here and
// stopped by process id. S3 credentials: access key `test:tester`, secret `testing`, region us-east-1.
// Packages: scripts/setup.sh (swift swift-proxy swift-account swift-container swift-object
// python3-swift memcached).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './postgres.ts';
import os from 'node:os';
import path from 'node:path';

/** Debian has no swift-init; its python3 (not a pyenv shim first on PATH) has the swift module. */
const PYTHON = '/usr/bin/python3';
const SERVERS = ['account', 'container', 'object'] as const;

export function swiftAvailable(): boolean {
  return existsSync('/usr/bin/swift-proxy-server') && existsSync('/usr/bin/swift-object-server') && existsSync('/usr/bin/memcached');
}

export interface Swift {
  /** http://127.0.0.1:PORT of the proxy (the S3 endpoint). */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The folder the object servers write to (deleted by stop()). */
  dir: string;
  stop(): Promise<void>;
}

// Swift keeps a comment on a setting's line as part of its value: no comments in these files.
function serverConf(dir: string, kind: (typeof SERVERS)[number], port: number, user: string): string {
  return [
    '[DEFAULT]',
    'bind_ip = 127.0.0.1',
    `bind_port = ${port}`,
    `devices = ${path.join(dir, 'srv')}`,
    'mount_check = false',
    `swift_dir = ${dir}`,
    'workers = 1',
    `user = ${user}`,
    'log_level = WARNING',
    '',
    '[pipeline:main]',
    `pipeline = ${kind}-server`,
    '',
    `[app:${kind}-server]`,
    `use = egg:swift#${kind}`,
    '',
  ].join('\n');
}

function proxyConf(dir: string, port: number, memcachePort: number, user: string): string {
  return [
    '[DEFAULT]',
    'bind_ip = 127.0.0.1',
    `bind_port = ${port}`,
    `swift_dir = ${dir}`,
    'workers = 1',
    `user = ${user}`,
    'log_level = WARNING',
    '',
    '[pipeline:main]',
    'pipeline = catch_errors gatekeeper healthcheck proxy-logging cache listing_formats s3api tempauth copy slo dlo versioned_writes symlink proxy-logging proxy-server',
    '',
    '[app:proxy-server]',
    'use = egg:swift#proxy',
    'account_autocreate = true',
    'allow_account_management = true',
    '',
    '[filter:catch_errors]',
    'use = egg:swift#catch_errors',
    '[filter:gatekeeper]',
    'use = egg:swift#gatekeeper',
    '[filter:healthcheck]',
    'use = egg:swift#healthcheck',
    '[filter:proxy-logging]',
    'use = egg:swift#proxy_logging',
    '[filter:cache]',
    'use = egg:swift#memcache',
    `memcache_servers = 127.0.0.1:${memcachePort}`,
    '[filter:listing_formats]',
    'use = egg:swift#listing_formats',
    '[filter:s3api]',
    'use = egg:swift#s3api',
    'location = us-east-1',
    '[filter:tempauth]',
    'use = egg:swift#tempauth',
    'user_test_tester = testing .admin',
    '[filter:copy]',
    'use = egg:swift#copy',
    '[filter:slo]',
    'use = egg:swift#slo',
    '[filter:dlo]',
    'use = egg:swift#dlo',
    '[filter:versioned_writes]',
    'use = egg:swift#versioned_writes',
    'allow_object_versioning = true',
    '[filter:symlink]',
    'use = egg:swift#symlink',
    '',
  ].join('\n');
}

/** Builds the three one-device rings in one Python run (the ring builder CLI would take nine). */
function buildRings(dir: string, ports: Record<(typeof SERVERS)[number], number>): void {
  const script = [
    'import sys',
    'from swift.common.ring import RingBuilder',
    'd = sys.argv[1]',
    ...SERVERS.map((s) =>
      [
        'b = RingBuilder(8, 1, 1)',
        `b.add_dev({'id': 0, 'region': 1, 'zone': 1, 'ip': '127.0.0.1', 'port': ${ports[s]}, 'device': 'd1', 'weight': 100})`,
        'b.rebalance()',
        `b.save(d + '/${s}.builder')`,
        `b.get_ring().save(d + '/${s}.ring.gz')`,
      ].join('\n'),
    ),
  ].join('\n');
  execFileSync(PYTHON, ['-c', script, dir], { stdio: 'pipe' });
}

export async function startSwift(): Promise<Swift> {
  if (!swiftAvailable()) throw new Error('OpenStack Swift is required (scripts/setup.sh installs swift, swift-proxy, … and memcached)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'swift-'));
  mkdirSync(path.join(dir, 'srv', 'd1'), { recursive: true });
  const user = os.userInfo().username;
  const [memcachePort, proxyPort, account, container, object] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const ports = { account: account!, container: container!, object: object! };
  writeFileSync(
    path.join(dir, 'swift.conf'),
    [
      '[swift-hash]',
      'swift_hash_path_suffix = shuoba-test',
      'swift_hash_path_prefix = shuoba',
      '',
      '[storage-policy:0]',
      'name = Policy-0',
      'default = yes',
      '',
    ].join('\n'),
  );
  buildRings(dir, ports);
  const procs: ChildProcess[] = [];
  let log = '';
  const run = (cmd: string, args: string[]) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    p.stderr?.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-8_000)));
    procs.push(p);
    return p;
  };
  const stop = async () => {
    await Promise.all(
      procs.map(
        (p) =>
          new Promise<void>((resolve) => {
            if (p.exitCode !== null || p.signalCode !== null) return resolve();
            p.once('exit', () => resolve());
            p.kill('SIGTERM');
            setTimeout(() => p.kill('SIGKILL'), 5_000).unref();
          }),
      ),
    );
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run('/usr/bin/memcached', [
      '-l',
      '127.0.0.1',
      '-p',
      String(memcachePort),
      '-U',
      '0',
      '-m',
      '16',
      ...(process.getuid?.() === 0 ? ['-u', 'root'] : []),
    ]);
    for (const s of SERVERS) {
      const conf = path.join(dir, `${s}-server.conf`);
      writeFileSync(conf, serverConf(dir, s, ports[s], user));
      run(PYTHON, [`/usr/bin/swift-${s}-server`, conf]);
    }
    const conf = path.join(dir, 'proxy-server.conf');
    writeFileSync(conf, proxyConf(dir, proxyPort!, memcachePort!, user));
    run(PYTHON, ['/usr/bin/swift-proxy-server', conf]);
    const endpoint = `http://127.0.0.1:${proxyPort}`;
    // Ready when the proxy answers its health check and a tempauth login reaches the account.
    const until = Date.now() + 180_000; // Swift's Python starts slowly on a loaded 2-core machine
    for (;;) {
      const ok = await fetch(`${endpoint}/auth/v1.0`, { headers: { 'x-auth-user': 'test:tester', 'x-auth-key': 'testing' } })
        .then(async (r) => {
          if (r.status !== 200) return false;
          const acct = await fetch(r.headers.get('x-storage-url')!, {
            method: 'HEAD',
            headers: { 'x-auth-token': r.headers.get('x-auth-token')! },
          });
          return acct.status < 300;
        })
        .catch(() => false);
      if (ok) break;
      const dead = procs.find((p) => p.exitCode !== null);
      if (dead || Date.now() > until)
        throw new Error(`swift did not start${dead ? ` (${dead.spawnargs.join(' ')} exited ${dead.exitCode})` : ''}: ${log}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    return { endpoint, region: 'us-east-1', accessKeyId: 'test:tester', secretAccessKey: 'testing', dir, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
