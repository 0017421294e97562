// The enrolment endpoint on a real intake (SQLite file, Fastify inject).
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createIntake } from '../../../intake/server.ts';

describe('enrolment endpoint', () => {
  it('is rate limited per address (codes cannot be tried in bulk)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'enrol-rl-'));
    const intake = await createIntake({ dataDir: dir });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const r = await intake.app.inject({ method: 'POST', url: '/api/v1/enrol', payload: { code: 'AAAAA-BBBBB' } });
        statuses.push(r.statusCode);
      }
      expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await intake.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
