// The resident flow as a person feels it, in Debian Chromium with fake camera and microphone:
// tap → live preview, 停止 → review playback, 立即上传 → receipt with 1 video + 3 photos; and the
// booth core's memory after 500 sessions driven through its API (must stay flat).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { DEFAULT_BOOTH_SETTINGS } from '../contract/booth.ts';
import { launchKioskBrowser } from '../tests/support/chromium.ts';
import { sampleJpeg, sampleWebm } from '../tests/support/fakeMedia.ts';
import { startStack, type Stack } from '../tests/support/stack.ts';
import { median, type Bench, type BenchFigure } from './figure.ts';

declare global {
  interface Window {
    __t0: number;
  }
}

type Ready = 'preview' | 'playback' | 'receipt';

/** Milliseconds from the next pointerdown on `name` to `ready` being true in the page (polled every frame). */
async function timeTap(page: Page, name: string | RegExp, ready: Ready): Promise<number> {
  await page.evaluate(() => {
    window.__t0 = 0;
    document.addEventListener('pointerdown', () => (window.__t0 = performance.now()), { capture: true, once: true });
  });
  await page.getByRole('button', { name, exact: typeof name === 'string' }).click();
  // A function, not a string: the kiosk's CSP forbids eval.
  const handle = await page.waitForFunction(
    (what: Ready) => {
      const v = document.querySelector('video.preview') as HTMLVideoElement | null;
      const item = document.querySelector('.item video') as HTMLVideoElement | null;
      const ok =
        what === 'preview' ? !!v && v.videoWidth > 0 && v.currentTime > 0 : what === 'playback' ? !!item && item.readyState >= 2 : (document.querySelector('[data-testid="case-number"]')?.textContent ?? '').length > 10;
      return ok && window.__t0 ? performance.now() - window.__t0 : false;
    },
    ready,
    { timeout: 30_000, polling: 'raf' },
  );
  return Number(await handle.jsonValue());
}

