// `booth logs export` against the planted redaction corpus (tests/fixtures/redaction/corpus.ts): the real
// command on a data folder whose log files hold raw lines (as an older version or another program may
// have written them), plus the units' log folder; the .tar.gz is read back with tar(1).
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { logsExportCommand } from '../../../main/logsExport/command.ts';
import { writeSupportBundle } from '../../../main/logsExport/bundle.ts';
import { CORPUS_LINES, KEPT_LINES, PLANTED, leaksIn } from '../../fixtures/redaction/corpus.ts';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
function tmp(prefix: string): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

function untar(file: string): Map<string, string> {
  const x = tmp('bundle-x-');
  execFileSync('tar', ['-xzf', file, '-C', x]);
  const out = new Map<string, string>();
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), `${rel}${e.name}/`);
      else out.set(`${rel}${e.name}`, readFileSync(path.join(d, e.name), 'utf8'));
    }
  };
  walk(x, '');
  return out;
}

describe('booth logs export', () => {
  it("collects the logs from the data folder and the units' folder, and no planted personal data or secret survives", async () => {
    const data = tmp('bundle-data-');
    const varLog = tmp('bundle-varlog-');
    mkdirSync(path.join(data, 'logs'));
    const raw = [...CORPUS_LINES, ...KEPT_LINES].join('\n');
    writeFileSync(path.join(data, 'logs', 'booth.log'), raw);
    writeFileSync(path.join(data, 'logs', 'booth.log.1'), CORPUS_LINES.slice().reverse().join('\n'));
    writeFileSync(path.join(varLog, 'kiosk.log'), CORPUS_LINES.join('\n'));
    // The booth's own settings may hold a secret too (a PIN hash, the credential): the documents are redacted as well.
    writeFileSync(path.join(data, 'booth.json'), JSON.stringify({ boothCode: 'FT01', printer: { kind: 'tcp', host: '10.0.0.9' } }));
    const out = path.join(data, 'support.tar.gz');
    const said: string[] = [];
    const previous = process.env.BOOTH_LOG_DIR;
    process.env.BOOTH_LOG_DIR = varLog;
    try {
      const code = await logsExportCommand.run(['--data', data, '--out', out], { out: (l) => said.push(l), err: (l) => said.push(l) });
      expect(code).toBe(0);
    } finally {
      if (previous === undefined) delete process.env.BOOTH_LOG_DIR;
      else process.env.BOOTH_LOG_DIR = previous;
    }
    expect(said.join('\n')).toMatch(/no personal data or credentials inside/);
    const files = untar(out);
    const names = [...files.keys()];
    expect(names).toEqual(
      expect.arrayContaining([
        'booth/logs/data-booth.log.txt',
        'booth/logs/data-booth.log.1.txt',
        'booth/logs/var-log-kiosk.log.txt',
        'booth/README.txt',
        'booth/doctor.json',
        'booth/config.json',
      ]),
    );
    const all = [...files.values()].join('\n');
    expect(leaksIn(all)).toEqual([]);
    // What a technician needs is still there, unchanged.
    const booth = files.get('booth/logs/data-booth.log.txt')!;
    for (const line of KEPT_LINES) expect(booth).toContain(line);
    expect(booth.split('\n')).toHaveLength(CORPUS_LINES.length + KEPT_LINES.length);
    expect(files.get('booth/config.json')).toContain('FT01');
  });

  it('documents are redacted by key at any depth', async () => {
    const dir = tmp('bundle-');
    const out = path.join(dir, 'support.tar.gz');
    const [id] = PLANTED.idNumbers as [string];
    await writeSupportBundle(
      {
        logs: async () => [],
        documents: async () => ({
          settings: { receiptText: '谢谢' },
          leak: {
            name: '张伟明',
            idNumber: id,
            credential: PLANTED.secrets[0],
            intakeToken: 'plain-secret-value',
            hash: { pinHash: '$argon2id$v=19$m=19456' },
          },
        }),
      },
      out,
      Date.UTC(2026, 10, 25),
    );
    const files = untar(out);
    expect([...files.keys()].sort()).toEqual(['booth/README.txt', 'booth/leak.json', 'booth/logs/none.txt', 'booth/settings.json']);
    const all = [...files.values()].join('\n');
    expect(all).toContain('谢谢');
    expect(leaksIn(all)).toEqual([]);
    for (const secret of ['plain-secret-value', 'argon2id']) expect(all).not.toContain(secret);
  });
});
