// A real load balancer in front of several intake processes: Debian's HAProxy 2.6 as a plain
// process (`haproxy -f cfg -db`), on 127.0.0.1 with a free port, stopped by process id. The
// configuration is docs/DEPLOY.md's `haproxy.cfg` block as written; only what a test on loopback
// must change is changed: the `bind` line (a free port, no TLS), `X-Forwarded-Proto http`, and
// the `server` lines (the test's intake ports). Anything else in the document runs as it stands.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './postgres.ts';

export const HAPROXY = '/usr/sbin/haproxy';
const DEPLOY_MD = new URL('../docs/DEPLOY.md', import.meta.url);

export function haproxyAvailable(): boolean {
  return existsSync(HAPROXY);
}

export interface LoadBalancer {
  url: string;
  port: number;
  /** For a failing test's message: HAProxy's per-server counters (`show stat` CSV rows: name, status, sessions, 5xx…), nginx's error log tail. */
  stats(): Promise<string>;
  stop(): Promise<void>;
}

/** Starts the balancer and resolves once it forwards to an intake (/api/v1/live); on failure its stderr and error log are in the error. */
async function launch(name: string, bin: string, args: string[], port: number, dir: string) {
  const child = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 30_000;
  for (;;) {
    if (
      await fetch(`${url}/api/v1/live`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return { child, exited, url };
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      const log = path.join(dir, 'error.log');
      const tail = existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : '';
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`${name} did not start: ${err} ${tail}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** DEPLOY.md's ```haproxy block, verbatim. */
export function deployHaproxyConfig(): string {
  const m = /```haproxy\n([\s\S]*?)```/.exec(readFileSync(DEPLOY_MD, 'utf8'));
  if (!m) throw new Error('docs/DEPLOY.md has no ```haproxy block');
  return m[1]!;
}

/** DEPLOY.md's configuration on loopback: `port` in front, `backends` behind. */
export function haproxyConfig(port: number, backends: number[], statsSocket?: string): string {
  const lines = deployHaproxyConfig().split('\n');
  const out: string[] = [];
  let servers = 0;
  for (const line of lines) {
    if (/^\s*bind\s/.test(line)) out.push(`  bind 127.0.0.1:${port}`);
    else if (/X-Forwarded-Proto https$/.test(line)) out.push(line.replace(/https$/, 'http'));
    else if (/^\s*server\s/.test(line)) {
      if (servers++ === 0) backends.forEach((b, i) => out.push(`  server intake${i + 1} 127.0.0.1:${b}`));
    } else out.push(line);
    if (statsSocket && /^global\s*$/.test(line)) out.push(`  stats socket ${statsSocket} mode 600 level user`);
  }
  if (!servers) throw new Error('DEPLOY.md haproxy block has no server lines');
  return out.join('\n');
}

/** `port`: the front's port when the caller needs to know it first (the intakes' public URL). */
export async function startHaproxy(backends: number[], port?: number): Promise<LoadBalancer> {
  if (!haproxyAvailable()) throw new Error('HAProxy is required (scripts/setup.sh installs haproxy)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haproxy-'));
  port ??= await freePort();
  const cfg = path.join(dir, 'haproxy.cfg');
  const socket = path.join(dir, 'stats.sock');
  writeFileSync(cfg, haproxyConfig(port, backends, socket));
  const { child, exited, url } = await launch('haproxy', HAPROXY, ['-f', cfg, '-db'], port, dir);
  return {
    url,
    port,
    async stats() {
      return new Promise<string>((resolve) => {
        let out = '';
        const s = net.createConnection(socket, () => s.end('show stat\n'));
        s.on('data', (c: Buffer) => (out += c.toString()));
        s.on('close', () =>
          resolve(
            out
              .split('\n')
              .filter((l) => l && !l.startsWith('#'))
              .map((l) => {
                const f = l.split(',');
                // pxname,svname,…,stot(7),…,status(17),…,hrsp_5xx(43)
                return `${f[0]}/${f[1]} ${f[17]} sessions=${f[7]} 5xx=${f[43]}`;
              })
              .join('; '),
          ),
        );
        s.on('error', (e) => resolve(`stats unavailable: ${e.message}`));
      });
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// nginx from Debian the same way: docs/DEPLOY.md's ```nginx block as written inside a minimal
// nginx.conf (no daemon, pid, logs and temp folders in a temp directory); only the `listen` line
// (a loopback port, no TLS), the `ssl_*` lines and the upstream's servers (the test's intake
// ports) differ. Everything else (request bodies streamed, X-Forwarded-* headers, timeouts) runs as
// the document says.
export const NGINX = '/usr/sbin/nginx';

export function nginxAvailable(): boolean {
  return existsSync(NGINX);
}

/** DEPLOY.md's ```nginx block, verbatim. */
export function deployNginxConfig(): string {
  const m = /```nginx\n([\s\S]*?)```/.exec(readFileSync(DEPLOY_MD, 'utf8'));
  if (!m) throw new Error('docs/DEPLOY.md has no ```nginx block');
  return m[1]!;
}

/** DEPLOY.md's nginx server block on loopback: `port` in front, `backends` behind, inside an nginx.conf. */
export function nginxConfig(port: number, backends: number[], dir: string): string {
  let upstreams = 0;
  const block = deployNginxConfig()
    .split('\n')
    .flatMap((line) => {
      if (/^\s*upstream\s+intake\s*\{/.test(line)) {
        upstreams++;
        return [`upstream intake { ${backends.map((b) => `server 127.0.0.1:${b};`).join(' ')} }`];
      }
      if (/^\s*listen\s/.test(line)) return [`  listen 127.0.0.1:${port};`];
      if (/^\s*ssl_/.test(line)) return [];
      return [line];
    })
    .join('\n');
  if (upstreams !== 1) throw new Error('DEPLOY.md nginx block has no one-line `upstream intake { … }`');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/${t};`).join('\n');
  return `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log warn;\nevents { worker_connections 256; }\nhttp {\n  access_log off;\n${temp}\n${block}\n}\n`;
}

export async function startNginx(backends: number[], port?: number): Promise<LoadBalancer> {
  if (!nginxAvailable()) throw new Error('nginx is required (scripts/setup.sh installs nginx)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nginx-'));
  // Run as root, nginx's workers are `nobody`: they write request bodies (if any) to the temp folders.
  chmodSync(dir, 0o777);
  port ??= await freePort();
  const cfg = path.join(dir, 'nginx.conf');
  writeFileSync(cfg, nginxConfig(port, backends, dir));
  const { child, exited, url } = await launch('nginx', NGINX, ['-c', cfg, '-p', dir, '-e', path.join(dir, 'error.log')], port, dir);
  return {
    url,
    port,
    stats: () =>
      Promise.resolve(existsSync(path.join(dir, 'error.log')) ? readFileSync(path.join(dir, 'error.log'), 'utf8').slice(-2000) : ''),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
