// 立即上传 → receipt (durable) for a 60 s 1280×720 recording, and the SQLite commit rate with
// the pragmas the booth uses (WAL + synchronous=FULL).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { openBoothDb } from '../uploader/db.ts';
import { Outbox } from '../uploader/outbox.ts';
import { coreFetch, startStack } from '../tests/support/stack.ts';
import { median, type Bench } from './figure.ts';

export const bench: Bench = {
  title: 'Saving a submission',
  async run() {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-submit-'));
    try {
      const video = path.join(dir, 'rec60.webm');
      // Like MediaRecorder's output: VP8/Opus webm, 1280×720, 60 s.
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '60',
        '-c:v', 'libvpx', '-deadline', 'realtime', '-cpu-used', '8', '-b:v', '2M', '-c:a', 'libopus', '-b:a', '64k', video]);
      const bytes = readFileSync(video);
      const stack = await startStack();
      await stack.stopIntake(); // measure the booth alone; delivery is not on the receipt path
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = (await (await coreFetch(stack, '/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).json()) as { value: { sessionId: string } };
        const t0 = performance.now();
        await coreFetch(stack, `/api/sessions/${s.value.sessionId}/items?kind=video&mime=video/webm`, { method: 'PUT', headers: { 'content-type': 'video/webm' }, body: bytes });
        const r = await coreFetch(stack, `/api/sessions/${s.value.sessionId}/submit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        if (!r.ok) throw new Error(`submit failed: ${r.status}`);
        times.push(performance.now() - t0);
      }
      await stack.close();

      const db = openBoothDb(path.join(dir, 'rate.db'));
      const outbox = new Outbox(db, 'Asia/Shanghai');
      const n = 2000;
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        outbox.commit(
          { id: randomUUID(), boothCode: 'BENCH', language: 'zh-CN', startedAt: new Date().toISOString(), details: { category: null, location: null }, personalSealed: null,
            items: [{ idx: 0, itemId: randomUUID(), kind: 'video', mime: 'video/webm', camera: 'face', file: 'x/y.webm', size: 1, sha256: 'a'.repeat(64), durationSec: 1 }] },
          Date.UTC(2026, 0, 1) + i * 40_000, // spread over days: at most 9999 a day
        );
      }
      const rate = n / ((performance.now() - t0) / 1000);
      db.close();
      return [
        { name: '立即上传 → receipt, 60 s 1280×720 webm (' + (bytes.length / 1e6).toFixed(1) + ' MB), upload to core + ffprobe + fsync + commit, median of 5', value: Math.round(median(times)), unit: 'ms', goal: '< 2000 ms', met: median(times) < 2000 },
        { name: 'outbox commits (submission + item + case number, one transaction each), WAL + synchronous=FULL', value: Math.round(rate), unit: 'commits/s', goal: '> 100/s', met: rate > 100 },
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
