// Disk full, made for real (issue 14 item 2): the booth's data directory on a small tmpfs that the
// test fills, plus an injected SQLite "database or disk is full" that runs everywhere. Every write
// path answers 507 disk_full; submit is atomic across files and database (a retry after space is
// freed succeeds); /api/status measures free space; the invariant holds at the end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkInvariant, outboxReceipt, type BoothReceipt } from '../support/deliveryInvariant.ts';
import { sampleJpeg, sampleWebm } from '../support/fakeMedia.ts';
import { coreFetch, eventually, startStack, type Stack } from '../support/stack.ts';
import { manualClock } from '../support/manualClock.ts';
import { seedUser, staffLogin } from '../support/staff.ts';
import { DEFAULT_BOOTH_SETTINGS } from '../../contract/booth.ts';

type Env<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
const json = { 'content-type': 'application/json' };

async function session(stack: Stack): Promise<string> {
  const r = (await (await coreFetch(stack, '/api/sessions', { method: 'POST', headers: json, body: '{}' })).json()) as Env<{
    sessionId: string;
  }>;
  if (!r.ok) throw new Error(r.error.code);
  return r.value.sessionId;
}
const put = async (stack: Stack, id: string, kind: string, mime: string, file: string) =>
  coreFetch(stack, `/api/sessions/${id}/items?kind=${kind}&mime=${encodeURIComponent(mime)}`, {
    method: 'PUT',
    headers: { 'content-type': mime },
    body: await readFile(file),
  });
const submit = (stack: Stack, id: string) => coreFetch(stack, `/api/sessions/${id}/submit`, { method: 'POST', headers: json, body: '{}' });

/** The receipt as the outbox holds it, under the number the kiosk showed. */
function receiptOf(stack: Stack, submissionId: string, caseNumber: string): BoothReceipt {
  const receipt = outboxReceipt(stack.core.outbox, submissionId);
  expect(receipt.caseNumber).toBe(caseNumber);
  return receipt;
}

/** Delivered (deliveredAt: `delivered`, or already `purged` with the media deleted), then the invariant. */
async function deliveredInvariant(stack: Stack, receipts: BoothReceipt[]): Promise<void> {
  await eventually(() => receipts.every((r) => stack.core.outbox.get(r.submissionId)?.deliveredAt), 'delivery');
  const report = await checkInvariant(receipts, stack.core.mediaDir, stack.intake.db, stack.intake.mediaRoot, {
    outbox: stack.core.outbox,
  });
  expect(report).toMatchObject({ lost: [], duplicated: [], mediaMismatch: [] });
}

/** Files under `dir` this process holds open (Linux /proc). */
function openFilesUnder(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(dir + path.sep) ? [target] : [];
    } catch {
      return [];
    }
  });
}

const free = (dir: string) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

// A tmpfs needs root (mount). Skipped with its reason otherwise; the injected error below runs everywhere.
const mountDir = mkdtempSync(path.join(os.tmpdir(), 'booth-tmpfs-'));
let tmpfsReason: string | null = null;
if (process.getuid?.() !== 0) tmpfsReason = 'not root: cannot mount a tmpfs';
else {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mountDir]);
  } catch (e) {
    tmpfsReason = `mount -t tmpfs failed: ${(e as Error).message}`;
  }
}
if (tmpfsReason) console.warn(`diskFull.int.test: the real-tmpfs cases are skipped (${tmpfsReason})`);

