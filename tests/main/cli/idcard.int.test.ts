// `booth idcard read` as a technician runs it: a real process against the simulator on a socat pty.
// The processes run with LOG_LEVEL=info, so any driver log that reached stdout or stderr would show.
import { spawn } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtySimulator, type PtySimulator } from '../../../drivers/idcard/simulator/pty.ts';
import { findFixture } from '../../../drivers/idcard/simulator/cards.ts';
import { runCli } from '../../../main/cli.ts';

const root = path.resolve(import.meta.dirname, '../../..');

function booth(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli.ts', ...args], {
      cwd: root,
      env: { ...process.env, LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failure as the issue defines it: non-zero exit, nothing on stdout, exactly one line on stderr. */
function expectOneLineFailure(r: { code: number | null; stdout: string; stderr: string }): string {
  expect(r.code).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.endsWith('\n')).toBe(true);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]!.trim()).not.toBe('');
  return lines[0]!;
}

const COMMON_KEYS = ['cardType', 'name', 'gender', 'nation', 'birthDate', 'address', 'idNumber', 'authority', 'validFrom', 'validTo'];

// Written out from the issue's JSON shape and the test cards' invented identities (not derived from
// the fixtures' objects, so a fixture and a decoder that agreed on a wrong shape would still fail).
const EXPECTED: Record<string, Record<string, unknown>> = {
  resident: {
    cardType: 'resident',
    name: '张测试',
    gender: 'male',
    nation: '汉',
    birthDate: '1990-03-07',
    address: '北京市丰台区测试路1号院8号楼2单元101室',
    idNumber: '110106199003071235',
    authority: '北京市公安局丰台分局',
    validFrom: '2020-05-01',
    validTo: '2040-05-01',
  },
  'resident-long-term': {
    cardType: 'resident',
    name: '李样例',
    gender: 'female',
    nation: '满',
    birthDate: '1952-08-15',
    address: '北京市丰台区示例村3号',
    idNumber: '110106195208150043',
    authority: '北京市公安局丰台分局',
    validFrom: '2012-01-09',
    validTo: 'long-term',
  },
  'hk-mo-tw': {
    cardType: 'hk-mo-tw',
    name: '陈演示',
    gender: 'male',
    nation: null,
    birthDate: '1988-06-12',
    address: '北京市丰台区演示街道9号',
    idNumber: '810000198806120026',
    authority: '北京市公安局丰台分局',
    validFrom: '2021-03-15',
    validTo: '2026-03-15',
    passNumber: 'H00000001',
    issueCount: 1,
  },
  // 'I': no address on the card; the authority is the accepting authority's code as the chip carries it.
  'foreign-2017': {
    cardType: 'foreign-2017',
    name: '测试',
    gender: 'female',
    nation: null,
    birthDate: '1985-02-20',
    address: null,
    idNumber: 'ZZZ110085022001',
    authority: '1100',
    validFrom: '2019-07-01',
    validTo: '2029-07-01',
    englishName: 'SAMPLE, TESTER',
    nationality: 'ZZZ',
    cardVersion: '01',
  },
  // 'Y': neither an address nor an authority on the chip.
  'foreign-2023': {
    cardType: 'foreign-2023',
    name: '样本',
    gender: 'unstated',
    nation: null,
    birthDate: '1985-02-20',
    address: null,
    idNumber: '931156198502200030',
    authority: null,
    validFrom: '2024-01-10',
    validTo: '2034-01-10',
    englishName: 'EXAMPLE-PERSON, A LONG GIVEN NAME FOR TESTING',
    nationality: 'ZZZ',
    renewalCount: 0,
    previousNumber: null,
  },
};

const TYPE_KEYS: Record<string, string[]> = {
  resident: [],
  'hk-mo-tw': ['passNumber', 'issueCount'],
  'foreign-2017': ['englishName', 'nationality', 'cardVersion'],
  'foreign-2023': ['englishName', 'nationality', 'renewalCount', 'previousNumber'],
};

