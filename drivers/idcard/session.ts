// The reader session: one state machine per reader, driven by an injected clock.
//   connect → SAM status → (while reading is enabled, or a card is still held) poll find every
//   300–1000 ms → select → read (→ appended address) → hold until find stops seeing the card.
// Each card is reported once until it leaves. Nothing is read before reading is enabled
// (the resident's consent); while disabled, a held card is only polled with find, to see it leave.
// A vanished port, or a reader that stops answering, is closed and reopened with backoff.
// Transient faults are absorbed (issue 14): an answer spoilt on the line (bad checksum or length,
// or the reader's own SW3 10/11 saying our frame arrived spoilt) or missing is resent at once, at
// most twice; a card-level failure that a second try may cure (SW3 41 "card moved during the read",
// 81, an authentication hiccup, a read whose data fails its check digit) retries the whole
// find/select/read cycle at the next poll, while the caller's deadline allows; only then is it
// reported. Both counts are in the reader status.
import { createHash } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import { systemClock } from '../../lib/clock.ts';
import { createLogger } from '../../lib/log.ts';
import type { IdCard, WltPhoto } from './card.ts';
import { decodeAppendedAddress, decodeTextBlock, splitReadData, type DecodeErrorCode } from './decode.ts';
import { asResponse, commandFrame, FrameParser, type CommandName, type ParserCounters, type ResponseFrame } from './frame.ts';
import { describeStatus, isSamFault, isTransientCardStatus, type StatusInfo } from './status.ts';
import type { Transport, TransportFactory } from './transport.ts';

const log = createLogger('idcard.session');

export type ReaderState = 'connecting' | 'checking-sam' | 'ready' | 'sam-fault' | 'disconnected' | 'stopped';

export interface ReaderStatus {
  state: ReaderState;
  /** Transport description of the open port, e.g. "serial:/dev/ttyUSB0". */
  port: string | null;
  sam: 'ok' | 'fault' | 'unknown';
  /** The last non-success SAM answer, when sam is 'fault'. */
  samStatus: StatusInfo | null;
  /** Card reads enabled (after consent). */
  reading: boolean;
  /** A card that was read is still on the reader. */
  cardOnReader: boolean;
  /** Commands resent after a spoilt or missing answer, since the session started. */
  resends: number;
  /** find/select/read cycles retried after a transient card status, since the session started. */
  retries: number;
}

export interface CardEvent {
  card: IdCard;
  photo: WltPhoto;
  /** 最新住址 appended to the card, when enabled and present. */
  appendedAddress: string | null;
  readAt: number;
}

export type ReaderErrorCode =
  | 'select-failed' // the card moved or is not a supported chip
  | 'read-failed' // SW3 41 and the other card-level read failures
  | 'unsupported-card' // SW3 40, or a card-type flag we do not know
  | 'check-digit' // the number fails its check digit: a corrupted read, never a card
  | 'bad-data' // the payload does not decode
  | 'timeout' // the reader did not answer a card command in time
  | 'sam-fault'; // the security module reports it cannot work

export interface ReaderError {
  code: ReaderErrorCode;
  /** Without personal data. */
  message: string;
  status: StatusInfo | null;
  decode: DecodeErrorCode | null;
  at: number;
}

export interface ReaderEvents {
  card: CardEvent;
  removed: { at: number };
  status: ReaderStatus;
  error: ReaderError;
}

export interface CommandTimeouts {
  samStatus: number;
  find: number;
  select: number;
  read: number;
  address: number;
}

/** IDCARD-PROTOCOL.md §4.2: U2/U4/DK timeouts, rounded up; HEV's 5 s is the outer bound. */
export const DEFAULT_TIMEOUTS: CommandTimeouts = { samStatus: 2000, find: 1000, select: 1000, read: 3000, address: 1500 };

