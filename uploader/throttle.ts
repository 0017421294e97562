// Upload throttling by configuration: a default rate in bytes per second, and daily time windows
// that override it (e.g. "no uploads 08:00–12:00 while the village office uses the line",
// "full speed at night"). Pure: the rate for a moment and a token bucket that says how long to
// wait before sending n bytes. The stream wrapper that applies it lives in throttleStream.ts.

export interface ThrottleWindow {
  /** "HH:MM" local time, inclusive. */
  from: string;
  /** "HH:MM" local time, exclusive; a window may cross midnight (from > to). */
  to: string;
  /** Bytes per second inside the window; null = unlimited, 0 = paused. */
  bytesPerSecond: number | null;
}

export interface ThrottleConfig {
  /** Outside every window; null = unlimited. */
  bytesPerSecond: number | null;
  windows: ThrottleWindow[];
  /** Minutes east of UTC of the booth's local time (China: 480). Injected, not read from the OS. */
  utcOffsetMinutes: number;
}

export const UNTHROTTLED: ThrottleConfig = { bytesPerSecond: null, windows: [], utcOffsetMinutes: 480 };

export function parseHhMm(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new Error(`bad time of day "${value}", expected HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function inWindow(minuteOfDay: number, window: ThrottleWindow): boolean {
  const from = parseHhMm(window.from);
  const to = parseHhMm(window.to);
  if (from === to) return true; // a window from 00:00 to 00:00 is the whole day
  return from < to ? minuteOfDay >= from && minuteOfDay < to : minuteOfDay >= from || minuteOfDay < to;
}

/** The allowed rate at epoch ms `now`: the first matching window wins, else the default. */
export function rateAt(config: ThrottleConfig, now: number): number | null {
  const local = now + config.utcOffsetMinutes * 60_000;
  const minuteOfDay = Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 60_000);
  for (const window of config.windows) if (inWindow(minuteOfDay, window)) return window.bytesPerSecond;
  return config.bytesPerSecond;
}

export interface BucketState {
  /** Bytes that may be sent right now (may go negative: a chunk larger than the bucket is allowed, then paid for). */
  tokens: number;
  at: number;
}

/** Burst size: a quarter second of the rate, at least 16 KiB so small rates still send whole TCP segments. */
export function burstFor(rate: number): number {
  return Math.max(16 * 1024, Math.floor(rate / 4));
}

export type TakeResult =
  | { kind: 'send'; state: BucketState }
  /** Wait `ms` then ask again. For a paused window this is the time to the next minute boundary check. */
  | { kind: 'wait'; ms: number; state: BucketState };

/**
 * Ask to send `bytes` at `now`. Returns either "send" with the new bucket, or how long to wait.
 * A chunk is sent whole once the bucket is non-negative, and its cost is debited (so the average
 * rate holds without splitting chunks).
 */
export function take(config: ThrottleConfig, state: BucketState, bytes: number, now: number): TakeResult {
  const rate = rateAt(config, now);
  if (rate === null) return { kind: 'send', state: { tokens: 0, at: now } };
  if (rate <= 0) {
    // Paused: check again at the next minute, when a window may have ended.
    const msToNextMinute = 60_000 - (now % 60_000);
    return { kind: 'wait', ms: msToNextMinute, state: { tokens: 0, at: now } };
  }
  const burst = burstFor(rate);
  const elapsed = Math.max(0, now - state.at);
  const tokens = Math.min(burst, state.tokens + (elapsed * rate) / 1000);
  if (tokens >= 0) return { kind: 'send', state: { tokens: tokens - bytes, at: now } };
  return { kind: 'wait', ms: Math.ceil((-tokens * 1000) / rate), state: { tokens, at: now } };
}
