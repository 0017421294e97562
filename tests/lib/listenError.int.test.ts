// A port already taken: the intake and `npm start` say so in one line naming the port and the
// setting to change, exit 2, no stack (a second `npm start` used to die with a raw EADDRINUSE).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainListenError } from '../../lib/listenError.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');

function run(file: string, env: Record<string, string>): Promise<{ code: number; stderr: string }> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(INTAKE_|BOOTH_|KIOSK)/.test(k)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', file],
      { cwd: ROOT, env: { ...inherited, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 },
      (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
    );
  });
}

describe('explainListenError', () => {
  const t = { what: 'intake', host: '127.0.0.1', port: 4300, envVar: 'INTAKE_PORT' };
  it.each([
    ['EADDRINUSE', /already uses that port.*INTAKE_PORT=/],
    ['EACCES', /below 1024.*INTAKE_PORT=/],
    ['EADDRNOTAVAIL', /no such address/],
  ])('%s → a plain sentence', (code, text) => {
    expect(explainListenError(Object.assign(new Error('x'), { code }), t)).toMatch(text);
  });
  it('other errors are not explained away', () => {
    expect(explainListenError(new Error('boom'), t)).toBeNull();
    expect(explainListenError(null, t)).toBeNull();
  });
});

describe('a port in use, for real', () => {
  let blocker: Server;
  let port: number;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'portinuse-'));
  beforeAll(async () => {
    blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    port = (blocker.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise((r) => blocker.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm run intake: one line naming the port and INTAKE_PORT, exit 2', async () => {
    const r = await run('intake/start.ts', { INTAKE_PORT: String(port), INTAKE_DATA: path.join(dir, 'intake') });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `intake cannot listen on 127.0.0.1:${port}: another program already uses that port (is it already running?). Stop it, or choose another port with INTAKE_PORT=…`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('npm start: the booth core on a taken port says BOOTH_PORT, exit 2', async () => {
    const r = await run('main/start.ts', {
      BOOTH_PORT: String(port),
      INTAKE_PORT: '0',
      KIOSK: 'headless',
      BOOTH_DATA: path.join(dir, 'booth'),
      INTAKE_DATA: path.join(dir, 'intake2'),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`booth: the booth core cannot listen on 127.0.0.1:${port}: another program already uses that port`);
    expect(r.stderr).toContain('BOOTH_PORT=');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