let sim: PtySimulator;
beforeAll(async () => {
  sim = await startPtySimulator();
});
afterAll(async () => {
  await sim?.stop();
});

describe('booth idcard read --json, every card type through the real CLI', () => {
  for (const [fixture, expected] of Object.entries(EXPECTED)) {
    it(`${fixture}: exactly one JSON object of the issue's shape on stdout, nothing on stderr, exit 0`, async () => {
      sim.reader.present(findFixture(fixture)!);
      try {
        const r = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '20']);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.endsWith('\n')).toBe(true);
        const lines = r.stdout.slice(0, -1).split('\n');
        expect(lines).toHaveLength(1);
        const json = JSON.parse(lines[0]!) as Record<string, unknown>;
        expect(json).toEqual(expected);
        // Common fields first, in the issue's order, always present (null rather than absent).
        expect(Object.keys(json)).toEqual([...COMMON_KEYS, ...TYPE_KEYS[json.cardType as string]!]);
        expect(['male', 'female', 'unknown', 'unstated']).toContain(json.gender);
        expect(json.birthDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(json.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(json.validTo).toMatch(/^(\d{4}-\d{2}-\d{2}|long-term)$/);
      } finally {
        sim.reader.remove();
      }
    });
  }
});

describe('booth idcard read', () => {
  it('--log FILE keeps the logs, redacted, out of stdout and stderr', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'idcard-cli-'));
    try {
      const logFile = path.join(dir, 'read.log');
      sim.reader.present(findFixture('resident')!);
      const r = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--log', logFile]);
      sim.reader.remove();
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const log = await fsp.readFile(logFile, 'utf8');
      expect(log).toContain('"msg":"card read"');
      expect(log).not.toContain('110106199003071235');
      expect(log).not.toContain('张测试');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  });

  it('without --json prints a masked summary', async () => {
    sim.reader.present(findFixture('resident')!);
    const out: string[] = [];
    const code = await runCli(['idcard', 'read', '--port', sim.portPath], { out: (l) => out.push(l), err: () => undefined });
    expect(code).toBe(0);
    expect(out).toEqual(['resident card: 张** 男 110***********1235 valid 2020-05-01 – 2040-05-01']);
    sim.reader.remove();
  });

  it('a card that fails once is read all the same: one spoilt answer, and separately one SW3 41; stderr gives the counts', async () => {
    try {
      sim.reader.present(findFixture('resident')!);
      sim.reader.faultOnce('readBase', 'bad-checksum');
      const spoilt = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '10']);
      expect(spoilt.code).toBe(0);
      expect(JSON.parse(spoilt.stdout)).toEqual(EXPECTED.resident);
      // The spoilt answer is resent at once; the simulated SAM has already read the card, so the
      // resent read answers 41 and the find/select/read cycle runs again.
      expect(spoilt.stderr).toBe('read after 1 command resent and 1 read retried\n');

      sim.reader.remove();
      sim.reader.present(findFixture('resident')!);
      sim.reader.faultOnce('readBase', { sw3: 0x41 });
      const moved = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '10']);
      expect(moved.code).toBe(0);
      expect(JSON.parse(moved.stdout)).toEqual(EXPECTED.resident);
      expect(moved.stderr).toBe('read after 0 commands resent and 1 read retried\n');
      expect(sim.reader.onceFaultsPending).toBe(0);
    } finally {
      sim.reader.clearFaults();
      sim.reader.remove();
    }
  });

  it('an unreadable card: one line on stderr, even though the driver logs a warning', async () => {
    sim.reader.present(findFixture('bad-check-digit')!);
    try {
      // A failing check digit may be a spoilt read, so it is retried until the deadline.
      const r = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '3']);
      expect(expectOneLineFailure(r)).toBe('the card was read but the ID number failed its check digit (corrupted read)');
      expect(r.code).toBe(1);
    } finally {
      sim.reader.remove();
    }
  });

  it('no card in time, a port that does not exist, a missing --port: one line on stderr each', async () => {
    const none = await booth(['idcard', 'read', '--port', sim.portPath, '--json', '--timeout', '1']);
    expect(expectOneLineFailure(none)).toBe('no card within 1 s');

    const gone = await booth(['idcard', 'read', '--port', '/nonexistent/ttyUSB9', '--json']);
    expect(expectOneLineFailure(gone)).toMatch(/^cannot open \/nonexistent\/ttyUSB9: /);

    const missing = await booth(['idcard', 'read', '--json']);
    expect(expectOneLineFailure(missing)).toMatch(/--port PATH is required/);
    expect(missing.code).toBe(2);
  });

  it('a native-USB port: absent here (exit 3), or malformed (exit 2, naming the form), in one line', async () => {
    const err: string[] = [];
    const io = { out: () => undefined, err: (l: string) => err.push(l) };
    expect(await runCli(['idcard', 'read', '--port', 'usb:0400:c35a', '--json'], io)).toBe(3);
    expect(await runCli(['idcard', 'read', '--port', 'usb:0400', '--json'], io)).toBe(2);
    expect(err).toEqual([
      'cannot open usb:0400:c35a: no USB device usb:0400:c35a',
      '"usb:0400" is not a USB reader port: expected usb:VVVV:PPPP or usb:VVVV:PPPP:BUS-ADDRESS (hex vendor and product ids, decimal bus and address, e.g. usb:0400:c35a:1-4)',
    ]);
  });
});

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('booth idcard simulate', () => {
  it('refuses a bad --baud, and --baud without --paced, in one line', async () => {
    for (const args of [
      ['--paced', '--baud', 'fast'],
      ['--baud', '9600'],
    ]) {
      const err: string[] = [];
      expect(await runCli(['idcard', 'simulate', ...args], { out: () => undefined, err: (l) => err.push(l) })).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^booth idcard simulate: --baud /);
    }
  });

  it('prints the port path first, obeys commands, and a reader reads from it (paced at the wire rate)', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'main/cli.ts', 'idcard', 'simulate', '--present', 'foreign-2023', '--paced'],
      { cwd: root },
    );
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const port = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString().split('\n')[0]!)));
    try {
      const out: string[] = [];
      expect(await runCli(['idcard', 'read', '--port', port, '--json'], { out: (l) => out.push(l), err: () => undefined })).toBe(0);
      expect(JSON.parse(out[0]!)).toMatchObject({ cardType: 'foreign-2023', nationality: 'ZZZ' });
      expect(stderr).toContain('line paced at 115200 baud');
      child.stdin.write('pace 9600\npace off\npace fast\n');
      await until(() => stderr.includes('usage: pace'));
      expect(stderr).toContain('pacing at 9600 baud');
      expect(stderr).toContain('pacing off');
      expect(stderr).toMatch(/usage: pace <baud>\|off \("fast" is not a baud rate/);
      child.stdin.write('remove\nfault status read 41\npresent resident\n');
      const err: string[] = [];
      expect(await runCli(['idcard', 'read', '--port', port, '--timeout', '5'], { out: () => undefined, err: (l) => err.push(l) })).toBe(1);
      expect(err[0]).toMatch(/could not be read.*SW3 41/);
      child.stdin.write('clear\nremove\nfault once status read 41\npresent resident\n');
      await until(() => stderr.includes('presented resident'));
      const once: string[] = [];
      expect(await runCli(['idcard', 'read', '--port', port, '--timeout', '5'], { out: () => undefined, err: (l) => once.push(l) })).toBe(
        0,
      );
      expect(once).toEqual(['read after 0 commands resent and 1 read retried']);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end('quit\n');
      await exited;
    }
  });
});
