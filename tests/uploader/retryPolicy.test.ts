import { describe, expect, it } from 'vitest';
import {
  baseDelay,
  decide,
  DEFAULT_RETRY,
  jittered,
  parseRetryAfter,
  type AttemptOutcome,
  type Decision,
} from '../../uploader/retryPolicy.ts';

const NOW = Date.UTC(2026, 10, 25, 8, 0, 0);
const MIN = 60_000;
const HOUR = 3_600_000;

describe('retryPolicy: classification table', () => {
  const rows: Array<[string, AttemptOutcome, Decision['kind']]> = [
    ['network error', { kind: 'network', message: 'ECONNRESET' }, 'retry'],
    ['408', { kind: 'http', status: 408 }, 'retry'],
    ['409 (in progress / offset conflict)', { kind: 'http', status: 409 }, 'retry'],
    ['423', { kind: 'http', status: 423 }, 'retry'],
    ['429', { kind: 'http', status: 429 }, 'retry'],
    ['500', { kind: 'http', status: 500 }, 'retry'],
    ['502', { kind: 'http', status: 502 }, 'retry'],
    ['503', { kind: 'http', status: 503 }, 'retry'],
    ['599', { kind: 'http', status: 599 }, 'retry'],
    ['400', { kind: 'http', status: 400 }, 'permanent'],
    ['404', { kind: 'http', status: 404 }, 'permanent'],
    ['413', { kind: 'http', status: 413 }, 'permanent'],
    ['415', { kind: 'http', status: 415 }, 'permanent'],
    ['422 (same key, other body)', { kind: 'http', status: 422 }, 'permanent'],
    ['460 (checksum mismatch)', { kind: 'http', status: 460 }, 'permanent'],
    ['401 (revoked / wrong credential)', { kind: 'http', status: 401 }, 'auth'],
    ['403', { kind: 'http', status: 403 }, 'auth'],
    ['302 (unexpected)', { kind: 'http', status: 302 }, 'retry'],
  ];
  it.each(rows)('%s → %s', (_label, outcome, kind) => {
    expect(decide({ outcome, attempts: 0, madeProgress: false, now: NOW, random: 0.5 }).kind).toBe(kind);
  });
});

describe('retryPolicy: backoff', () => {
  it('grows 1, 5, 25 min, then caps at 1 h (no jitter at random = 0.5)', () => {
    const delays: number[] = [];
    let attempts = 0;
    for (let i = 0; i < 6; i++) {
      const d = decide({ outcome: { kind: 'network', message: 'down' }, attempts, madeProgress: false, now: NOW, random: 0.5 });
      if (d.kind !== 'retry') throw new Error('expected retry');
      delays.push(d.at - NOW);
      attempts = d.attempts;
    }
    expect(delays).toEqual([1 * MIN, 5 * MIN, 25 * MIN, HOUR, HOUR, HOUR]);
    expect(attempts).toBe(6);
  });

  it('never gives up: attempt 10,000 still retries at the cap', () => {
    const d = decide({ outcome: { kind: 'http', status: 503 }, attempts: 10_000, madeProgress: false, now: NOW, random: 0.5 });
    expect(d).toMatchObject({ kind: 'retry', at: NOW + HOUR, attempts: 10_001 });
  });

  it('resets after progress', () => {
    const d = decide({ outcome: { kind: 'network', message: 'reset' }, attempts: 7, madeProgress: true, now: NOW, random: 0.5 });
    expect(d).toMatchObject({ kind: 'retry', at: NOW + MIN, attempts: 1 });
  });

  it('jitter stays within ±20 % and uses the injected random', () => {
    expect(jittered(MIN, 0)).toBe(0.8 * MIN);
    expect(jittered(MIN, 0.999999)).toBeLessThanOrEqual(1.2 * MIN);
    expect(jittered(MIN, 0.999999)).toBeGreaterThan(1.19 * MIN);
    expect(jittered(MIN, 0.5)).toBe(MIN);
  });

  it('baseDelay does not overflow', () => {
    expect(baseDelay(1e6)).toBe(HOUR);
    expect(baseDelay(0)).toBe(MIN);
  });

  it('takes its numbers from the config (tests use short backoff)', () => {
    const config = { ...DEFAULT_RETRY, initialDelayMs: 10, factor: 2, capMs: 40, jitter: 0 };
    const at = [0, 1, 2, 3, 4].map((attempts) => {
      const d = decide({ outcome: { kind: 'network', message: 'x' }, attempts, madeProgress: false, now: 0, random: 0.3, config });
      return d.kind === 'retry' ? d.at : -1;
    });
    expect(at).toEqual([10, 20, 40, 40, 40]);
  });
});

describe('retryPolicy: Retry-After', () => {
  it('parses seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(new Date(NOW + 90_000).toUTCString(), NOW)).toBe(90_000);
    expect(parseRetryAfter(new Date(NOW - 90_000).toUTCString(), NOW)).toBe(0);
    expect(parseRetryAfter('soon', NOW)).toBeNull();
    expect(parseRetryAfter('', NOW)).toBeNull();
    expect(parseRetryAfter(undefined, NOW)).toBeNull();
  });

  it('is honoured when longer than the backoff', () => {
    const d = decide({
      outcome: { kind: 'http', status: 429, retryAfter: '600' },
      attempts: 0,
      madeProgress: false,
      now: NOW,
      random: 0.5,
    });
    expect(d).toMatchObject({ kind: 'retry', at: NOW + 600_000 });
  });

  it('never makes a retry earlier than the backoff', () => {
    const d = decide({ outcome: { kind: 'http', status: 503, retryAfter: '1' }, attempts: 0, madeProgress: false, now: NOW, random: 0.5 });
    expect(d).toMatchObject({ kind: 'retry', at: NOW + MIN });
  });

  it('is clamped to a day', () => {
    const d = decide({
      outcome: { kind: 'http', status: 503, retryAfter: String(30 * 24 * 3600) },
      attempts: 0,
      madeProgress: false,
      now: NOW,
      random: 0.5,
    });
    expect(d).toMatchObject({ kind: 'retry', at: NOW + 24 * HOUR });
  });

  it('is ignored for permanent statuses', () => {
    expect(
      decide({ outcome: { kind: 'http', status: 400, retryAfter: '5' }, attempts: 0, madeProgress: false, now: NOW, random: 0.5 }).kind,
    ).toBe('permanent');
  });
});

describe('retryPolicy: auth refusals keep data queued', () => {
  it('401 waits the cap interval, not forever and not a hot loop', () => {
    const d = decide({ outcome: { kind: 'http', status: 401 }, attempts: 0, madeProgress: false, now: NOW, random: 0.5 });
    expect(d).toMatchObject({ kind: 'auth', at: NOW + HOUR, attempts: 1 });
  });
});
