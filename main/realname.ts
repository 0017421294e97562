// The real-name flow in the core: one ReaderSession for the booth's reader (or the simulator), and
// at most one real-name attempt at a time. The reader is armed only after the resident consented and
// only until a card was read; the renderer sees the name and a masked number, never the record. A new
// attempt, a cancel, a discarded session or a timeout forgets the previous identity, and the reader
// session keeps a card left lying on the reader from being reported again: nothing leaks into the
// next resident's session.
import { randomUUID } from 'node:crypto';
import type { Clock } from '../lib/clock.ts';
import { systemClock } from '../lib/clock.ts';
import { createLogger } from '../lib/log.ts';
import {
  detectReader,
  ReaderSession,
  serialTransportFactory,
  transportFactoryFor,
  loadWltDecoder,
  photoOrPlaceholder,
  type CardEvent,
  type ReaderErrorCode,
  type ReaderStatus,
  type WltDecoder,
} from '../drivers/idcard/index.ts';
import type { BoothSimulator } from '../drivers/idcard/simulator/index.ts';
import type { BoothConfig } from './config.ts';
import type { BoothEvent, ReaderInfo, ReaderTestRead, RealNameError, RealNameState } from '../contract/kiosk.ts';
import { BoothError } from './api/errors.ts';
import { maskIdNumber, maskName } from '../lib/mask.ts';
import type { SealedIdentityRecord } from '../contract/identity.ts';

const log = createLogger('realname');

/** What is sealed and sent with the submission: contract/identity.ts SealedIdentityRecord. */
export type IdentityRecord = SealedIdentityRecord;

interface Attempt {
  ref: string;
  phase: RealNameState['phase'];
  card: CardEvent | null;
  /** Decoded photo (data: URL) when a WLT decoder is installed. */
  photo: string | null;
  error: RealNameError | null;
  expiry: unknown;
}

export interface RealNameOptions {
  config: BoothConfig['idcard'];
  publish: (e: BoothEvent) => void;
  /** Whether identities can be sealed (the intake key is known); checked at each start. */
  canSeal: () => Promise<boolean>;
  /** How long an attempt (waiting, or confirmed and not yet submitted) may live, ms. */
  holdMs: number;
  clock?: Clock;
  /** Device paths of other hardware (the receipt printer) that detection must not probe. */
  excludePorts?: readonly string[];
  /** Starts the simulated reader (development and tests: main/start.ts gives it for `npm start`
   *  only). Absent on a production booth: no reader means no real name, never a stand-in. */
  simulator?: ReaderSimulatorFactory;
}

/** Starts a simulated reader with `testCard` lying on it (drivers/idcard/simulator startBoothSimulator). */
export type ReaderSimulatorFactory = (testCard: string | null) => Promise<BoothSimulator>;

const ERROR_OF: Record<ReaderErrorCode, RealNameError> = {
  'select-failed': 'unreadable',
  'read-failed': 'unreadable',
  'check-digit': 'unreadable',
  'bad-data': 'unreadable',
  timeout: 'unreadable',
  'unsupported-card': 'wrong_card',
  'sam-fault': 'reader_unavailable',
};

export class RealNameService {
  private attempt: Attempt | null = null;
  /** Ends the service screen's test read in progress (close()). */
  private testReadEnd: ((r: ReaderTestRead) => void) | null = null;
  private readonly clock: Clock;
  private decoder: WltDecoder | null = null;

  private constructor(
    private readonly o: RealNameOptions,
    private readonly reader: ReaderSession | null,
    readonly simulator: BoothSimulator | null,
  ) {
    this.clock = o.clock ?? systemClock;
    if (o.config.wltDecoderModule) {
      loadWltDecoder(o.config.wltDecoderModule).then(
        (d) => {
          this.decoder = d;
          log.info({ decoder: d.name }, 'WLT photo decoder loaded');
        },
        (e: unknown) => log.error({ err: e }, 'WLT photo decoder could not be loaded; showing the placeholder'),
      );
    }
    if (reader) {
      reader.on('card', (ev) => this.onCard(ev));
      reader.on('error', (e) => this.onError(ERROR_OF[e.code]));
      reader.on('status', (s) => this.onStatus(s));
      reader.on('removed', () => this.publishAll());
      reader.start();
    }
  }

