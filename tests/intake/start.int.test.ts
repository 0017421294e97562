// `npm run intake` (intake/start.ts) as a real process: what it makes of its environment.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIntakeProcessToExit, startIntakeProcess } from '../support/intakeProcess.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'intake-start-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('npm run intake: INTAKE_UPLOAD_EXPIRY_DAYS', () => {
  it('a valid value is used, and the intake serves', async () => {
    const intake = await startIntakeProcess({ INTAKE_DATA: path.join(root, 'ok'), INTAKE_UPLOAD_EXPIRY_DAYS: '14' });
    try {
      expect(intake.stdout()).toMatch(/^partial uploads kept: 14 days$/m);
      expect((await fetch(`${intake.url}/api/v1/health`)).status).toBe(200);
    } finally {
      await intake.stop();
    }
  });

  it('a bad value stops the start with a message naming the variable', async () => {
    const r = await runIntakeProcessToExit({ INTAKE_DATA: path.join(root, 'bad'), INTAKE_UPLOAD_EXPIRY_DAYS: '7 days' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INTAKE_UPLOAD_EXPIRY_DAYS must be a whole number of days from 1 to 365');
    expect(r.stdout).not.toMatch(/^intake: http/m);
  });
});

describe('npm run intake: INTAKE_PUBLIC_URL', () => {
  it('a public URL with a path is refused at start, naming the variable', async () => {
    const r = await runIntakeProcessToExit({
      INTAKE_DATA: path.join(root, 'public'),
      INTAKE_PUBLIC_URL: 'https://intake.example.cn/staff',
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('INTAKE_PUBLIC_URL');
  });
});
