import { describe, expect, it } from 'vitest';
import { ALL_CHECKS, type DoctorProbes } from '../../../main/doctor/checks.ts';
import { doctorExitCode, formatReport, runDoctor } from '../../../main/doctor/run.ts';

const NOW = Date.UTC(2026, 10, 25, 4, 0);
const GiB = 1024 ** 3;

/** A healthy booth; each test breaks one thing. */
function probes(patch: Partial<DoctorProbes> = {}): DoctorProbes {
  return {
    cameras: async () => [{ label: 'USB Camera A' }, { label: 'Doc Cam B' }],
    microphones: async () => [{ label: 'USB Mic' }],
    mapping: async () => ({ faceCamera: 'USB Camera A', documentCamera: 'Doc Cam B', microphone: 'USB Mic', readerPort: '/dev/ttyUSB0' }),
    reader: async () => ({ present: true, responds: true }),
    disk: async () => ({ freeBytes: 80 * GiB, totalBytes: 120 * GiB }),
    clock: async () => ({ boothMs: NOW, intakeMs: NOW + 3000 }),
    intake: async () => ({ url: 'https://intake.example.cn', reachable: true }),
    credential: async () => 'ok',
    queue: async () => ({ depth: 0, oldestUnsentAgeMs: null, stuck: 0 }),
    versions: async () => ({ app: '0.1.0', node: 'v20.20.2', electron: null, intakeApi: 'v1' }),
    ...patch,
  };
}

async function outcome(patch: Partial<DoctorProbes>) {
  const r = await runDoctor(ALL_CHECKS, probes(patch));
  return { report: r, bad: r.checks.filter((c) => c.outcome.status !== 'ok').map((c) => `${c.id}:${c.outcome.status}`) };
}

describe('booth doctor', () => {
  it('a healthy booth passes every check and exits 0', async () => {
    const r = await runDoctor(ALL_CHECKS, probes());
    expect(r.checks.map((c) => c.outcome.status)).toEqual(Array(ALL_CHECKS.length).fill('ok'));
    expect(doctorExitCode(r)).toBe(0);
    expect(formatReport(r)).toContain(`All ${ALL_CHECKS.length} checks passed.`);
  });

  it.each<[string, Partial<DoctorProbes>, string[]]>([
    ['no camera', { cameras: async () => [] }, ['cameras:fault']],
    ['document camera unplugged', { cameras: async () => [{ label: 'USB Camera A' }] }, ['cameras:fault']],
    [
      'cameras not assigned yet',
      { mapping: async () => ({ faceCamera: null, documentCamera: null, microphone: null, readerPort: '/dev/ttyUSB0' }) },
      ['cameras:warn'],
    ],
    ['no microphone', { microphones: async () => [] }, ['microphone:fault']],
    ['reader unplugged', { reader: async () => ({ present: false, responds: false }) }, ['reader:fault']],
    ['reader silent', { reader: async () => ({ present: true, responds: false, error: 'timeout' }) }, ['reader:fault']],
    ['disk nearly full', { disk: async () => ({ freeBytes: 0.5 * GiB, totalBytes: 120 * GiB }) }, ['disk:fault']],
    ['disk getting low', { disk: async () => ({ freeBytes: 3 * GiB, totalBytes: 120 * GiB }) }, ['disk:warn']],
    ['clock 10 minutes off', { clock: async () => ({ boothMs: NOW, intakeMs: NOW - 10 * 60_000 }) }, ['clock:fault']],
    ['clock never set', { clock: async () => ({ boothMs: 0, intakeMs: NOW }) }, ['clock:fault']],
    [
      'intake down',
      {
        intake: async () => ({ url: 'https://intake.example.cn', reachable: false, error: 'ECONNREFUSED' }),
        clock: async () => ({ boothMs: NOW, intakeMs: null }),
        credential: async () => 'unknown',
      },
      ['clock:warn', 'intake:fault', 'credential:warn'],
    ],
    [
      'not enrolled',
      { intake: async () => ({ url: null, reachable: false }), credential: async () => 'missing' },
      ['intake:fault', 'credential:fault'],
    ],
    ['bad credential', { credential: async () => 'rejected' }, ['credential:fault']],
    ['revoked', { credential: async () => 'revoked' }, ['credential:fault']],
    ['queue stuck on a refused item', { queue: async () => ({ depth: 3, oldestUnsentAgeMs: 60_000, stuck: 1 }) }, ['queue:fault']],
    ['queue old', { queue: async () => ({ depth: 3, oldestUnsentAgeMs: 9 * 3600_000, stuck: 0 }) }, ['queue:warn']],
    [
      'intake speaks another API',
      { versions: async () => ({ app: '0.1.0', node: 'v20', electron: null, intakeApi: 'v2' }) },
      ['versions:fault'],
    ],
  ])('%s', async (_n, patch, expected) => {
    const { report, bad } = await outcome(patch);
    expect(bad).toEqual(expected);
    expect(doctorExitCode(report)).toBe(expected.some((e) => e.endsWith(':fault')) ? 1 : 0);
    // Every fault says what to do.
    for (const c of report.checks) if (c.outcome.status !== 'ok') expect(c.outcome.fix.length).toBeGreaterThan(10);
  });

  it('names the reader in plain words when the probe knows it (a native-USB reader)', async () => {
    const mapping = async () => ({
      faceCamera: 'USB Camera A',
      documentCamera: 'Doc Cam B',
      microphone: 'USB Mic',
      readerPort: 'usb:0400:c35a',
    });
    const name = '精伦 iDR200 family (SAM_V) on usb:0400:c35a';
    const ok = await runDoctor(ALL_CHECKS, probes({ mapping, reader: async () => ({ present: true, responds: true, name }) }));
    expect(formatReport(ok)).toContain(`reader answers: ${name}`);
    const gone = await runDoctor(ALL_CHECKS, probes({ mapping, reader: async () => ({ present: false, responds: false, name }) }));
    expect(formatReport(gone)).toContain(`The ID-card reader (${name}) is not there`);
  });

  it('a probe that throws becomes a fault of its own check only', async () => {
    const { bad } = await outcome({
      disk: async () => {
        throw new Error('statfs failed');
      },
    });
    expect(bad).toEqual(['disk:fault']);
  });

  it('a probe that hangs is cut off and reported', async () => {
    const r = await runDoctor(ALL_CHECKS, probes({ reader: () => new Promise(() => {}) }), 50);
    expect(r.checks.find((c) => c.id === 'reader')?.outcome.status).toBe('fault');
    expect(formatReport(r)).toMatch(/FAULT\s+ID-card reader: The id-card reader check did not finish/);
  });
});