  static async create(o: RealNameOptions): Promise<RealNameService> {
    const c = o.config;
    const sessionOpts = {
      pollIntervalMs: c.pollIntervalMs,
      readAppendedAddress: c.readAppendedAddress,
      ...(o.clock ? { clock: o.clock } : {}),
    };
    if (c.simulate !== 'always') {
      let loc;
      try {
        loc = await detectReader({ configuredPort: c.port, exclude: o.excludePorts ?? [] });
      } catch (e) {
        // A malformed usb: port name in booth.json or the mapping: real name is unavailable (the
        // booth still starts), and neither the simulator nor probing stands in for the named reader.
        log.error({ err: e }, 'the configured ID-card reader port is not valid; real name is unavailable');
        return new RealNameService(o, null, null);
      }
      if (loc) {
        log.info({ kind: loc.kind, source: loc.source }, 'ID-card reader');
        return new RealNameService(o, new ReaderSession({ ...sessionOpts, openTransport: transportFactoryFor(loc) }), null);
      }
    }
    if (c.simulate === 'never' || !o.simulator) {
      if (c.simulate === 'always')
        log.error('idcard.simulate is "always" but this booth has no simulator (production): real name is unavailable');
      else log.warn('no ID-card reader found; real name is unavailable (residents can submit anonymously)');
      return new RealNameService(o, null, null);
    }
    // Development and tests only. A simulator that cannot start (socat missing) never stops the booth.
    let sim: BoothSimulator;
    try {
      sim = await o.simulator(c.testCard);
    } catch (e) {
      log.warn(
        { err: (e as Error).message },
        'no ID-card reader found and the simulator did not start (is socat installed?); real name is unavailable',
      );
      return new RealNameService(o, null, null);
    }
    log.info({ port: sim.portPath }, 'no ID-card reader found: using the simulator');
    return new RealNameService(
      o,
      new ReaderSession({ ...sessionOpts, openTransport: serialTransportFactory({ path: sim.portPath }) }),
      sim,
    );
  }

  info(): ReaderInfo {
    if (!this.reader) return { state: 'absent', simulated: false, cardOnReader: false, testCard: null, resends: 0, retries: 0 };
    const s = this.reader.status;
    return {
      state: s.state,
      simulated: this.simulator !== null,
      cardOnReader: s.cardOnReader,
      testCard: this.simulator?.reader.presented?.id ?? null,
      resends: s.resends,
      retries: s.retries,
    };
  }

  /** After consent. Forgets any earlier attempt first. */
  async start(): Promise<RealNameState> {
    this.forgetAll();
    const a: Attempt = { ref: randomUUID(), phase: 'waiting', card: null, photo: null, error: null, expiry: null };
    this.attempt = a;
    this.armExpiry(a);
    if (!this.reader) return this.fail(a, 'reader_unavailable');
    if (!(await this.o.canSeal())) return this.fail(a, 'unavailable');
    if (this.attempt !== a) return this.stateOf(a);
    const st = this.reader.status.state;
    if (st === 'disconnected' || st === 'sam-fault') this.fail(a, 'reader_unavailable');
    this.reader.setReading(true);
    this.publish(a);
    return this.stateOf(a);
  }

  state(ref: string): RealNameState {
    return this.stateOf(this.find(ref));
  }

  retry(ref: string): RealNameState {
    const a = this.find(ref);
    if (a.phase === 'error' || a.phase === 'read') {
      a.phase = 'waiting';
      a.error = null;
      a.card = null;
      a.photo = null;
      this.armExpiry(a);
      // Still unplugged (or no reader at all): say so again at once rather than wait for a card
      // that cannot be read. When it is back, the resident places the card as usual.
      const st = this.reader?.status.state;
      if (!this.reader || st === 'disconnected' || st === 'sam-fault') return this.fail(a, 'reader_unavailable');
      // Re-arming also resets the driver's once-per-placement error memory.
      this.reader.setReading(false);
      this.reader.setReading(true);
      this.publish(a);
    }
    return this.stateOf(a);
  }

  confirm(ref: string): RealNameState {
    const a = this.find(ref);
    if (a.phase !== 'read' && a.phase !== 'confirmed') throw new BoothError('bad_request', 'no card has been read to confirm');
    a.phase = 'confirmed';
    this.armExpiry(a);
    this.publish(a);
    return this.stateOf(a);
  }

  cancel(ref: string): RealNameState {
    const a = this.attempt?.ref === ref ? this.attempt : null;
    this.forgetAll();
    return { ref, phase: 'ended', identity: null, error: null, cardOnReader: this.info().cardOnReader && a !== null };
  }

  /** The confirmed identity for submit, or null (unknown, expired or not confirmed). Not consumed. */
  identityFor(ref: string): IdentityRecord | null {
    const a = this.attempt;
    if (!a || a.ref !== ref || a.phase !== 'confirmed' || !a.card) return null;
    const c = a.card;
    return {
      card: c.card,
      appendedAddress: c.appendedAddress,
      photoWlt: Buffer.from(c.photo.bytes).toString('base64'),
      readAt: new Date(c.readAt).toISOString(),
    };
  }

  /** Drops every identity held (after submit, discard, idle reset, a new attempt). */
  forgetAll(): void {
    const a = this.attempt;
    this.attempt = null;
    this.reader?.setReading(false);
    if (a) {
      this.clock.clearTimeout(a.expiry);
      a.card = null;
      a.photo = null;
      a.phase = 'ended';
      this.publish(a);
    }
  }

  /** Simulated readers only: put a test card on (id) or take it off (null). */
  testCard(card: string | null): ReaderInfo {
    if (!this.simulator) throw new BoothError('forbidden', 'the reader is not simulated');
    if (!this.simulator.presentTestCard(card)) throw new BoothError('not_found', `no test card "${card}"`);
    return this.info();
  }