export interface ReaderSessionOptions {
  openTransport: TransportFactory;
  clock?: Clock;
  /** Find-poll interval, clamped to 200–1000 ms (default 250: card placed → data p90 ≤ 400 ms, bench/idcard.ts). */
  pollIntervalMs?: number;
  timeouts?: Partial<CommandTimeouts>;
  /** Also read the appended ("latest") address after a successful read. */
  readAppendedAddress?: boolean;
  /** Consecutive "no card" finds after a read before the card counts as removed (default 1). */
  removalMisses?: number;
  /** Consecutive missing or spoilt answers before the link is considered dead and reopened (default 3). */
  maxTimeoutsInRow?: number;
  /** Resends of one command after a spoilt or missing answer (default 2). */
  maxResends?: number;
  /** Without a caller's deadline (setReading's retryForMs), how long after the first transient
   *  failure of a placement the cycle is retried before the failure is reported (default 2500). */
  transientRetryMs?: number;
  /** Delays between reconnect attempts; the last one repeats. */
  reconnectDelaysMs?: readonly number[];
  /** How often the SAM is re-checked while idle or faulty (default 5000). */
  samCheckIntervalMs?: number;
}

class LinkLost extends Error {}

type Listener<K extends keyof ReaderEvents> = (payload: ReaderEvents[K]) => void;

const TIMEOUT = Symbol('timeout');
/** An answer arrived spoilt (bad checksum or impossible length): as good as missing, but known at once. */
const SPOILT = Symbol('spoilt');

export class ReaderSession {
  private readonly opts: Required<Omit<ReaderSessionOptions, 'timeouts' | 'clock'>> & { timeouts: CommandTimeouts };
  private readonly clock: Clock;
  private readonly listeners: { [K in keyof ReaderEvents]: Array<Listener<K>> } = { card: [], removed: [], status: [], error: [] };
  private readonly parser = new FrameParser();
  private current: ReaderStatus = {
    state: 'stopped',
    port: null,
    sam: 'unknown',
    samStatus: null,
    reading: false,
    cardOnReader: false,
    resends: 0,
    retries: 0,
  };
  private transport: Transport | null = null;
  private detachers: Array<() => void> = [];
  private pending: { resolve: (f: ResponseFrame | typeof SPOILT) => void; reject: (e: Error) => void } | null = null;
  private wake: (() => void) | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private linkLost = false;
  private reading = false;
  /** Bumped each time reading is switched; a read begun under an older value is stale. */
  private readingTurn = 0;
  private held: { key: string; misses: number } | null = null;
  private failedThisPresence: ReaderErrorCode | null = null;
  private timeoutsInRow = 0;
  /** When the first transient failure of this placement happened (null: none since). */
  private retrySince: number | null = null;
  /** The caller's deadline for retrying transient failures (setReading's retryForMs), or null. */
  private retryUntil: number | null = null;
  /** The last transient failure that was retried rather than reported (no personal data). */
  private retried: ReaderError | null = null;
  private lastSamCheck = -Infinity;
  readonly stats = { commands: 0, timeouts: 0, staleFrames: 0, reconnects: 0, cardsRead: 0 };

  constructor(options: ReaderSessionOptions) {
    this.clock = options.clock ?? systemClock;
    this.opts = {
      openTransport: options.openTransport,
      pollIntervalMs: Math.min(1000, Math.max(200, options.pollIntervalMs ?? 250)),
      timeouts: { ...DEFAULT_TIMEOUTS, ...options.timeouts },
      readAppendedAddress: options.readAppendedAddress ?? false,
      removalMisses: Math.max(1, options.removalMisses ?? 1),
      maxTimeoutsInRow: Math.max(1, options.maxTimeoutsInRow ?? 3),
      maxResends: Math.max(0, options.maxResends ?? 2),
      transientRetryMs: Math.max(0, options.transientRetryMs ?? 2500),
      reconnectDelaysMs: options.reconnectDelaysMs?.length ? options.reconnectDelaysMs : [250, 500, 1000, 2000, 5000],
      samCheckIntervalMs: options.samCheckIntervalMs ?? 5000,
    };
  }

  get status(): ReaderStatus {
    return { ...this.current };
  }

  get parserCounters(): ParserCounters {
    return { ...this.parser.counters };
  }

  on<K extends keyof ReaderEvents>(event: K, fn: Listener<K>): () => void {
    (this.listeners[event] as Array<Listener<K>>).push(fn);
    return () => {
      const list = this.listeners[event] as Array<Listener<K>>;
      const i = list.indexOf(fn);
      if (i >= 0) list.splice(i, 1);
    };
  }

