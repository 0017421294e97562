// Every diagnostic `booth` command creates nothing (issue 14): not the data folder, not booth.db,
// not its -wal/-shm, not a log file. A table over the commands, run in-process against three
// folders: one that does not exist (a plain message naming it, a non-zero exit), an empty one (a
// booth never started: no booth.db appears), and a real booth's folder with a queued submission
// (read-only commands leave every byte as it was).
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../main/cli.ts';
import { openBoothDb } from '../../../uploader/db.ts';
import { Outbox } from '../../../uploader/outbox.ts';

/** Every file under `dir` with its size and content hash (absent folder: null). */
function snapshot(dir: string): Record<string, string> | null {
  if (!existsSync(dir)) return null;
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) {
        out[path.relative(dir, p) + '/'] = 'dir';
        walk(p);
      } else out[path.relative(dir, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const root = mkdtempSync(path.join(os.tmpdir(), 'cli-diag-'));
const elsewhere = mkdtempSync(path.join(os.tmpdir(), 'cli-diag-out-'));
const previousData = process.env.BOOTH_DATA;
beforeAll(() => {
  delete process.env.BOOTH_DATA;
});
afterAll(() => {
  if (previousData !== undefined) process.env.BOOTH_DATA = previousData;
  rmSync(root, { recursive: true, force: true });
  rmSync(elsewhere, { recursive: true, force: true });
});

/** The diagnostic commands (everything but provision, which creates a booth, and idcard simulate). */
const commands = (data: string): { name: string; args: string[]; readOnly: boolean }[] => [
  { name: 'status', args: ['status', '--data', data], readOnly: true },
  { name: 'status --json', args: ['status', '--json', '--data', data], readOnly: true },
  { name: 'queue', args: ['queue', '--data', data], readOnly: true },
  { name: 'queue list --all --json', args: ['queue', 'list', '--all', '--json', '--data', data], readOnly: true },
  { name: 'queue error', args: ['queue', 'error', 'SIM01-20261207-0001', '--data', data], readOnly: true },
  { name: 'queue retry all', args: ['queue', 'retry', 'all', '--data', data], readOnly: false },
  { name: 'doctor', args: ['doctor', '--data', data], readOnly: true },
  { name: 'doctor --json', args: ['doctor', '--json', '--data', data], readOnly: true },
  {
    name: 'logs export',
    args: ['logs', 'export', '--out', path.join(elsewhere, `${randomUUID()}.tar.gz`), '--data', data],
    readOnly: true,
  },
];

describe('diagnostic commands on a data folder that does not exist', () => {
  for (const c of commands('/MISSING')) {
    it(`${c.name}: says so plainly, exits non-zero, creates nothing`, async () => {
      const missing = path.join(root, 'no-such-booth');
      const r = await run(c.args.map((a) => (a === '/MISSING' ? missing : a)));
      expect(r.code).not.toBe(0);
      expect(`${r.out}\n${r.err}`).toContain(`no booth data folder at ${missing}`);
      expect(`${r.out}\n${r.err}`).not.toMatch(/SQLITE|sqlite|ENOENT|Error:|\bat .*\.ts:\d+/);
      expect(existsSync(missing)).toBe(false);
      expect(readdirSync(root)).toEqual([]);
    });
  }
});

describe('diagnostic commands on a booth that never started (an empty folder)', () => {
  for (const c of commands('/EMPTY')) {
    it(`${c.name}: no booth.db and nothing else appears`, async () => {
      const empty = mkdtempSync(path.join(root, 'empty-'));
      const r = await run(c.args.map((a) => (a === '/EMPTY' ? empty : a)));
      expect(`${r.out}\n${r.err}`).not.toMatch(/SQLITE|sqlite|Error:/);
      expect(readdirSync(empty)).toEqual([]);
      if (c.name.startsWith('queue')) expect(`${r.out}\n${r.err}`).toMatch(/no submissions|nothing/i);
    });
  }
});

describe('read-only diagnostics on a real booth folder', () => {
  let booth: string;
  let before: Record<string, string> | null;
  beforeAll(() => {
    booth = path.join(root, 'booth');
    mkdirSync(booth);
    const db = openBoothDb(path.join(booth, 'booth.db'));
    new Outbox(db, 'Asia/Shanghai').commit(
      {
        id: randomUUID(),
        boothCode: 'SIM01',
        language: 'zh-CN',
        startedAt: new Date().toISOString(),
        details: { category: null, location: null },
        personalSealed: null,
        items: [],
      },
      Date.now(),
    );
    db.close();
    before = snapshot(booth);
    expect(Object.keys(before ?? {})).toEqual(['booth.db']);
  });

  for (const c of commands('/BOOTH').filter((x) => x.readOnly)) {
    it(`${c.name}: every byte stays as it was`, async () => {
      const r = await run(c.args.map((a) => (a === '/BOOTH' ? booth : a)));
      expect(`${r.out}\n${r.err}`).not.toMatch(/SQLITE|sqlite|Error:/);
      expect(snapshot(booth)).toEqual(before);
    });
  }

  it('queue lists the queued submission read-only', async () => {
    const r = await run(['queue', '--data', booth]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/SIM01-\d{8}-0001 +saved/);
  });
});
