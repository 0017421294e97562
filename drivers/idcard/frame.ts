// The SAM frame codec (IDCARD-PROTOCOL.md §1): pure, no I/O, no clock of its own.
//   AA AA AA 96 69 | LEN (2, big-endian) | body (LEN-1 bytes) | XOR
// LEN counts the body plus the checksum; the XOR covers LEN-hi, LEN-lo and the body.
// Commands carry CMD PARA DATA in the body; responses carry SW1 SW2 SW3 DATA.

export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);
export const HEADER_BYTES = 7; // preamble + LEN
/** The largest frame the protocol defines is the 2321-byte text+photo+fingerprint read. */
export const DEFAULT_MAX_FRAME_BYTES = 4096;

export interface Frame {
  /** The bytes between LEN and the checksum. */
  body: Uint8Array;
  /** The whole frame as received, preamble to checksum. */
  raw: Uint8Array;
}

export interface CommandFrame {
  cmd: number;
  para: number | null;
  data: Uint8Array;
}

export interface ResponseFrame {
  sw1: number;
  sw2: number;
  sw3: number;
  data: Uint8Array;
}

/** XOR of `bytes[from..to)`. */
export function xor(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/** Wraps a body (command or response) into a whole frame with length and checksum. */
export function buildFrame(body: Uint8Array): Uint8Array {
  const len = body.length + 1;
  if (len > 0xffff) throw new RangeError(`frame body too long: ${body.length}`);
  const out = new Uint8Array(HEADER_BYTES + len);
  out.set(PREAMBLE, 0);
  out[5] = len >> 8;
  out[6] = len & 0xff;
  out.set(body, HEADER_BYTES);
  out[out.length - 1] = xor(out, 5, out.length - 1);
  return out;
}

/** Host → reader. `para` null builds the two-byte vendor form (CMD only, LEN = 2). */
export function buildCommand(cmd: number, para: number | null = 0xff, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const head = para === null ? [cmd] : [cmd, para];
  const body = new Uint8Array(head.length + data.length);
  body.set(head, 0);
  body.set(data, head.length);
  return buildFrame(body);
}

/** Reader → host (used by the simulator and by tests). */
export function buildResponse(sw3: number, data: Uint8Array = new Uint8Array(0), sw1 = 0, sw2 = 0): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[0] = sw1;
  body[1] = sw2;
  body[2] = sw3;
  body.set(data, 3);
  return buildFrame(body);
}

/** The commands the driver sends (IDCARD-PROTOCOL.md §2.1). */
export const Command = {
  resetSam: { cmd: 0x10, para: 0xff },
  samStatus: { cmd: 0x11, para: 0xff },
  samId: { cmd: 0x12, para: 0xff },
  find: { cmd: 0x20, para: 0x01 },
  select: { cmd: 0x20, para: 0x02 },
  readBase: { cmd: 0x30, para: 0x01 },
  readWithFingerprint: { cmd: 0x30, para: 0x10 },
  readAppendedAddress: { cmd: 0x30, para: 0x03 },
} as const;
export type CommandName = keyof typeof Command;

export function commandFrame(name: CommandName): Uint8Array {
  const c = Command[name];
  return buildCommand(c.cmd, c.para);
}

export function commandName(cmd: number, para: number | null): CommandName | null {
  for (const [name, c] of Object.entries(Command)) if (c.cmd === cmd && c.para === para) return name as CommandName;
  return null;
}

export function asResponse(frame: Frame): ResponseFrame | null {
  const b = frame.body;
  if (b.length < 3) return null;
  return { sw1: b[0]!, sw2: b[1]!, sw3: b[2]!, data: b.subarray(3) };
}

export function asCommand(frame: Frame): CommandFrame | null {
  const b = frame.body;
  if (b.length < 1) return null;
  if (b.length === 1) return { cmd: b[0]!, para: null, data: b.subarray(1) };
  return { cmd: b[0]!, para: b[1]!, data: b.subarray(2) };
}

export interface ParserCounters {
  frames: number;
  /** Frames whose XOR did not match (dropped). */
  badChecksum: number;
  /** Headers whose LEN was impossible (dropped). */
  badLength: number;
  /** Bytes skipped while looking for a preamble. */
  garbageBytes: number;
  /** Partial frames discarded because the line went quiet mid-frame. */
  gapResets: number;
}

