// 500 booths and the clerks of a district on one intake process at the busiest hour of the day,
// compressed, on a ladder of compressions: the first rung is the figures (errors, booth call p95,
// clerk read p95, the intake's CPU), the highest rung the intake still serves (0 errors, booth p95
// ≤ 1 s, clerk p95 ≤ 500 ms) is the headroom, in multiples of the real load of 500 booths.
//
// The real load (docs/DEPLOY.md "Sizing"): every booth's heartbeat tick (settings pull, then
// heartbeat, as main/schedules.ts does) once a minute — DEPLOY.md's sizing; the booth's default is
// every 180 s, so this is 3× the default — and 10 cases per booth per day, of which the busiest hour
// carries PEAK_SHARE (20 %: 2.4× a flat 12-hour day, with every booth's busiest hour the same hour);
// the clerks read the case list or a case every 30 s each. At compression ×K every rate is K times
// that: K minutes of the busiest hour pass in each minute of the rung. The compression must stay
// one the bench machine can drive: the booths run in this process, and a simulator that falls behind
// (event-loop delay, events fired late) makes the rung invalid — it says nothing about the intake —
// and ends the ladder there. The recordings are short (bytes cannot be compressed; the ingest
// ceiling is intakeIngest's figure); each still gets the intake's playback stream copy.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import type { Heartbeat } from '../contract/booth.ts';
import { eventually } from '../testkit/eventually.ts';
import { seedUser, staffLogin, type StaffClient } from '../testkit/staff.ts';
import { cpuSeconds, outboxTally, rssBytes, sharedMedia, simBooth, startBenchIntake, type SimBooth } from './booths.ts';
import { quantile, sig, sizeFromEnv, spread, SMOKE, type Bench, type BenchFigure } from './figure.ts';
import { photoJpeg, recording720p } from './rig.ts';

const BOOTHS = sizeFromEnv('BENCH_DAY_BOOTHS', 500, 20);
const CLERKS = sizeFromEnv('BENCH_DAY_CLERKS', 6, 2);
const VIDEO_SECONDS = sizeFromEnv('BENCH_DAY_VIDEO_SECONDS', 3, 2);
/** Wall seconds each rung of the ladder runs. */
const RUNG_SECONDS = sizeFromEnv('BENCH_DAY_SECONDS', 40, 10);
/** The compressions tried, in order; the first is the figures' compression. */
const LADDER = (process.env.BENCH_DAY_LADDER ?? (SMOKE ? '4,16' : '4,8,16,32,64'))
  .split(',')
  .map(Number)
  .filter((k) => k > 0);

const HEARTBEAT_MS = 60_000;
const CASES_PER_BOOTH_DAY = 10;
/** The share of a day's cases the busiest hour carries. */
const PEAK_SHARE = 0.2;
const CLERK_READ_MS = 30_000;
const H = 3_600_000;
/** A booth's call answered later than this (p95) is a slow back office for the booth. */
const BOOTH_P95_MS = 1000;
/** A clerk's read answered later than this (p95) is a wait the clerk notices. */
const CLERK_P95_MS = 500;
/** The simulator kept pace when its event loop's delay p99 stayed under this (a tenth of the booth goal: it adds to every latency measured)… */
const PACE_LOOP_P99_MS = 100;
/** …and at most 1 % of its events fired later than this after their time. */
const PACE_LATE_MS = 100;
/** What a submission still held by a booth gets, after the rung, to arrive. */
const DRAIN_MS = 60_000;

type Kind = 'heartbeat' | 'settings' | 'manifest' | 'staff list' | 'staff case';

/** A seeded generator, so every run has the same hour. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Event {
  at: number; // simulated ms since the rung began
  fire: () => void;
}

/** What one rung measured. */
interface Rung {
  k: number;
  latencies: Map<Kind, number[]>;
  errors: Map<string, number>;
  /** Heartbeat ticks and clerk reads not started because the previous call was still waiting for the intake. */
  busySkips: number;
  /** Events fired more than PACE_LATE_MS after their time (the simulator fell behind). */
  late: number;
  events: number;
  lateP99: number;
  loopP99: number;
  simulatorShare: number;
  intakeShare: number;
  delivery: number[];
  cases: number;
  rss: number[];
}

