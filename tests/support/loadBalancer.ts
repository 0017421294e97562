// A real load balancer in front of several intake processes: Debian's HAProxy 2.6 as a plain
// process (`haproxy -f cfg -db`), on 127.0.0.1 with a free port, stopped by process id. The
// configuration is docs/DEPLOY.md's (round robin, health check on /api/v1/ready, forwarded headers)
// without TLS; short check intervals so a killed backend is taken out within a second.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './swift.ts';

export const HAPROXY = '/usr/sbin/haproxy';

export function haproxyAvailable(): boolean {
  return existsSync(HAPROXY);
}

export interface LoadBalancer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export function haproxyConfig(port: number, backends: number[]): string {
  return [
    'global',
    '  maxconn 1000',
    'defaults',
    '  mode http',
    '  timeout connect 2s',
    '  timeout client 300s',
    '  timeout server 300s',
    '  retries 3',
    '  option redispatch',
    'frontend intake',
    `  bind 127.0.0.1:${port}`,
    '  http-request set-header X-Forwarded-Proto http',
    '  http-request set-header X-Forwarded-Host %[req.hdr(host)]',
    '  option forwardfor',
    '  default_backend intakes',
    'backend intakes',
    '  balance roundrobin',
    '  option httpchk GET /api/v1/ready',
    ...backends.map((b, i) => `  server intake${i + 1} 127.0.0.1:${b} check inter 300 fall 2 rise 2`),
    '',
  ].join('\n');
}

/** `port`: the front's port when the caller needs to know it first (the intakes' public URL). */
export async function startHaproxy(backends: number[], port?: number): Promise<LoadBalancer> {
  if (!haproxyAvailable()) throw new Error('HAProxy is required (scripts/setup.sh installs haproxy)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'haproxy-'));
  port ??= await freePort();
  const cfg = path.join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, backends));
  const child = spawn(HAPROXY, ['-f', cfg, '-db'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (await fetch(`${url}/api/v1/live`).then((r) => r.ok, () => false)) break;
    if (child.exitCode !== null || Date.now() > until) {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`haproxy did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
