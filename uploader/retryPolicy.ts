// The one place that decides what happens after a delivery attempt fails (STYLE.md: tus-js-client's
// "retry rules in one place", Signal's attachment backoff). Pure: the clock's `now` and a random
// number in [0, 1) are arguments, so the rules are a table test.
//
// Two layers of retrying exist:
//  - in-request retries (IN_REQUEST_DELAYS_MS) are done by the tus client inside one attempt, for
//    a connection that blinks; they reset after progress;
//  - job-level backoff (this module's `decide`) starts ≈ 1 min after those, ×5 per failed attempt,
//    capped at 1 h, with jitter; Retry-After is honoured; progress resets it. No maximum number of
//    attempts: a submission is retried while its files exist.

/** What one attempt ended with. */
export type AttemptOutcome =
  { kind: 'network'; message: string } | { kind: 'http'; status: number; retryAfter?: string | null; message?: string };

export type Decision =
  /** Try again at `at` (epoch ms). `attempts` is the new consecutive-failure count to store. */
  | { kind: 'retry'; at: number; attempts: number; reason: string }
  /** The booth's credential was refused (401/403): nothing is sent until the credential changes,
   *  but the data stays queued and is retried at the cap interval (a re-enrolled booth resumes). */
  | { kind: 'auth'; at: number; attempts: number; reason: string }
  /** The intake will never accept this submission as it is: show it to technicians; it does not
   *  block the rest of the queue and is never deleted automatically. */
  | { kind: 'permanent'; reason: string };

export interface RetryConfig {
  /** First job-level delay (after the in-request retries are exhausted). */
  initialDelayMs: number;
  factor: number;
  capMs: number;
  /** ± fraction of the delay drawn at random, so booths that went offline together do not return together. */
  jitter: number;
  /** A Retry-After larger than this is clamped: a misconfigured server must not park a booth for a week. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryConfig = {
  initialDelayMs: 60_000,
  factor: 5,
  capMs: 3_600_000,
  jitter: 0.2,
  maxRetryAfterMs: 24 * 3_600_000,
};

/** In-request retry delays handed to the tus client (tus-js-client's default shape). */
export const IN_REQUEST_DELAYS_MS: readonly number[] = [0, 1_000, 3_000, 5_000];

/** Statuses that mean "try again later": timeout, conflict/in progress, locked, too many requests, 5xx. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 423 || status === 429 || (status >= 500 && status <= 599);
}

export function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Returns milliseconds from
 * `now`, or null when absent or unparsable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - now);
}

/** Backoff for the n-th consecutive failure (n ≥ 1), before jitter: 1, 5, 25 min, then the 1 h cap. */
export function baseDelay(failures: number, config: RetryConfig = DEFAULT_RETRY): number {
  const exponent = Math.max(0, failures - 1);
  // Math.pow overflows to Infinity for large exponents; min() keeps the cap.
  return Math.min(config.capMs, config.initialDelayMs * Math.pow(config.factor, exponent));
}

export function jittered(delay: number, random: number, config: RetryConfig = DEFAULT_RETRY): number {
  const spread = delay * config.jitter * (2 * random - 1);
  return Math.max(0, Math.round(delay + spread));
}

export interface DecideInput {
  outcome: AttemptOutcome;
  /** Consecutive failed attempts before this one (stored on the outbox row). */
  attempts: number;
  /** Whether this attempt moved bytes or a step forward: progress resets the backoff. */
  madeProgress: boolean;
  now: number;
  random: number;
  config?: RetryConfig;
}

export function decide(input: DecideInput): Decision {
  const config = input.config ?? DEFAULT_RETRY;
  const { outcome, now } = input;
  const failures = (input.madeProgress ? 0 : input.attempts) + 1;
  const backoff = jittered(baseDelay(failures, config), input.random, config);

  if (outcome.kind === 'network') {
    return { kind: 'retry', at: now + backoff, attempts: failures, reason: `network: ${outcome.message}` };
  }
  const status = outcome.status;
  const reason = `HTTP ${status}${outcome.message ? `: ${outcome.message}` : ''}`;
  if (isAuthStatus(status)) {
    return { kind: 'auth', at: now + jittered(config.capMs, input.random, config), attempts: failures, reason };
  }
  if (isRetryableStatus(status)) {
    const retryAfter = parseRetryAfter(outcome.retryAfter, now);
    // Honour Retry-After as "not before"; never earlier than our own backoff.
    const delay = retryAfter === null ? backoff : Math.max(backoff, Math.min(retryAfter, config.maxRetryAfterMs));
    return { kind: 'retry', at: now + delay, attempts: failures, reason };
  }
  if (status >= 400 && status <= 499) return { kind: 'permanent', reason };
  // 1xx/2xx/3xx reaching here means the server said something we did not expect: treat as transient.
  return { kind: 'retry', at: now + backoff, attempts: failures, reason: `unexpected ${reason}` };
}