export interface FrameParserOptions {
  /** Longest frame accepted; also bounds the buffer (default 4096). */
  maxFrameBytes?: number;
  /** A partial frame older than this (ms since its last byte) is discarded on the next push (default 100). */
  interByteGapMs?: number;
}

/**
 * Bytes in any chunking → whole, checked frames. Resynchronises on the preamble after garbage,
 * drops frames with an impossible length or a bad XOR (advancing one byte, so a real frame that
 * starts inside the rejected bytes is still found), never holds more than maxFrameBytes, and
 * forgets a partial frame after an inter-byte gap (the reader answers in one burst; a stalled
 * half frame would otherwise swallow the next answer).
 */
export class FrameParser {
  readonly counters: ParserCounters = { frames: 0, badChecksum: 0, badLength: 0, garbageBytes: 0, gapResets: 0 };
  private readonly maxFrame: number;
  private readonly gapMs: number;
  private buf: Uint8Array;
  private start = 0;
  private end = 0;
  private lastByteAt = -Infinity;

  constructor(options: FrameParserOptions = {}) {
    this.maxFrame = Math.max(16, options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES);
    this.gapMs = options.interByteGapMs ?? 100;
    this.buf = new Uint8Array(this.maxFrame * 2);
  }

  /** Bytes held while waiting for the rest of a frame. */
  get pending(): number {
    return this.end - this.start;
  }

  reset(): void {
    this.start = this.end = 0;
  }

  /** `now` (ms, from the injected clock) enables the inter-byte gap reset; omit it to disable. */
  push(chunk: Uint8Array, now?: number): Frame[] {
    if (now !== undefined) {
      if (this.pending > 0 && now - this.lastByteAt > this.gapMs) {
        this.counters.gapResets++;
        this.reset();
      }
      if (chunk.length > 0) this.lastByteAt = now;
    }
    const frames: Frame[] = [];
    let offset = 0;
    while (offset < chunk.length) {
      if (this.start > 0 && this.end + (chunk.length - offset) > this.buf.length) {
        this.buf.copyWithin(0, this.start, this.end);
        this.end -= this.start;
        this.start = 0;
      }
      const n = Math.min(this.buf.length - this.end, chunk.length - offset);
      this.buf.set(chunk.subarray(offset, offset + n), this.end);
      this.end += n;
      offset += n;
      this.drain(frames);
    }
    return frames;
  }

  private drain(out: Frame[]): void {
    const b = this.buf;
    for (;;) {
      // Find the preamble; keep a possible partial preamble at the tail.
      let i = this.start;
      const last = this.end - PREAMBLE.length;
      while (i <= last && !(b[i] === 0xaa && b[i + 1] === 0xaa && b[i + 2] === 0xaa && b[i + 3] === 0x96 && b[i + 4] === 0x69)) i++;
      if (i > last) {
        // No whole preamble: everything except a tail that could begin one is garbage.
        let keep = 0;
        for (let k = Math.min(PREAMBLE.length - 1, this.end - this.start); k > 0; k--) {
          let match = true;
          for (let j = 0; j < k; j++)
            if (b[this.end - k + j] !== PREAMBLE[j]) {
              match = false;
              break;
            }
          if (match) {
            keep = k;
            break;
          }
        }
        this.counters.garbageBytes += this.end - keep - this.start;
        this.start = this.end - keep;
        if (this.start === this.end) this.start = this.end = 0;
        return;
      }
      this.counters.garbageBytes += i - this.start;
      this.start = i;
      if (this.end - i < HEADER_BYTES) return;
      const len = (b[i + 5]! << 8) | b[i + 6]!;
      const total = HEADER_BYTES + len;
      if (len < 2 || total > this.maxFrame) {
        this.counters.badLength++;
        this.start = i + 1;
        continue;
      }
      if (this.end - i < total) return;
      const chk = xor(b, i + 5, i + total - 1);
      if (chk !== b[i + total - 1]) {
        this.counters.badChecksum++;
        this.start = i + 1;
        continue;
      }
      const raw = b.slice(i, i + total);
      out.push({ raw, body: raw.subarray(HEADER_BYTES, total - 1) });
      this.counters.frames++;
      this.start = i + total;
      if (this.start === this.end) this.start = this.end = 0;
    }
  }
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/[^0-9a-fA-F]/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
