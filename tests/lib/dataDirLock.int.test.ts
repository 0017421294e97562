import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../lib/dataDirLock.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('data directory lock', () => {
  it('refuses while another live process holds it, takes over from a dead one', async () => {
    // A live process: a sleeping child whose pid is in the lock file.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
    writeFileSync(path.join(dir, 'core.lock'), String(child.pid));
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    const release = lockDataDir(dir); // stale: taken over
    expect(readFileSync(path.join(dir, 'core.lock'), 'utf8')).toBe(String(process.pid));
    // The same process may take it again (a core restarted in-process).
    const again = lockDataDir(dir);
    again();
    release();
    const third = lockDataDir(dir);
    third();
  });
});
