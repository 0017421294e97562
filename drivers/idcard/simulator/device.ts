// A simulated SAM reader: takes host bytes, answers with protocol frames. Pure apart from the
// injected clock (for answer delays), so the same device drives unit tests (in memory, fake timers),
// the pseudo-terminal simulator and the bench.
import type { Clock } from '../../../lib/clock.ts';
import { systemClock } from '../../../lib/clock.ts';
import { asCommand, buildResponse, commandName, FrameParser, type CommandName } from '../frame.ts';
import { encodeAppendedAddress, encodeReadData, encodeTextBlock } from '../encode.ts';
import { fakeWlt, type CardFixture } from './cards.ts';
import { bytesOnWireBy, wireTimeMs } from './pacing.ts';

export interface SimFaults {
  /** Random bytes before every answer. */
  garbage: boolean;
  /** Send answers one byte at a time, this many ms apart (0 = off). */
  splitDelayMs: number;
  /** Corrupt the checksum of every answer. */
  badChecksum: boolean;
  /** Force SW3 for a command (e.g. find 0x80, select 0x81, read 0x41, samStatus 0x60). */
  status: Partial<Record<CommandName, number>>;
  /** Delay of the SAM-status answer in ms (a slow SAM). */
  samDelayMs: number;
  /** Answer nothing at all. */
  silent: boolean;
}

/** A fault for the next answer to one command only (then the reader behaves again): a line hit
 *  (`bad-checksum`), a lost answer (`silent`), or a transient card status such as SW3 41 (the card
 *  moved during the read). */
export type OnceFault = 'bad-checksum' | 'silent' | { sw3: number };

export const NO_FAULTS: SimFaults = { garbage: false, splitDelayMs: 0, badChecksum: false, status: {}, samDelayMs: 0, silent: false };

export interface SimulatedReaderOptions {
  clock?: Clock;
  /** Per-command processing time (ms) before the answer, as a real SAM needs; default 0. */
  latencyMs?: Partial<Record<CommandName, number>>;
  /**
   * What find answers while the card that was just read stays on the reader: 'found' (9F again) or
   * 'no-card' (80 until the card leaves the field; IDCARD-PROTOCOL.md §4.2 describes readers doing this).
   */
  afterRead?: 'found' | 'no-card';
  /**
   * Pace the line at this baud rate (8N1): a command counts as arrived only after its own wire time,
   * and an answer leaves byte by byte at the wire rate, as on a real reader's UART. Off (null) by
   * default: answers then go out in one piece as fast as the transport carries them.
   */
  paceBaud?: number | null;
}

type RfState = 'idle' | 'found' | 'selected' | 'read';

export class SimulatedReader {
  faults: SimFaults = { ...NO_FAULTS, status: {} };
  readonly counters = { bytesIn: 0, bytesOut: 0, commands: 0 };
  private readonly parser = new FrameParser();
  private readonly clock: Clock;
  private readonly latency: Partial<Record<CommandName, number>>;
  private readonly afterRead: 'found' | 'no-card';
  private paceBaud: number | null;
  private card: CardFixture | null = null;
  private rf: RfState = 'idle';
  private queueFreeAt = 0;
  private readonly timers = new Set<unknown>();
  private listeners: Array<(bytes: Uint8Array) => void> = [];
  private once: Array<{ command: CommandName; fault: OnceFault }> = [];

  constructor(options: SimulatedReaderOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.latency = options.latencyMs ?? {};
    this.afterRead = options.afterRead ?? 'found';
    this.paceBaud = null;
    this.setPacing(options.paceBaud ?? null);
  }

  /** The paced line rate, or null when answers are not paced. */
  get pacing(): number | null {
    return this.paceBaud;
  }

  /** Paces the line at `baud` (8N1), or stops pacing (null). Applies to the next answer. */
  setPacing(baud: number | null): void {
    if (baud !== null && !(Number.isInteger(baud) && baud > 0)) throw new RangeError(`baud rate must be a positive integer, got ${baud}`);
    this.paceBaud = baud;
  }