  /**
   * The service screen's test read: arms the reader for at most `timeoutMs` and answers with the
   * first card's type and a masked name and number (never the record; nothing of it is logged or
   * kept). Refused while a resident's real-name attempt is open. A card already lying on the reader
   * since before is not read again (the session reports a card once): lift it and put it back.
   */
  async testRead(timeoutMs: number): Promise<ReaderTestRead> {
    const none = { card: null, error: null };
    const reader = this.reader;
    if (!reader) return { outcome: 'absent', ...none };
    if (this.attempt || this.testReadEnd) return { outcome: 'busy', ...none };
    if (reader.status.state !== 'ready') return { outcome: 'not_ready', ...none };
    const result = await new Promise<ReaderTestRead>((resolve) => {
      const offs: Array<() => void> = [];
      let timer: unknown = null;
      const end = (r: ReaderTestRead) => {
        offs.forEach((off) => off());
        this.clock.clearTimeout(timer);
        this.testReadEnd = null;
        reader.setReading(false);
        resolve(r);
      };
      this.testReadEnd = end;
      offs.push(
        reader.on('card', (ev) =>
          end({
            outcome: 'card',
            card: { cardType: ev.card.cardType, nameMasked: maskName(ev.card.name), idNumberMasked: maskIdNumber(ev.card.idNumber) },
            error: null,
          }),
        ),
      );
      offs.push(
        reader.on('error', (e) => {
          const error = ERROR_OF[e.code];
          end(
            error === 'reader_unavailable'
              ? { outcome: 'not_ready', ...none }
              : { outcome: 'card_error', card: null, error: error === 'wrong_card' ? 'wrong_card' : 'unreadable' },
          );
        }),
      );
      offs.push(
        reader.on('status', (st) => (st.state === 'disconnected' || st.state === 'sam-fault') && end({ outcome: 'not_ready', ...none })),
      );
      timer = this.clock.setTimeout(() => end({ outcome: 'no_card', ...none }), timeoutMs);
      reader.setReading(true);
    });
    log.info({ outcome: result.outcome, cardType: result.card?.cardType }, 'service screen test read');
    return result;
  }

  async close(): Promise<void> {
    this.testReadEnd?.({ outcome: 'not_ready', card: null, error: null });
    this.forgetAll();
    await this.reader?.stop();
    await this.simulator?.stop();
  }

  // ── internals ──

  private find(ref: string): Attempt {
    const a = this.attempt;
    if (!a || a.ref !== ref) throw new BoothError('realname_expired', 'this real-name read has ended');
    return a;
  }

  private armExpiry(a: Attempt): void {
    this.clock.clearTimeout(a.expiry);
    a.expiry = this.clock.setTimeout(() => {
      if (this.attempt === a) {
        log.info('real-name attempt expired; identity forgotten');
        this.forgetAll();
      }
    }, this.o.holdMs);
  }

  private fail(a: Attempt, error: RealNameError): RealNameState {
    a.phase = 'error';
    a.error = error;
    this.publish(a);
    return this.stateOf(a);
  }

  private onCard(ev: CardEvent): void {
    const a = this.attempt;
    if (!a || (a.phase !== 'waiting' && a.phase !== 'error')) return;
    a.card = ev;
    a.phase = 'read';
    a.error = null;
    // One card per attempt: stop reading until the resident retries.
    this.reader?.setReading(false);
    this.publish(a);
    if (this.decoder) {
      void photoOrPlaceholder(ev.photo, this.decoder).then((p) => {
        if (!p || this.attempt !== a || a.card !== ev) return;
        a.photo = `data:${p.mime};base64,${Buffer.from(p.bytes).toString('base64')}`;
        this.publish(a);
      });
    }
  }

  private onError(error: RealNameError): void {
    const a = this.attempt;
    if (a && a.phase === 'waiting') this.fail(a, error);
  }

  private onStatus(s: ReaderStatus): void {
    this.o.publish({ type: 'reader', reader: this.info() });
    const a = this.attempt;
    if (!a) return;
    if ((s.state === 'disconnected' || s.state === 'sam-fault') && a.phase === 'waiting') this.fail(a, 'reader_unavailable');
    else if (s.state === 'ready' && a.phase === 'error' && a.error === 'reader_unavailable') {
      a.phase = 'waiting';
      a.error = null;
      this.reader?.setReading(true);
      this.publish(a);
    } else this.publish(a);
  }

  private publishAll(): void {
    this.o.publish({ type: 'reader', reader: this.info() });
    if (this.attempt) this.publish(this.attempt);
  }

  private stateOf(a: Attempt): RealNameState {
    const card = a.card?.card;
    return {
      ref: a.ref,
      phase: a.phase,
      identity:
        card && (a.phase === 'read' || a.phase === 'confirmed')
          ? { cardType: card.cardType, name: card.name, idNumberMasked: maskIdNumber(card.idNumber), photo: a.photo }
          : null,
      error: a.error,
      cardOnReader: this.reader?.status.cardOnReader ?? false,
    };
  }

  private publish(a: Attempt): void {
    this.o.publish({ type: 'realname', state: this.stateOf(a) });
  }
}