const filler = (n: number) => path.join(mountDir, `filler-${n}`);
let fillers = 0;
/** Fills the tmpfs until `leave` bytes are free (0: until ENOSPC). */
function fillTo(leave: number): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const f = filler(fillers++);
  writeFileSync(f, Buffer.alloc(0));
  for (;;) {
    const room = free(mountDir) - leave;
    if (room <= 0) return;
    try {
      writeFileSync(f, room >= chunk.length ? chunk : chunk.subarray(0, room), { flag: 'a' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOSPC') return;
      throw e;
    }
  }
}
const unfill = () => {
  for (let i = 0; i < fillers; i++) rmSync(filler(i), { force: true });
};
afterAll(() => {
  if (tmpfsReason) return;
  try {
    execFileSync('umount', [mountDir]);
    rmSync(mountDir, { recursive: true, force: true });
  } catch {
    /* left for the OS */
  }
});

describe.skipIf(tmpfsReason !== null)('a real full disk (24 MiB tmpfs)', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ minFreeBytes: 64 * 1024 }, { boothDataDir: path.join(mountDir, 'booth') });
  });
  afterAll(async () => stack?.close());

  it('status measures free space on every request (not the last cached figure)', async () => {
    const before = (await (await coreFetch(stack, '/api/status')).json()) as Env<{ disk: { freeBytes: number } }>;
    if (!before.ok) throw new Error(before.error.code);
    writeFileSync(filler(fillers++), Buffer.alloc(4 * 1024 * 1024, 1));
    const after = (await (await coreFetch(stack, '/api/status')).json()) as Env<{ disk: { freeBytes: number } }>;
    if (!after.ok) throw new Error(after.error.code);
    expect(after.value.disk.freeBytes).toBeLessThanOrEqual(before.value.disk.freeBytes - 4 * 1024 * 1024);
    unfill();
  });

  it('a webm with room for its raw bytes but not for the remuxed copy is refused before writing: 507 disk_full', async () => {
    const webm = sampleWebm(6);
    const size = (await readFile(webm)).length;
    const id = await session(stack);
    fillTo(64 * 1024 + Math.floor(size * 1.5));
    const res = await put(stack, id, 'video', 'video/webm', webm);
    expect(res.status).toBe(507);
    expect((await res.json()) as Env<unknown>).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    unfill();
    expect((await put(stack, id, 'video', 'video/webm', webm)).status).toBe(200);
    await coreFetch(stack, `/api/sessions/${id}/discard`, { method: 'POST', headers: json, body: '{}' });
  });

  it('submit on a disk filled to the last byte: 507, the files back in the session, no orphan; after freeing space the same session submits', async () => {
    const id = await session(stack);
    expect((await put(stack, id, 'photo', 'image/jpeg', sampleJpeg())).status).toBe(200);
    fillTo(0);
    const res = await submit(stack, id);
    const body = (await res.json()) as Env<{ caseNumber: string }>;
    expect(res.status).toBe(507);
    expect(body).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(JSON.stringify(body)).not.toMatch(/SQLITE|sqlite|database/);
    expect(
      // The checked photo, sealed (lib/sealed.ts), back in its session; nothing of it in clear.
      readdirSync(path.join(mountDir, 'booth', 'sessions', id)),
    ).toEqual([expect.stringMatching(/^[0-9a-f-]{36}\.sealed$/)]);
    expect(existsSync(path.join(stack.core.mediaDir, id))).toBe(false);
    expect(stack.core.outbox.get(id)).toBeNull();
    unfill();
    const again = await submit(stack, id);
    const receipt = (await again.json()) as Env<{ caseNumber: string }>;
    expect(again.status).toBe(200);
    if (!receipt.ok) throw new Error(receipt.error.code);
    await deliveredInvariant(stack, [receiptOf(stack, id, receipt.value.caseNumber)]);
  });
});