  start(): void {
    if (this.running) return;
    this.stopped = false;
    this.running = this.run().finally(() => {
      this.running = null;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.pending?.reject(new LinkLost('stopped'));
    this.wake?.();
    await this.running;
  }

  /** The last transient failure retried instead of reported, while no card has been read since. */
  get lastRetried(): ReaderError | null {
    return this.retried;
  }

  /**
   * Enables or disables card reads (enable only after the resident consented). `retryForMs` is the
   * caller's deadline: transient failures are retried until then instead of for transientRetryMs.
   */
  setReading(on: boolean, opts: { retryForMs?: number } = {}): void {
    this.retryUntil = on && opts.retryForMs !== undefined ? this.clock.now() + opts.retryForMs : null;
    if (this.reading === on) return;
    this.reading = on;
    this.readingTurn++;
    this.failedThisPresence = null;
    this.retrySince = null;
    this.retried = null;
    this.update({ reading: on });
    this.wake?.();
  }

  // ── internals ────────────────────────────────────────────────────────────────────────────

  private emit<K extends keyof ReaderEvents>(event: K, payload: ReaderEvents[K]): void {
    for (const fn of [...(this.listeners[event] as Array<Listener<K>>)]) {
      try {
        fn(payload);
      } catch (e) {
        log.error({ err: e, event }, 'reader event listener threw');
      }
    }
  }

  private update(patch: Partial<ReaderStatus>): void {
    const next = { ...this.current, ...patch };
    if (JSON.stringify(next) === JSON.stringify(this.current)) return;
    if (next.state !== this.current.state) log.info({ state: next.state, port: next.port }, 'reader state');
    this.current = next;
    this.emit('status', { ...next });
  }

  private fail(
    code: ReaderErrorCode,
    message: string,
    status: StatusInfo | null = null,
    decode: DecodeErrorCode | null = null,
    transient = false,
  ): void {
    // A held card that hiccups is not news; the same failure on the same placement is reported once.
    if (this.held || this.failedThisPresence === code) return;
    if (transient && this.mayRetry()) {
      this.retried = { code, message, status, decode, at: this.clock.now() };
      this.update({ retries: this.current.retries + 1 });
      log.info({ code, sw3: status?.code, decode }, 'card read failed; the find/select/read cycle is retried');
      return;
    }
    this.failedThisPresence = code;
    log.warn({ code, sw3: status?.code, decode }, 'card read failed');
    this.emit('error', { code, message, status, decode, at: this.clock.now() });
  }

  /** Whether the next poll (the retry) still starts before the caller's deadline or the retry window. */
  private mayRetry(): boolean {
    const now = this.clock.now();
    this.retrySince ??= now;
    const until = this.retryUntil ?? this.retrySince + this.opts.transientRetryMs;
    return now + this.opts.pollIntervalMs < until;
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.clock.setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        this.clock.clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.stopped) {
      this.update({ state: 'connecting', sam: 'unknown', samStatus: null });
      let transport: Transport;
      try {
        transport = await this.opts.openTransport();
      } catch (e) {
        this.update({ state: 'disconnected', port: null });
        log.debug({ err: e }, 'reader port not available');
        await this.pause(this.backoff(attempt++));
        continue;
      }
      if (this.stopped) {
        await transport.close().catch(() => undefined);
        break;
      }
      this.attach(transport);
      try {
        await this.serve(() => {
          attempt = 0;
        });
      } catch (e) {
        if (!(e instanceof LinkLost)) log.error({ err: e }, 'reader session failed');
        else if (!this.stopped) log.warn({ reason: e.message }, 'reader link lost');
      }
      await this.detach();
      if (this.stopped) break;
      this.stats.reconnects++;
      this.update({ state: 'disconnected', port: null, sam: 'unknown', samStatus: null });
      await this.pause(this.backoff(attempt++));
    }
    this.update({ state: 'stopped', port: null });
  }

  private backoff(attempt: number): number {
    const d = this.opts.reconnectDelaysMs;
    return d[Math.min(attempt, d.length - 1)]!;
  }

  private attach(t: Transport): void {
    this.transport = t;
    this.linkLost = false;
    this.timeoutsInRow = 0;
    this.parser.reset();
    this.detachers = [
      t.onData((chunk) => {
        const c = this.parser.counters;
        const spoiltBefore = c.badChecksum + c.badLength;
        for (const frame of this.parser.push(chunk, this.clock.now())) {
          const r = asResponse(frame);
          if (r && this.pending) this.pending.resolve(r);
          else this.stats.staleFrames++;
        }
        // A spoilt answer is not waited out: the command is resent at once.
        if (c.badChecksum + c.badLength > spoiltBefore) this.pending?.resolve(SPOILT);
      }),
      t.onClose(() => {
        this.linkLost = true;
        this.pending?.reject(new LinkLost('port closed'));
        this.wake?.();
      }),
    ];
    this.update({ port: t.description, state: 'checking-sam' });
  }

  private async detach(): Promise<void> {
    for (const d of this.detachers) d();
    this.detachers = [];
    const t = this.transport;
    this.transport = null;
    if (t) await t.close().catch(() => undefined);
  }

  /**
   * One command, one answer: a spoilt or missing answer, or the reader's SW3 10/11 (our frame
   * arrived spoilt), resends the command, at most maxResends times. Resolves TIMEOUT when every try
   * went unanswered; throws LinkLost when the link is gone, or after maxTimeoutsInRow missing or
   * spoilt answers in a row (a reader that stopped answering, or a line that only carries noise).
   */
  private async exchange(name: CommandName): Promise<ResponseFrame | typeof TIMEOUT> {
    for (let attempt = 0; ; attempt++) {
      const r = await this.exchangeOnce(name);
      if (r === TIMEOUT || r === SPOILT) {
        if (++this.timeoutsInRow >= this.opts.maxTimeoutsInRow) throw new LinkLost('reader stopped answering');
      } else {
        this.timeoutsInRow = 0;
        const kind = describeStatus(r.sw3).kind;
        if (kind !== 'host-checksum' && kind !== 'host-length') return r;
      }
      if (attempt >= this.opts.maxResends) return r === SPOILT ? TIMEOUT : r;
      this.update({ resends: this.current.resends + 1 });
      log.info(
        { command: name, why: r === TIMEOUT ? 'no answer' : r === SPOILT ? 'spoilt answer' : `SW3 ${r.sw3.toString(16)}` },
        'command resent',
      );
    }
  }

  private exchangeOnce(name: CommandName): Promise<ResponseFrame | typeof TIMEOUT | typeof SPOILT> {
    if (this.linkLost || this.stopped || !this.transport) return Promise.reject(new LinkLost('no link'));
    const t = this.transport;
    // Anything still buffered belongs to an earlier, timed-out command.
    this.parser.reset();
    this.stats.commands++;
    const ms = this.timeoutFor(name);
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.pending = null;
        this.stats.timeouts++;
        resolve(TIMEOUT);
      }, ms);
      this.pending = {
        resolve: (f) => {
          this.clock.clearTimeout(timer);
          this.pending = null;
          resolve(f);
        },
        reject: (e) => {
          this.clock.clearTimeout(timer);
          this.pending = null;
          reject(e);
        },
      };
      t.write(commandFrame(name)).catch((e: Error) => this.pending?.reject(new LinkLost(e.message)));
    });
  }

  private timeoutFor(name: CommandName): number {
    const t = this.opts.timeouts;
    switch (name) {
      case 'find':
        return t.find;
      case 'select':
        return t.select;
      case 'readBase':
      case 'readWithFingerprint':
        return t.read;
      case 'readAppendedAddress':
        return t.address;
      default:
        return t.samStatus;
    }
  }

  private async serve(onHealthy: () => void): Promise<void> {
    for (;;) {
      if (this.stopped || this.linkLost) throw new LinkLost(this.stopped ? 'stopped' : 'port closed');
      const active = this.reading || this.held !== null;
      const samDue = this.current.sam !== 'ok' || (!active && this.clock.now() - this.lastSamCheck >= this.opts.samCheckIntervalMs);
      if (samDue) {
        const ok = await this.checkSam();
        if (ok) onHealthy();
        else {
          await this.pause(this.opts.samCheckIntervalMs);
          continue;
        }
      }
      if (this.reading || this.held) await this.pollOnce();
      if (this.stopped || this.linkLost) continue;
      await this.pause(this.reading || this.held ? this.opts.pollIntervalMs : this.opts.samCheckIntervalMs);
    }
  }

  private async checkSam(): Promise<boolean> {
    this.lastSamCheck = this.clock.now();
    const r = await this.exchange('samStatus');
    if (r === TIMEOUT) {
      this.update({ sam: 'unknown' });
      return false;
    }
    const info = describeStatus(r.sw3);
    if (info.kind === 'ok') {
      this.update({ state: 'ready', sam: 'ok', samStatus: null });
      return true;
    }
    const wasFault = this.current.sam === 'fault';
    this.update({ state: 'sam-fault', sam: 'fault', samStatus: info });
    if (!wasFault)
      this.emit('error', { code: 'sam-fault', message: `SAM status ${info.en}`, status: info, decode: null, at: this.clock.now() });
    return false;
  }

  private async pollOnce(): Promise<void> {
    const find = await this.exchange('find');
    if (find === TIMEOUT) return;
    const found = describeStatus(find.sw3);
    if (found.kind === 'no-card') {
      this.failedThisPresence = null;
      this.retrySince = null;
      if (this.held && ++this.held.misses >= this.opts.removalMisses) {
        this.held = null;
        this.update({ cardOnReader: false });
        this.emit('removed', { at: this.clock.now() });
      }
      return;
    }
    if (isSamFault(found.kind)) {
      this.update({ state: 'sam-fault', sam: 'fault', samStatus: found });
      return;
    }
    if (found.kind !== 'card-found') return;
    if (this.held) this.held.misses = 0;
    // A held card that is still there is not read again while reading is off. While reading is on
    // (a new resident consented with a card lying there) it is read to compare: the same card stays
    // unreported, a different one (swapped between two polls) is reported.
    if (!this.reading) return;
    // A read takes about a second. If reading was switched off and on meanwhile (the resident took
    // the card away and touched 再试一次), its failure is about the card from before: not reported.
    // The next poll reads whatever lies there now.
    const turn = this.readingTurn;
    const fail = (...a: Parameters<ReaderSession['fail']>) => (turn === this.readingTurn ? this.fail(...a) : undefined);

    const sel = await this.exchange('select');
    if (sel === TIMEOUT) return fail('timeout', 'select was not answered', null, null, true);
    if (sel.sw3 !== 0x90) {
      const info = describeStatus(sel.sw3);
      return fail('select-failed', 'select failed', info, null, isTransientCardStatus(info.kind));
    }

    const rd = await this.exchange('readBase');
    if (rd === TIMEOUT) return fail('timeout', 'read was not answered', null, null, true);
    if (rd.sw3 !== 0x90) {
      const info = describeStatus(rd.sw3);
      const code = info.kind === 'unknown-card-type' ? 'unsupported-card' : 'read-failed';
      return fail(code, `read failed: ${info.en}`, info, null, isTransientCardStatus(info.kind));
    }
    // A payload that does not split or decode passed the line's XOR, so the card's RF read was
    // spoilt (no real card fails its check digit): read again. A card type we do not know is final.
    const split = splitReadData(rd.data);
    if (!split.ok) return fail('bad-data', split.error.message, null, split.error.code, true);
    const decoded = decodeTextBlock(split.value.text);
    if (!decoded.ok) {
      const code: ReaderErrorCode =
        decoded.error.code === 'check-digit' ? 'check-digit' : decoded.error.code === 'unknown-card-type' ? 'unsupported-card' : 'bad-data';
      return fail(code, decoded.error.message, null, decoded.error.code, code !== 'unsupported-card');
    }
    const card = decoded.value;
    const key = cardKey(card);
    if (this.held?.key === key) return;
    if (this.held) {
      this.held = null;
      this.update({ cardOnReader: false });
      this.emit('removed', { at: this.clock.now() });
    }

    let appendedAddress: string | null = null;
    if (this.opts.readAppendedAddress) {
      const a = await this.exchange('readAppendedAddress');
      if (a !== TIMEOUT && a.sw3 === 0x90) appendedAddress = decodeAppendedAddress(a.data);
    }
    // Reading may have been switched off while the card was being read: then the card is held
    // (so it is not read again) but not reported.
    this.held = { key, misses: 0 };
    this.failedThisPresence = null;
    this.retrySince = null;
    this.retried = null;
    this.update({ cardOnReader: true });
    if (!this.reading) return;
    this.stats.cardsRead++;
    log.info({ cardType: card.cardType }, 'card read');
    this.emit('card', { card, photo: split.value.photo, appendedAddress, readAt: this.clock.now() });
  }
}

/** A one-way key for "the same card" that does not keep the number itself around. */
function cardKey(card: IdCard): string {
  return createHash('sha256').update(`${card.cardType}:${card.idNumber}`).digest('hex');
}
