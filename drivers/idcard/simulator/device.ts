// A simulated SAM reader: takes host bytes, answers with protocol frames. Pure apart from the
// injected clock (for answer delays), so the same device drives unit tests (in memory, fake timers),
// the pseudo-terminal simulator and the bench.
import type { Clock } from '../../../lib/clock.ts';
import { systemClock } from '../../../lib/clock.ts';
import { asCommand, buildResponse, commandName, FrameParser, type CommandName } from '../frame.ts';
import { encodeAppendedAddress, encodeReadData, encodeTextBlock } from '../encode.ts';
import { fakeWlt, type CardFixture } from './cards.ts';

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
}

type RfState = 'idle' | 'found' | 'selected' | 'read';

export class SimulatedReader {
  faults: SimFaults = { ...NO_FAULTS, status: {} };
  readonly counters = { bytesIn: 0, bytesOut: 0, commands: 0 };
  private readonly parser = new FrameParser();
  private readonly clock: Clock;
  private readonly latency: Partial<Record<CommandName, number>>;
  private readonly afterRead: 'found' | 'no-card';
  private card: CardFixture | null = null;
  private rf: RfState = 'idle';
  private queueFreeAt = 0;
  private readonly timers = new Set<unknown>();
  private listeners: Array<(bytes: Uint8Array) => void> = [];

  constructor(options: SimulatedReaderOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.latency = options.latencyMs ?? {};
    this.afterRead = options.afterRead ?? 'found';
  }

  /** Where answers go (the host side of whatever carries the bytes). */
  onOutput(fn: (bytes: Uint8Array) => void): () => void {
    this.listeners.push(fn);
    return () => { this.listeners = this.listeners.filter((l) => l !== fn); };
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
      this.answer(name, this.respond(name));
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

  private answer(name: CommandName | null, frame: Uint8Array): void {
    if (this.faults.silent) return;
    let bytes = frame;
    if (this.faults.badChecksum) {
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
    let delay = (name ? this.latency[name] ?? 0 : 0) + (name === 'samStatus' ? this.faults.samDelayMs : 0);
    const now = this.clock.now();
    const at = Math.max(now + delay, this.queueFreeAt);
    delay = at - now;
    const split = this.faults.splitDelayMs;
    this.queueFreeAt = at + (split > 0 ? split * bytes.length : 0);
    if (split > 0) {
      for (let i = 0; i < bytes.length; i++) this.emitLater(bytes.subarray(i, i + 1), delay + i * split);
    } else {
      this.emitLater(bytes, delay);
    }
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
