// What can be checked of the packaged app without an Electron binary: the shell bundle builds, it
// leaves electron and the native modules external (electron-builder unpacks those), and the core
// built with the same bundling rules starts in plain Node from dist-electron/ (renderer, package.json
// and migrations found by their import.meta.url paths), serves the kiosk and answers the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIntake, type Intake } from '../../../intake/server.ts';

let root: string;
let intake: Intake;
let child: ChildProcess | null = null;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'bundle-'));
  intake = await createIntake({ dataDir: path.join(root, 'intake') });
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-electron.ts'], { stdio: 'pipe' });
});
afterAll(async () => {
  if (child?.pid) process.kill(child.pid, 'SIGTERM');
  await intake?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the Electron bundle (without Electron)', () => {
  it('keeps electron and the native modules external', () => {
    const main = readFileSync('dist-electron/main.mjs', 'utf8');
    for (const mod of ['electron', 'better-sqlite3', 'electron-updater']) expect(main).toMatch(new RegExp(`from "${mod}"|require\\("${mod}"\\)`));
    expect(main).not.toMatch(/function Database\(filenameGiven/); // better-sqlite3's own code is not inlined
  });

  it('starts the core from the bundle and serves the kiosk', async () => {
    const intakeUrl = await intake.app.listen({ host: '127.0.0.1', port: 0 });
    const dataDir = path.join(root, 'booth');
    execFileSync('mkdir', ['-p', dataDir]);
    writeFileSync(path.join(dataDir, 'booth.json'), JSON.stringify({ boothCode: 'FT09', intakeUrl }));
    child = spawn(process.execPath, ['dist-electron/core.mjs', dataDir, '0'], { env: { ...process.env, BOOTH_EMBEDDED_CORE_MAIN: '1', LOG_LEVEL: 'silent' }, stdio: ['ignore', 'pipe', 'inherit'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child!.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /core (\S+) (\S+)/.exec(buf);
        if (m) resolve(m[0]);
      });
      child!.once('exit', (code) => reject(new Error(`core exited ${code}`)));
    });
    const [, url, token] = line.split(' ');
    const status = (await (await fetch(`${url}/api/status`, { headers: { 'x-booth-token': token! } })).json()) as { value: { boothCode: string } };
    expect(status.value.boothCode).toBe('FT09');
    expect(await (await fetch(`${url}/`)).text()).toMatch(/<div id="root">/);
  });
});