// The background side of a full disk (issue 14): submissions queued while the intake is away, then
// the disk fills to the last byte. SQLite's WAL must grow for any write, so the worker's claim and
// failure records, the heartbeat's number marks, the settings file and the sweep's checkpoint all
// meet SQLITE_FULL / ENOSPC for real. Nothing may crash the core or escape as an unhandled
// rejection, the heartbeat still reaches the intake, and once space is freed every receipt is
// delivered exactly once with its bytes, and the booth database is intact.
describe.skipIf(tmpfsReason !== null)('the outbox, upload worker and heartbeat on a really full disk', () => {
  const HEARTBEAT_MS = 60_000;
  let stack: Stack;
  const time = manualClock(Date.now());
  const escaped: string[] = [];
  const onEscape = (e: unknown) => escaped.push(String((e as Error)?.stack ?? e));
  /** What the real outbox threw (observed, not replaced: every call goes through). */
  const thrown: string[] = [];

  beforeAll(async () => {
    process.on('unhandledRejection', onEscape);
    process.on('uncaughtException', onEscape);
    stack = await startStack(
      { minFreeBytes: 64 * 1024, heartbeatSec: HEARTBEAT_MS / 1000 },
      { boothDataDir: path.join(mountDir, 'queue'), clock: time.clock },
    );
    const outbox = stack.core.outbox as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['transition', 'setUploadUrl', 'setItemAcked', 'applyAuthority', 'recordIntakeNumbers', 'checkpoint']) {
      const real = outbox[name]!.bind(outbox);
      outbox[name] = (...a: unknown[]) => {
        try {
          return real(...a);
        } catch (e) {
          thrown.push(`${name}: ${(e as { code?: string }).code ?? (e as Error).message}`);
          throw e;
        }
      };
    }
  });
  afterAll(async () => {
    process.off('unhandledRejection', onEscape);
    process.off('uncaughtException', onEscape);
    await stack?.close();
  });

  it('survives SQLITE_FULL and ENOSPC in the background and delivers everything once space is freed', async () => {
    const heartbeats = async () => stack.intake.delivery.heartbeatHistory(stack.core.config.boothCode);
    time.advance(0); // the first tick: settings, then a heartbeat
    await eventually(async () => (await heartbeats()).length === 1, 'the first heartbeat');

    // Three submissions queued while the intake is away.
    await stack.stopIntake();
    const receipts: BoothReceipt[] = [];
    for (let n = 0; n < 3; n++) {
      const id = await session(stack);
      expect((await put(stack, id, 'photo', 'image/jpeg', sampleJpeg())).status).toBe(200);
      const r = (await (await submit(stack, id)).json()) as Env<{ caseNumber: string }>;
      if (!r.ok) throw new Error(r.error.code);
      receipts.push(receiptOf(stack, id, r.value.caseNumber));
    }
    await eventually(() => receipts.every((r) => (stack.core.outbox.get(r.submissionId)?.failures ?? 0) > 0), 'failed attempts');

    // What the retention sweep does after a delivery: the WAL emptied, so every write needs new space.
    stack.core.outbox.scrubWiped();
    fillTo(0);
    expect(free(mountDir)).toBeLessThan(4096);
    // The worker keeps trying while the intake is away: its records meet the full disk.
    await eventually(() => thrown.some((t) => t.startsWith('transition: SQLITE_FULL')), 'the worker meeting SQLITE_FULL');

    // The intake is back and an admin changed the settings: the tick's pull cannot write them, the
    // heartbeat's number marks cannot be stored, and still the heartbeat goes out.
    await stack.startIntake();
    await seedUser(stack.intake.db, 'admin1', 'admin');
    const admin = await staffLogin(stack.intakeUrl, 'admin1');
    const { revision: _r, ...edit } = { ...DEFAULT_BOOTH_SETTINGS, quickPickPlaces: ['村委会门口'] };
    expect((await admin.json<{ revision: number }>('PUT', '/staff/api/fleet/settings', edit)).revision).toBe(1);
    // Heartbeat intervals pass until one arrives (a tick is scheduled only once the last one settled).
    const beat = await eventually(async () => {
      time.advance(HEARTBEAT_MS);
      return (await heartbeats()).find((h) => h.queue_depth === 3);
    }, 'a heartbeat from the full disk');
    expect(beat.disk_free_bytes).toBeLessThan(64 * 1024);
    time.advance(30_000); // a retention sweep (its checkpoint) on the full disk
    // The worker is still alive: it polls again and meets the full disk again; nothing escaped.
    const seen = thrown.length;
    await eventually(() => thrown.length > seen, 'the worker trying again on the full disk');
    expect(escaped).toEqual([]);
    expect(receipts.map((r) => stack.core.outbox.get(r.submissionId)?.deliveredAt)).toEqual([null, null, null]);

    // Space freed: every receipt is delivered, once, byte-identical; the database is intact.
    unfill();
    await deliveredInvariant(stack, receipts);
    expect(new Set(receipts.map((r) => r.caseNumber)).size).toBe(receipts.length);
    expect(stack.core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    // Failed attempts closed what they opened (one open media file per attempt used to stay).
    expect(openFilesUnder(stack.core.mediaDir)).toEqual([]);
    await eventually(() => {
      time.advance(HEARTBEAT_MS);
      return stack.core.kioskConfig().backOffice?.revision === 1;
    }, 'the settings applied once there is room');
    expect(escaped).toEqual([]);
  }, 120_000);
});

describe('an injected "database or disk is full" at the outbox commit (runs everywhere)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ minFreeBytes: 0 });
  });
  afterAll(async () => stack?.close());

  it('answers 507 disk_full without database text, keeps the session submittable, and the retry delivers', async () => {
    const id = await session(stack);
    expect((await put(stack, id, 'photo', 'image/jpeg', sampleJpeg())).status).toBe(200);
    expect((await put(stack, id, 'video', 'video/webm', sampleWebm())).status).toBe(200);
    const outbox = stack.core.outbox;
    const real = outbox.commit.bind(outbox);
    // Injected: better-sqlite3's SqliteError for SQLITE_FULL (no real full disk is needed for this path).
    outbox.commit = () => {
      throw Object.assign(new Error('database or disk is full'), { name: 'SqliteError', code: 'SQLITE_FULL' });
    };
    const res = await submit(stack, id);
    expect(res.status).toBe(507);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'disk_full' } });
    expect(text).not.toMatch(/database/);
    expect(existsSync(path.join(stack.core.mediaDir, id))).toBe(false);
    outbox.commit = real;
    const again = (await (await submit(stack, id)).json()) as Env<{ caseNumber: string; itemCount: number }>;
    if (!again.ok) throw new Error(again.error.code);
    expect(again.value.itemCount).toBe(2);
    // The boot-time orphan sweep keeps what the outbox references.
    mkdirSync(stack.core.mediaDir, { recursive: true });
    await deliveredInvariant(stack, [receiptOf(stack, id, again.value.caseNumber)]);
  });
});
