// `booth idcard read` as a technician runs it: a real process against the simulator on a socat pty.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtySimulator, type PtySimulator } from '../../../drivers/idcard/simulator/pty.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { runCli } from '../../../main/cli.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function booth(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], { cwd: root, env: { ...process.env, LOG_LEVEL: 'info' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let sim: PtySimulator;
beforeAll(async () => { sim = await startPtySimulator(); });
afterAll(async () => { await sim?.stop(); });

describe('booth idcard read', () => {
  it('--json prints exactly one JSON object of the documented shape and exits 0', async () => {
    sim.reader.present(findFixture('resident-long-term')!);
    const r = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '20']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      cardType: 'resident', name: '李样例', gender: 'female', nation: '满', birthDate: '1952-08-15', address: '北京市丰台区示例村3号',
      idNumber: '110106195208150043', authority: '北京市公安局丰台分局', validFrom: '2012-01-09', validTo: 'long-term',
    });
    // The logs (stderr) never carry the identity.
    expect(r.stderr).not.toContain('110106195208150043');
    expect(r.stderr).not.toContain('李样例');
    sim.reader.remove();
  });

  it('type-specific fields for a J card', async () => {
    sim.reader.present(findFixture('hk-mo-tw')!);
    const r = await booth(['idcard', 'read', '--port', sim.portPath, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ cardType: 'hk-mo-tw', nation: null, passNumber: 'H00000001', issueCount: 1 });
    sim.reader.remove();
  });

  it('without --json prints a masked summary', async () => {
    sim.reader.present(findFixture('resident')!);
    const out: string[] = [];
    const code = await runCli(['idcard', 'read', '--port', sim.portPath], { out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(0);
    expect(out).toEqual(['resident card: 张** 男 110***********1235 valid 2020-05-01 – 2040-05-01']);
    sim.reader.remove();
  });

  it('fails with one line on stderr: unreadable card, no card in time, missing port', async () => {
    sim.reader.present(findFixture('bad-check-digit')!);
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(await runCli(['idcard', 'read', '--port', sim.portPath, '--json'], io)).toBe(1);
    expect(err).toEqual(['the card was read but the ID number failed its check digit (corrupted read)']);
    sim.reader.remove();

    err.length = 0;
    expect(await runCli(['idcard', 'read', '--port', sim.portPath, '--timeout', '1'], io)).toBe(1);
    expect(err).toEqual(['no card within 1 s']);

    const r = await booth(['idcard', 'read', '--port', '/nonexistent/ttyUSB9', '--json']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n').filter((l) => !l.startsWith('{'))).toHaveLength(1);
  });
});

describe('booth idcard simulate', () => {
  it('prints the port path first, obeys commands, and a reader reads from it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', 'idcard', 'simulate', '--present', 'foreign-2023'], { cwd: root });
    const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!)));
    try {
      const out: string[] = [];
      expect(await runCli(['idcard', 'read', '--port', port, '--json'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
      expect(JSON.parse(out[0]!)).toMatchObject({ cardType: 'foreign-2023', nationality: 'ZZZ' });
      child.stdin.write('remove\nfault status read 41\npresent resident\n');
      const err: string[] = [];
      expect(await runCli(['idcard', 'read', '--port', port, '--timeout', '5'], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
      expect(err[0]).toMatch(/could not be read.*SW3 41/);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end('quit\n');
      await exited;
    }
  });
});