async function uiFigures(stack: Stack): Promise<BenchFigure[]> {
  const browser = await launchKioskBrowser();
  const preview: number[] = [];
  const playback: number[] = [];
  const receipt: number[] = [];
  try {
    for (let round = 0; round < 5; round++) {
      const page = await browser.context.newPage();
      await page.goto(stack.kioskUrl);
      await page.getByRole('button', { name: '录像', exact: true }).click();
      await page.getByRole('button', { name: /匿名反映/ }).click();
      preview.push(await timeTap(page, '不留电话', 'preview'));
      await page.getByRole('button', { name: '开始录像' }).click();
      await page.getByRole('button', { name: '停止' }).waitFor();
      await page.waitForTimeout(2000);
      playback.push(await timeTap(page, '停止', 'playback'));
      await page.getByRole('button', { name: '再加拍照' }).click();
      for (let i = 0; i < 3; i++) {
        await page.waitForFunction(() => (document.querySelector('video.preview') as HTMLVideoElement | null)?.videoWidth);
        await page.getByRole('button', { name: '拍照', exact: true }).click();
        await page.getByRole('button', { name: '就用这张' }).click();
        await page.getByText(`已拍 ${i + 1}/`).waitFor();
      }
      await page.getByRole('button', { name: '下一步' }).click();
      await page.getByRole('button', { name: '下一步' }).click();
      await page.getByRole('button', { name: '下一步' }).click();
      receipt.push(await timeTap(page, /立即上传/, 'receipt'));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const m = (xs: number[]) => Math.round(median(xs));
  return [
    { name: 'tap (不留电话) → live camera preview playing, median of 5', value: m(preview), unit: 'ms', goal: '< 1500 ms', met: m(preview) < 1500, notes: 'includes getUserMedia and device enumeration' },
    { name: 'tap 停止 → review playback ready (staged: remux + ffprobe + sha256 + poster in the core), 2 s video, median of 5', value: m(playback), unit: 'ms', goal: '< 2000 ms', met: m(playback) < 2000 },
    { name: 'tap 立即上传 → receipt on screen, 1 video + 3 photos, median of 5', value: m(receipt), unit: 'ms', goal: '< 1000 ms', met: m(receipt) < 1000, notes: 'media were validated when captured; submit only moves files and commits' },
  ];
}

async function json(r: Response): Promise<{ ok: boolean; value: Record<string, unknown> }> {
  return (await r.json()) as { ok: boolean; value: Record<string, unknown> };
}

/** Resident set of a process in bytes, from /proc (Linux, as on the booths). */
function rssOf(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

/** Lines of a child's stdout, one promise per awaited line. */
function lineReader(child: ChildProcess): () => Promise<string> {
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  return () => (lines.length ? Promise.resolve(lines.shift()!) : new Promise((r) => waiting.push(r)));
}

/**
 * The booth core alone in a child process (bench/coreChild.ts), driven through its HTTP API as
 * the kiosk drives it; RSS read from /proc after a full GC at every 100th session.
 */
async function rssFigures(): Promise<BenchFigure[]> {
  const jpeg = readFileSync(sampleJpeg());
  const webm = readFileSync(sampleWebm(2));
  const root = mkdtempSync(path.join(os.tmpdir(), 'bench-rss-'));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/coreChild.ts', path.join(root, 'booth'), 'http://127.0.0.1:1', 'bench-token'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, LOG_LEVEL: 'error' },
  });
  const nextLine = lineReader(child);
  try {
    const ready = /^READY (\S+) (\S+)$/.exec(await nextLine());
    if (!ready) throw new Error('the core child did not start');
    const [, url, token] = ready as unknown as [string, string, string];
    const call = (pathname: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set('x-booth-token', token);
      return fetch(url + pathname, { ...init, headers });
    };
    const measure = async () => {
      child.kill('SIGUSR2');
      while ((await nextLine()) !== 'GC');
      return rssOf(child.pid!);
    };
    const atBoot = await measure();
    const rss: number[] = [];
    const sessions = 500;
    for (let i = 1; i <= sessions; i++) {
      const s = await json(await call('/api/sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
      const id = String(s.value.sessionId);
      const put = (kind: string, mime: string, body: Buffer) => call(`/api/sessions/${id}/items?kind=${kind}&mime=${mime}`, { method: 'PUT', headers: { 'content-type': mime }, body: new Uint8Array(body) });
      if (!(await put('photo', 'image/jpeg', jpeg)).ok) throw new Error('photo refused');
      if (i % 5 === 0 && !(await put('video', 'video/webm', webm)).ok) throw new Error('video refused');
      await call('/api/config');
      // Half the residents upload, half walk away (idle reset → discard).
      const end = i % 2 ? `/api/sessions/${id}/submit` : `/api/sessions/${id}/discard`;
      const r = await call(end, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!r.ok) throw new Error(`${end} failed: ${r.status}`);
      if (i % 100 === 0) rss.push(await measure());
    }
    const open = await json(await call('/api/status'));
    const first = rss[0]!;
    const last = rss[rss.length - 1]!;
    const growth = (last - first) / first;
    const mib = (b: number) => Math.round(b / 2 ** 20);
    return [
      {
        name: `booth core RSS after ${sessions} sessions via the API (core alone in its own process; 1 photo each, a 2 s video every 5th; half submitted, half discarded; intake unreachable), growth from session 100 to ${sessions}`,
        value: Math.round(growth * 1000) / 10,
        unit: '%',
        goal: 'flat: within ±10 %',
        met: Math.abs(growth) < 0.1,
        notes: `RSS after boot ${mib(atBoot)} MiB; at 100/200/…: ${rss.map(mib).join(' / ')} MiB (after a full GC each time); ${String((open.value as { outbox?: { waiting?: number } }).outbox?.waiting ?? '?')} submissions queued`,
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(root, { recursive: true, force: true });
  }
}

export const bench: Bench = {
  title: 'Resident flow',
  async run() {
    const stack = await startStack();
    try {
      await stack.core.settings.offer({ ...DEFAULT_BOOTH_SETTINGS, revision: 1 });
      const ui = await uiFigures(stack);
      await stack.close();
      return [...ui, ...(await rssFigures())];
    } finally {
      await stack.close().catch(() => undefined);
    }
  },
};