  /** Where answers go (the host side of whatever carries the bytes). */
  onOutput(fn: (bytes: Uint8Array) => void): () => void {
    this.listeners.push(fn);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== fn);
    };
  }

  get presented(): CardFixture | null {
    return this.card;
  }

  present(card: CardFixture): void {
    this.card = card;
    this.rf = 'idle';
  }

  remove(): void {
    this.card = null;
    this.rf = 'idle';
  }

  setFaults(faults: Partial<SimFaults>): void {
    this.faults = { ...this.faults, ...faults, status: { ...this.faults.status, ...(faults.status ?? {}) } };
  }

  clearFaults(): void {
    this.faults = { ...NO_FAULTS, status: {} };
    this.once = [];
  }

  /** Queues a fault for the next answer to `command` (several queue up, each used once, in order). */
  faultOnce(command: CommandName, fault: OnceFault): void {
    this.once.push({ command, fault });
  }

  /** One-shot faults not used yet. */
  get onceFaultsPending(): number {
    return this.once.length;
  }

  private takeOnce(name: CommandName | null): OnceFault | null {
    const i = this.once.findIndex((o) => o.command === name);
    return i < 0 ? null : this.once.splice(i, 1)[0]!.fault;
  }

  /** Drops queued answers (the line was cut). */
  cancelPending(): void {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers.clear();
    this.queueFreeAt = 0;
    this.parser.reset();
  }

  /** Bytes from the host. */
  receive(bytes: Uint8Array): void {
    this.counters.bytesIn += bytes.length;
    for (const frame of this.parser.push(bytes)) {
      const cmd = asCommand(frame);
      if (!cmd) continue;
      this.counters.commands++;
      const name = commandName(cmd.cmd, cmd.para);
      const once = this.takeOnce(name);
      // A transient status leaves the card where it was (selected, for a read): the host's next
      // find/select/read cycle reads it.
      const answer = once !== null && typeof once === 'object' ? buildResponse(once.sw3) : this.respond(name);
      this.answer(name, answer, frame.raw.length, typeof once === 'string' ? once : null);
    }
    // A frame that arrived with a bad checksum or length: the spec answers 10/11.
    // (Counted by the parser; answering them is not needed by the driver, so the simulator stays quiet.)
  }

  private respond(name: CommandName | null): Uint8Array {
    const forced = name ? this.faults.status[name] : undefined;
    if (forced !== undefined) {
      if (name === 'find' && forced !== 0x9f) this.rf = 'idle';
      return buildResponse(forced, forced === 0x9f ? new Uint8Array(4) : new Uint8Array(0));
    }
    switch (name) {
      case 'samStatus':
      case 'resetSam':
        return buildResponse(0x90);
      case 'samId':
        return buildResponse(0x90, Uint8Array.of(0x05, 0, 0x01, 0, 0x01, 0, 0, 0, 0x02, 0, 0, 0, 0x03, 0, 0, 0));
      case 'find':
        if (!this.card || (this.rf === 'read' && this.afterRead === 'no-card')) return buildResponse(0x80);
        this.rf = 'found';
        return buildResponse(0x9f, new Uint8Array(4));
      case 'select':
        if (!this.card || this.rf !== 'found') return buildResponse(0x81);
        this.rf = 'selected';
        return buildResponse(0x90, new Uint8Array(8));
      case 'readBase':
      case 'readWithFingerprint': {
        if (!this.card || this.rf !== 'selected') return buildResponse(0x41);
        this.rf = 'read';
        const text = this.card.text ?? encodeTextBlock(this.card.card);
        const photo = fakeWlt(this.card.id.length);
        if (name === 'readBase') return buildResponse(0x90, encodeReadData(text, photo));
        const data = new Uint8Array(6 + text.length + photo.length);
        data.set([1, 0, 4, 0, 0, 0]);
        data.set(text, 6);
        data.set(photo, 6 + text.length);
        return buildResponse(0x90, data);
      }
      case 'readAppendedAddress':
        if (!this.card || this.rf !== 'read') return buildResponse(0x41);
        if (!this.card.appendedAddress) return buildResponse(0x91);
        return buildResponse(0x90, encodeAppendedAddress(this.card.appendedAddress));
      default:
        return buildResponse(0x21);
    }
  }

  private answer(name: CommandName | null, frame: Uint8Array, commandBytes: number, once: 'bad-checksum' | 'silent' | null = null): void {
    if (this.faults.silent || once === 'silent') return;
    let bytes = frame;
    if (this.faults.badChecksum || once === 'bad-checksum') {
      bytes = frame.slice();
      bytes[bytes.length - 1]! ^= 0x5a;
    }
    if (this.faults.garbage) {
      const junk = Uint8Array.of(0x00, 0xaa, 0xaa, 0x13, 0xff, 0x96, 0x69, 0xaa);
      const b = new Uint8Array(junk.length + bytes.length);
      b.set(junk);
      b.set(bytes, junk.length);
      bytes = b;
    }
    const baud = this.paceBaud;
    // Paced, the command itself took its wire time to come in: the pty handed it over at once.
    const inbound = baud ? wireTimeMs(commandBytes, baud) : 0;
    let delay = inbound + (name ? (this.latency[name] ?? 0) : 0) + (name === 'samStatus' ? this.faults.samDelayMs : 0);
    const now = this.clock.now();
    const at = Math.max(now + delay, this.queueFreeAt);
    delay = at - now;
    const split = this.faults.splitDelayMs;
    if (split > 0) {
      // The byte-split fault sets its own pace, whatever the line rate.
      this.queueFreeAt = at + split * bytes.length;
      for (let i = 0; i < bytes.length; i++) this.emitLater(bytes.subarray(i, i + 1), delay + i * split);
    } else if (baud) {
      this.queueFreeAt = at + wireTimeMs(bytes.length, baud);
      this.emitPaced(bytes, at, baud);
    } else {
      this.queueFreeAt = at;
      this.emitLater(bytes, delay);
    }
  }

  /**
   * Sends `bytes` as a UART would from `startAt`: at each tick, every byte whose stop bit has passed.
   * Ticks are timed from the start, not from the previous tick, so timer lateness does not add up:
   * the last byte leaves at start + wire time (plus at most one timer's lateness).
   */
  private emitPaced(bytes: Uint8Array, startAt: number, baud: number): void {
    let sent = 0;
    const tick = () => {
      const due = Math.min(bytes.length, bytesOnWireBy(this.clock.now() - startAt, baud));
      if (due > sent) {
        this.emit(bytes.subarray(sent, due));
        sent = due;
      }
      if (sent >= bytes.length) return;
      const nextAt = startAt + wireTimeMs(sent + 1, baud);
      const t = this.clock.setTimeout(
        () => {
          this.timers.delete(t);
          tick();
        },
        Math.max(1, Math.ceil(nextAt - this.clock.now())),
      );
      this.timers.add(t);
    };
    const t = this.clock.setTimeout(
      () => {
        this.timers.delete(t);
        tick();
      },
      Math.max(0, startAt - this.clock.now()),
    );
    this.timers.add(t);
  }

  private emitLater(bytes: Uint8Array, delay: number): void {
    if (delay <= 0) {
      this.emit(bytes);
      return;
    }
    const t = this.clock.setTimeout(() => {
      this.timers.delete(t);
      this.emit(bytes);
    }, delay);
    this.timers.add(t);
  }

  private emit(bytes: Uint8Array): void {
    this.counters.bytesOut += bytes.length;
    for (const l of this.listeners) l(bytes);
  }
}
