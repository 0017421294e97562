import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli.ts';
import { techFiles } from '../../main/technician/files.ts';
import { ServiceDesk } from '../../main/technician/serviceDesk.ts';

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('booth CLI', () => {
  it('help lists the commands and exits 0; an unknown command exits 2', async () => {
    const a = io();
    expect(await runCli(['help'], a.io)).toBe(0);
    expect(a.out.join('\n')).toMatch(/^ {2}status +show the outbox/m);
    const b = io();
    expect(await runCli(['frobnicate'], b.io)).toBe(2);
    expect(b.err[0]).toMatch(/unknown command/);
  });

  it('status reads an empty outbox', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    try {
      const a = io();
      expect(await runCli(['status', '--data', dir, '--json'], a.io)).toBe(0);
      expect(JSON.parse(a.out[0]!)).toMatchObject({ boothCode: 'SIM01', waiting: 0, delivered: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('pin sets the service screen PIN before enrolment (a weak one is refused); the service desk opens with it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cli-'));
    try {
      const weak = io();
      expect(await runCli(['pin', '--pin', '123456', '--data', dir], weak.io)).toBe(2);
      expect(existsSync(techFiles(dir).pin)).toBe(false);
      const a = io();
      expect(await runCli(['pin', '--pin', '482916', '--data', dir], a.io)).toBe(0);
      const desk = new ServiceDesk(dir, () => 60_000, Date.now);
      expect(await desk.unlock('482916')).toMatchObject({ unlocked: true });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