const p95 = (xs: number[]) => sig(quantile(xs, 0.95));
const boothCalls = (r: Rung) => (['heartbeat', 'settings', 'manifest'] as Kind[]).flatMap((k) => r.latencies.get(k) ?? []);
const clerkReads = (r: Rung) => (['staff list', 'staff case'] as Kind[]).flatMap((k) => r.latencies.get(k) ?? []);
const errorCount = (r: Rung) => [...r.errors.values()].reduce((a, b) => a + b, 0);
/** The simulator kept pace: the rung describes the intake. */
const valid = (r: Rung) => r.loopP99 <= PACE_LOOP_P99_MS && r.late <= Math.max(1, r.events / 100);
/** The intake served the rung's load. */
const served = (r: Rung) => errorCount(r) === 0 && p95(boothCalls(r)) <= BOOTH_P95_MS && p95(clerkReads(r)) <= CLERK_P95_MS;
const paceText = (r: Rung) =>
  `event-loop delay p99 ${sig(r.loopP99, 2)} ms, events fired > ${PACE_LATE_MS} ms late ${r.late} of ${r.events} (p99 ${sig(r.lateP99, 2)} ms), its CPU ${sig(r.simulatorShare * 100, 2)} % of one core`;

export const bench: Bench = {
  title: '500 booths on one intake process at the busiest hour, compressed',
  budgetSeconds: 60 + LADDER.length * (RUNG_SECONDS + 15),
  async run(): Promise<BenchFigure[]> {
    const root = mkdtempSync(path.join(os.tmpdir(), 'bench-day-'));
    const random = mulberry32(17);
    const codes = Array.from({ length: BOOTHS }, (_, b) => `D${String(b).padStart(4, '0')}`);
    const intake = await startBenchIntake(path.join(root, 'intake'), 'copy-when-playable', codes);
    const rungs: Rung[] = [];
    const booths: SimBooth[] = [];
    let stopReason = '';
    // The rung being measured: the calls' hooks write into it.
    let rung: Rung | null = null;
    const error = (what: string) => rung && rung.errors.set(what, (rung.errors.get(what) ?? 0) + 1);
    const record = (kind: Kind, ms: number) => {
      if (!rung) return;
      const xs = rung.latencies.get(kind);
      if (xs) xs.push(ms);
      else rung.latencies.set(kind, [ms]);
    };
    /** Times a call; it answers true, or what went wrong (an HTTP status, a network error) for the error tally. */
    const timed = async (kind: Kind, call: () => Promise<true | string>) => {
      const t0 = performance.now();
      let ok: true | string;
      try {
        ok = await call();
      } catch (e) {
        ok = (e as { code?: string }).code ?? (e as Error).message;
      }
      if (ok !== true) error(`${kind} (${ok})`);
      else record(kind, performance.now() - t0);
    };
    const submittedAt = new Map<string, number>();
    try {
      const video = await sharedMedia(recording720p(VIDEO_SECONDS), 'video', 'video/webm', VIDEO_SECONDS);
      const photo = await sharedMedia(photoJpeg(), 'photo', 'image/jpeg', null);
      const clerks: StaffClient[] = [];
      for (let i = 0; i < CLERKS; i++) {
        await seedUser(intake.db, `clerk${i}`, 'supervisor');
        clerks.push(await staffLogin(intake.proc.url, `clerk${i}`));
      }
      for (const code of codes) {
        // The booth's defaults: one upload at a time, the outbox polled every 30 s (a submission wakes it at once).
        const booth = simBooth(root, code, intake.tokens.get(code)!, intake.proc.url, { pollMs: 30_000, concurrency: 1 });
        // The manifest POST is the booth's call that files the case: timed, and its receipt ends the resident's wait.
        const finalise = booth.link.finalise.bind(booth.link);
        booth.link.finalise = async (m) => {
          const t0 = performance.now();
          const r = await finalise(m);
          if (r.ok) {
            record('manifest', performance.now() - t0);
            const s = submittedAt.get(m.submissionId);
            if (s !== undefined) rung?.delivery.push(performance.now() - s);
          } else if (r.code !== 'items_missing')
            error(`manifest (${r.code ?? (r.outcome.kind === 'http' ? `HTTP ${r.outcome.status}` : r.outcome.message)})`);
          return r;
        };
        booths.push(booth);
      }
      let retriesBefore = 0;
      const heartbeatBusy = new Set<SimBooth>();
      const tick = (booth: SimBooth) => {
        if (heartbeatBusy.has(booth)) return void rung!.busySkips++;
        heartbeatBusy.add(booth);
        const s = booth.outbox.summary();
        const hb: Heartbeat = {
          boothCode: booth.code,
          sentAt: new Date().toISOString(),
          version: '1.0.0',
          queueDepth: s.waiting,
          oldestUnsentSec: null,
          bytesWaiting: 0,
          disk: { freeBytes: 50e9, totalBytes: 64e9 },
          devices: { faceCamera: 'ok', documentCamera: 'ok', microphone: 'ok', idReader: 'ok' },
          lastError: null,
          alerts: [],
        };
        void (async () => {
          await timed('settings', async () => {
            const a = await booth.link.settings();
            return a.kind === 'ok' || (a.kind === 'refused' ? `HTTP ${a.status}` : a.problem);
          });
          await timed('heartbeat', async () => {
            const { status } = await booth.link.heartbeat(hb);
            return status < 300 || `HTTP ${status}`;
          });
          heartbeatBusy.delete(booth);
        })();
      };
      const clerkState = clerks.map((clerk) => ({ clerk, busy: false, lastCase: null as string | null, n: 0 }));
      const read = (c: (typeof clerkState)[number]) => {
        if (c.busy) return void rung!.busySkips++;
        c.busy = true;
        const list = c.n++ % 2 === 0 || !c.lastCase;
        void timed(list ? 'staff list' : 'staff case', async () => {
          const res = await c.clerk.fetch('GET', list ? '/staff/api/cases?limit=50' : `/staff/api/cases/${c.lastCase}`);
          if (res.status !== 200) return `HTTP ${res.status}`;
          if (list) c.lastCase = ((await res.json()) as { cases?: { id: string }[] }).cases?.[0]?.id ?? c.lastCase;
          else await res.arrayBuffer();
          return true;
        }).finally(() => (c.busy = false));
      };

      for (const b of booths) b.worker.start();
      const pid = intake.proc.pid;
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      try {
        // Up the ladder until a rung is not served; when the first one is not, the real load (×1) once more.
        const plan = [...LADDER];
        for (let j = 0; j < plan.length; j++) {
          const k = plan[j]!;
          // The rung's events in simulated time: RUNG_SECONDS × k of the busiest hour.
          const span = RUNG_SECONDS * 1000 * k;
          const events: Event[] = [];
          for (const booth of booths)
            for (let t = random() * HEARTBEAT_MS; t < span; t += HEARTBEAT_MS) events.push({ at: t, fire: () => tick(booth) });
          // Cases arrive at random (a Poisson process) at the busiest hour's rate, each at a random booth.
          const perMs = (BOOTHS * CASES_PER_BOOTH_DAY * PEAK_SHARE) / H;
          for (let t = -Math.log(1 - random()) / perMs; t < span; t += -Math.log(1 - random()) / perMs) {
            const booth = booths[Math.floor(random() * booths.length)]!;
            const media = random() < 1 / 3 ? [video, photo] : [video];
            events.push({
              at: t,
              fire: () => {
                try {
                  submittedAt.set(booth.submit(media).id, performance.now());
                  rung!.cases++;
                } catch {
                  error('booth save');
                }
              },
            });
          }
          for (const c of clerkState)
            for (let t = random() * CLERK_READ_MS; t < span; t += CLERK_READ_MS) events.push({ at: t, fire: () => read(c) });
          events.sort((a, b) => a.at - b.at);

          const r: Rung = {
            k,
            latencies: new Map(),
            errors: new Map(),
            busySkips: 0,
            late: 0,
            events: events.length,
            lateP99: 0,
            loopP99: 0,
            simulatorShare: 0,
            intakeShare: 0,
            delivery: [],
            cases: 0,
            rss: [],
          };
          rung = r;
          const lateness: number[] = [];
          const sampler = setInterval(() => r.rss.push(rssBytes(pid) / 2 ** 20), 1000);
          loopDelay.reset();
          const self0 = process.cpuUsage();
          const cpu0 = cpuSeconds(pid);
          const t0 = performance.now();
          let i = 0;
          while (i < events.length) {
            const now = performance.now();
            const simNow = (now - t0) * k;
            while (i < events.length && events[i]!.at <= simNow) {
              const late = now - t0 - events[i]!.at / k;
              lateness.push(late);
              if (late > PACE_LATE_MS) r.late++;
              events[i++]!.fire();
            }
            await new Promise((res) => setTimeout(res, 5));
          }
          // The rung's time is up: the intake's CPU and the simulator's pace are over that time.
          const wall = (performance.now() - t0) / 1000;
          r.intakeShare = (cpuSeconds(pid) - cpu0) / wall;
          const used = process.cpuUsage(self0);
          r.simulatorShare = (used.user + used.system) / 1e6 / wall;
          r.loopP99 = loopDelay.percentile(99) / 1e6;
          r.lateP99 = quantile(lateness, 0.99);
          // What the booths still hold must arrive, and the calls in flight must answer.
          await eventually(
            () => outboxTally(booths).waiting === 0 && heartbeatBusy.size === 0 && clerkState.every((c) => !c.busy),
            'every submission delivered after the rung',
            DRAIN_MS,
          ).catch(() => error(`not delivered ${DRAIN_MS / 1000} s after the rung`));
          clearInterval(sampler);
          rung = null;
          const { retries } = outboxTally(booths);
          if (retries > retriesBefore) r.errors.set('delivery retries', retries - retriesBefore);
          retriesBefore = retries;
          rungs.push(r);
          console.log(
            `intakeDay ×${k}: ${r.cases} cases, errors ${errorCount(r)}, booth p95 ${p95(boothCalls(r))} ms, clerk p95 ${p95(clerkReads(r))} ms, intake CPU ${sig(r.intakeShare * 100, 3)} %; simulator: ${paceText(r)}`,
          );
          if (!valid(r)) {
            stopReason = `×${k} is invalid: the simulator fell behind (${paceText(r)})`;
            break;
          }
          if (!served(r)) {
            stopReason ||= `×${k} not served`;
            if (j === 0 && k > 1) plan.splice(1, plan.length, 1);
            else break;
          }
        }
      } finally {
        loopDelay.disable();
      }
    } finally {
      if (booths.length && rungs.length) {
        const tally = outboxTally(booths);
        if (tally.waiting) rungs[rungs.length - 1]!.errors.set('submissions never delivered', tally.waiting);
      }
      for (const b of booths) await b.close().catch(() => undefined);
      await intake.stop().catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    }

    const ref = rungs[0]!;
    const refValid = valid(ref);
    const invalid = refValid ? '' : `INVALID RUN (the simulator fell behind: ${paceText(ref)}), not a figure of the intake; `;
    const verdict = (ok: boolean) => (refValid ? ok : null);
    const realPerHour = BOOTHS * CASES_PER_BOOTH_DAY * PEAK_SHARE;
    const at = `${BOOTHS} booths and ${CLERKS} clerks at the busiest hour ×${ref.k}`;
    const booth = boothCalls(ref);
    const staff = clerkReads(ref);
    const byKind = (r: Rung, kinds: Kind[]) =>
      kinds.map((k) => `${k} p95 ${p95(r.latencies.get(k) ?? [])} ms (n ${(r.latencies.get(k) ?? []).length})`).join('; ');
    // The headroom: the highest rung served with the simulator keeping pace (the ladder stops at the first rung not served).
    const headroom = Math.max(0, ...rungs.filter((r) => valid(r) && served(r)).map((r) => r.k));
    const last = rungs[rungs.length - 1]!;
    const ladder = rungs
      .map(
        (r) =>
          `×${r.k}: ${!valid(r) ? 'invalid (simulator behind), ' : ''}errors ${errorCount(r)}, booth p95 ${p95(boothCalls(r))} ms (manifest ${p95(r.latencies.get('manifest') ?? [])} ms), clerk p95 ${p95(clerkReads(r))} ms, intake CPU ${sig(r.intakeShare * 100, 3)} %, simulator loop p99 ${sig(r.loopP99, 2)} ms`,
      )
      .join('; ');
    const rssAll = rungs.flatMap((r) => r.rss);
    const figures: BenchFigure[] = [
      {
        name: `${at}: every booth's settings pull and heartbeat answered, every resident's case filed, every clerk's read served — errors`,
        value: errorCount(ref),
        unit: '',
        goal: '0',
        met: verdict(errorCount(ref) === 0),
        notes:
          invalid +
          (errorCount(ref) ? `${[...ref.errors].map(([k, v]) => `${k}: ${v}`).join('; ')}; ` : '') +
          `${ref.cases} cases in ${RUNG_SECONDS} s (${sig(realPerHour)} an hour at the real peak: ${CASES_PER_BOOTH_DAY} a booth a day, ${PEAK_SHARE * 100} % of them in the busiest hour); ` +
          `heartbeat ticks and clerk reads not started because the previous call was still waiting for the intake: ${ref.busySkips}`,
      },
      {
        name: `${at}: a booth's call to the back office (settings pull, heartbeat, the manifest that files a case) answered within — p95`,
        value: p95(booth),
        unit: 'ms',
        spread: spread(booth),
        goal: `≤ ${BOOTH_P95_MS} ms`,
        met: verdict(p95(booth) <= BOOTH_P95_MS),
        notes: invalid + byKind(ref, ['settings', 'heartbeat', 'manifest']),
      },
      {
        name: `${at}: a clerk opens the case list or a case and waits — p95`,
        value: p95(staff),
        unit: 'ms',
        spread: spread(staff),
        goal: `≤ ${CLERK_P95_MS} ms`,
        met: verdict(p95(staff) <= CLERK_P95_MS),
        notes: invalid + byKind(ref, ['staff list', 'staff case']),
      },
      {
        name: `${at}: a resident taps 立即上传 → the booth holds the intake's receipt (the case is on the clerks' list) — p95`,
        value: p95(ref.delivery),
        unit: 'ms',
        spread: spread(ref.delivery),
        notes: `${ref.delivery.length} submissions of a ${VIDEO_SECONDS} s 1280×720 WebM (one in three with a document photo) on loopback: the intake's share of the wait, not the village link's`,
      },
      {
        name: `${at}: the intake process's CPU (its ffmpeg children included), share of one core`,
        value: sig(ref.intakeShare * 100, 3),
        unit: '%',
        goal: `≤ 100 % of one core at ×${ref.k} (the real peak then takes ≤ ${sig(100 / ref.k, 2)} % of the one core docs/DEPLOY.md gives the API)`,
        met: verdict(ref.intakeShare <= 1),
        notes: `${invalid}the real peak's share: ${sig((ref.intakeShare * 100) / ref.k, 2)} % of one core`,
      },
      {
        name: `the load one intake process still serves (0 errors, booth call p95 ≤ ${BOOTH_P95_MS} ms, clerk read p95 ≤ ${CLERK_P95_MS} ms), in multiples of ${BOOTHS} booths' busiest hour`,
        value: headroom,
        unit: '×',
        goal: `≥ 1× (the busiest hour of ${BOOTHS} booths)`,
        met: rungs.every(valid) || headroom > 0 ? headroom >= 1 : null,
        notes:
          (headroom === last.k && valid(last) && served(last) && last.k === LADDER[LADDER.length - 1]
            ? `at least: the ladder's top (×${LADDER.join(', ×')}) was served; `
            : !valid(last)
              ? headroom
                ? `at least: ${stopReason}, so the ladder stopped there; `
                : `not measured: ${stopReason}; `
              : stopReason
                ? `${stopReason}${headroom === 1 ? ', the real load (×1) was' : ''}; `
                : '') + ladder,
      },
      {
        name: `the booth simulator (this process, on the same 2 cores) kept pace at every rung it ran: event-loop delay p99`,
        value: sig(Math.max(...rungs.map((r) => r.loopP99)), 2),
        unit: 'ms',
        goal: `≤ ${PACE_LOOP_P99_MS} ms and ≤ 1 % of events > ${PACE_LATE_MS} ms late (else the rung is invalid, not the intake's failure)`,
        met: rungs.every(valid),
        notes: rungs.map((r) => `×${r.k}: ${paceText(r)}`).join('; '),
      },
      {
        name: `the intake process's memory (RSS) through the ladder, peak`,
        value: sig(Math.max(...rssAll)),
        unit: 'MiB',
        notes: `first sample ${sig(rssAll[0]!)} MiB, last ${sig(rssAll[rssAll.length - 1]!)} MiB (${rssAll.length} samples, one a second)`,
      },
    ];
    return figures;
  },
};
